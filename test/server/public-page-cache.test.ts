import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { PublicPageCache } from '../../src/server/public-page-cache.js';
import { publishSnapshot } from '../../src/store/repositories/publications.js';
import { addUser } from '../../src/store/repositories/users.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

describe('the cache of public pages', () => {
  it('renders a version once, however many ask at once, and again only for a new version', async () => {
    const cache = new PublicPageCache(null as never);
    let renders = 0;
    const render = async () => {
      renders++;
      await new Promise((r) => setTimeout(r, 5));
      return `<p>${renders}</p>`;
    };
    const burst = await Promise.all(
      Array.from({ length: 100 }, () => cache.page('cairnet\u0000html:fr', 'v1', render)),
    );
    expect(renders).toBe(1);
    expect(new Set(burst.map((p) => p.etag)).size).toBe(1);
    const next = await cache.page('cairnet\u0000html:fr', 'v2', render);
    expect(renders).toBe(2);
    expect(next.etag).not.toBe(burst[0]!.etag);
    cache.forget('cairnet');
    await cache.page('cairnet\u0000html:fr', 'v2', render);
    expect(renders).toBe(3);
  });
});

for (const dialect of await availableDialects()) {
  describe(`${dialect}: the public results page`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let admin: Record<string, string>;

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await ensureCairnetInstrument(t.store);
      await writeDemoPanel(t.store, { respondents: 200, seed: 7 });
      app = await buildApp({ store: t.store });
      await addUser(t.store.db, {
        email: 'admin@example.org',
        password: 'a long enough password',
        role: 'admin',
      });
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'admin@example.org', password: 'a long enough password' },
      });
      admin = {
        cookie: String(login.headers['set-cookie']).split(';')[0]!,
        'x-csrf-token': login.json().csrfToken,
      };
      // the public page of the demonstration survey: published as no route or command can
      const snap = await app.inject({ url: '/api/admin/dashboard?instrument=cairnet-demo', headers: admin });
      await publishSnapshot(t.store.db, snap.json().snapshot, null, new Date(), { demonstration: true });
    }, 120_000);
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('serves cached HTML and JSON with an ETag and Cache-Control, and 304 to a client that holds them', async () => {
      for (const url of [
        '/results/cairnet-demo',
        '/results/cairnet-demo?lang=en',
        '/api/results/cairnet-demo',
      ]) {
        const first = await app.inject({ url, remoteAddress: '10.1.0.1' });
        expect(first.statusCode, url).toBe(200);
        const etag = String(first.headers.etag);
        expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
        expect(first.headers['cache-control']).toBe('public, max-age=60');
        const again = await app.inject({ url, remoteAddress: '10.1.0.1' });
        expect(again.headers.etag).toBe(etag);
        expect(again.body).toBe(first.body);
        const held = await app.inject({ url, headers: { 'if-none-match': etag }, remoteAddress: '10.1.0.1' });
        expect(held.statusCode).toBe(304);
        expect(held.body).toBe('');
        const stale = await app.inject({
          url,
          headers: { 'if-none-match': '"other"' },
          remoteAddress: '10.1.0.1',
        });
        expect(stale.statusCode).toBe(200);
      }
      const fr = await app.inject({ url: '/results/cairnet-demo', remoteAddress: '10.1.0.1' });
      const en = await app.inject({ url: '/results/cairnet-demo?lang=en', remoteAddress: '10.1.0.1' });
      expect(fr.headers.etag).not.toBe(en.headers.etag);
    });

    it('stops serving the page as soon as it is withdrawn on this server', async () => {
      const res = await app.inject({
        method: 'PUT',
        url: '/api/admin/results/cairnet-demo/publication',
        headers: admin,
        payload: { published: false },
      });
      expect(res.statusCode).toBe(200);
      expect((await app.inject({ url: '/results/cairnet-demo', remoteAddress: '10.1.0.2' })).statusCode).toBe(
        404,
      );
      expect(
        (await app.inject({ url: '/api/results/cairnet-demo', remoteAddress: '10.1.0.2' })).statusCode,
      ).toBe(404);
      const again = await app.inject({ url: '/api/admin/dashboard?instrument=cairnet-demo', headers: admin });
      await publishSnapshot(t.store.db, again.json().snapshot, null, new Date(), { demonstration: true });
      expect((await app.inject({ url: '/results/cairnet-demo', remoteAddress: '10.1.0.2' })).statusCode).toBe(
        200,
      );
    });

    it('answers one address past 120 requests a minute with 429 and Retry-After (each route counted apart), and others still', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 125; i++) {
        codes.push(
          (await app.inject({ url: '/results/cairnet-demo', remoteAddress: '10.1.0.3' })).statusCode,
        );
      }
      expect(codes.slice(0, 120).every((c) => c === 200)).toBe(true);
      expect(codes.slice(120).every((c) => c === 429)).toBe(true);
      const limited = await app.inject({ url: '/results/cairnet-demo', remoteAddress: '10.1.0.3' });
      expect(limited.statusCode).toBe(429);
      expect(limited.json().code).toBe('CAIRNET_RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await app.inject({ url: '/results/cairnet-demo', remoteAddress: '10.1.0.4' })).statusCode).toBe(
        200,
      );
    });
  });
}
