import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { addUser } from '../../src/store/repositories/users.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

const PASSWORD = 'a long enough password';

for (const dialect of await availableDialects()) {
  describe(`${dialect}: the survey team's home page`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    const cookies = new Map<string, string>();

    beforeAll(async () => {
      t = await openTestStore(dialect);
      // as `cairnet serve` does: the Cairnet questionnaire stored, the demonstration panel apart
      await ensureCairnetInstrument(t.store);
      await writeDemoPanel(t.store, { respondents: 30, seed: 4 });
      app = await buildApp({ store: t.store });
      await app.ready();
      for (const role of ['admin', 'analyst'] as const) {
        await addUser(t.store.db, { email: `${role}@example.org`, password: PASSWORD, role });
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `${role}@example.org`, password: PASSWORD },
        });
        cookies.set(role, String(res.headers['set-cookie']).split(';')[0]!);
      }
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('links every download, each answering as the role allows', async () => {
      const home = await app.inject({ url: '/admin', headers: { cookie: cookies.get('analyst')! } });
      expect(home.statusCode).toBe(200);
      const links = [...home.body.matchAll(/href="(\/api\/admin\/[^"]+)"/g)].map((m) =>
        m[1]!.replaceAll('&amp;', '&'),
      );
      expect(links).toHaveLength(8);
      for (const url of links) {
        const asAnalyst = await app.inject({ url, headers: { cookie: cookies.get('analyst')! } });
        const asAdmin = await app.inject({ url, headers: { cookie: cookies.get('admin')! } });
        expect(asAdmin.statusCode, url).toBe(200);
        expect(asAnalyst.statusCode, url).toBe(url.includes('/population/') ? 403 : 200);
        expect(String(asAdmin.headers['content-disposition']), url).toMatch(/^attachment; filename=/);
      }
    });
  });
}
