import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { loggerOptions, redactUrl } from '../../src/server/logging.js';
import { addUser } from '../../src/store/repositories/users.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';

describe('logs', () => {
  it('replace resume and invitation tokens in URLs', () => {
    expect(redactUrl('/api/instruments/cairnet/drafts/abcdefghijklmnopqrstuvwx')).toBe(
      '/api/instruments/cairnet/drafts/***',
    );
    expect(redactUrl('/s/cairnet?lang=fr&resume=SECRETSECRET&x=1')).toBe('/s/cairnet?lang=fr&resume=***&x=1');
    expect(redactUrl('/s/cairnet?invitation=SECRET')).toBe('/s/cairnet?invitation=***');
  });

  describe('of a running app', () => {
    let t: TestStore;
    const lines: string[] = [];
    beforeAll(async () => {
      t = await openTestStore('sqlite');
      await ensureCairnetInstrument(t.store);
      await addUser(t.store.db, {
        email: 'person@example.org',
        password: 'a long enough password',
        role: 'admin',
      });
    });
    afterAll(async () => t.dispose());

    it('hold no token, e-mail address, password or answer', async () => {
      const stream = new Writable({
        write(chunk, _enc, cb) {
          lines.push(String(chunk));
          cb();
        },
      });
      const app = await buildApp({ store: t.store, logger: loggerOptions('info', stream) });
      const token = 'tok_SECRET_0123456789abcdefgh';
      await app.inject({
        method: 'PUT',
        url: `/api/instruments/cairnet/drafts/${token}`,
        payload: { data: { gender: 'woman' } },
      });
      await app.inject({ url: `/s/cairnet?resume=${token}` });
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'person@example.org', password: 'a long enough password' },
      });
      await app.close();
      const log = lines.join('');
      expect(log).toContain('/drafts/***');
      expect(log).not.toContain('SECRET');
      expect(log).not.toContain('person@example.org');
      expect(log).not.toContain('long enough');
      expect(log).not.toContain('woman');
      expect(log).not.toContain('remoteAddress');
    });
  });

  describe('of every route that takes a token', () => {
    let t: TestStore;
    afterAll(async () => t?.dispose());

    it('hold none: each route of the table requested with tokens in its path and its query', async () => {
      t = await openTestStore('sqlite');
      await ensureCairnetInstrument(t.store);
      const logged: string[] = [];
      const stream = new Writable({
        write(chunk, _enc, cb) {
          logged.push(String(chunk));
          cb();
        },
      });
      const app = await buildApp({
        store: t.store,
        logger: loggerOptions('info', stream),
        openSubmitRate: 0,
      });
      await app.ready();
      const routes = app.routeTable.filter((r) => r.method !== 'HEAD');
      const secrets: string[] = [];
      let n = 0;
      for (const r of routes) {
        // a token of the real shape, and a short one only the route's own pattern reveals
        for (const shape of ['long', 'short'] as const) {
          const secret =
            shape === 'long'
              ? `SECRET${String(n++).padStart(4, '0')}abcdefghijklmnopqrstuvwxyz0123`
              : `SECRET${n++}`;
          secrets.push(secret);
          const path = r.url
            .split('/')
            .map((seg) =>
              seg.startsWith(':')
                ? /token/i.test(seg)
                  ? secret
                  : seg === ':name'
                    ? 'cairnet'
                    : 'x'
                : seg === '*'
                  ? 'x'
                  : seg,
            )
            .join('/');
          const query =
            shape === 'long'
              ? `?resume=${secret}&invitation=${secret}&token=${secret}&t=${secret}&lang=fr`
              : '';
          await app.inject({
            method: r.method as 'GET',
            url: `${path}${query}`,
            ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: {} }),
          });
        }
      }
      await app.close();
      const log = logged.join('');
      const requests = logged.filter((l) => l.includes('incoming request')).length;
      expect(requests).toBe(secrets.length);
      expect(log).toContain('/press/answer/***');
      expect(log).toContain('/i/***');
      for (const secret of secrets) expect(log, secret).not.toContain(secret);
    });
  });
});
