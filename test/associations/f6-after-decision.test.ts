import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { buildApp } from '../../src/server/build-app.js';
import { addUser } from '../../src/store/repositories/users.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

const PASSWORD = 'a long enough password';

for (const dialect of await availableDialects()) {
  describe(`${dialect}: F6 of the analysis plan follows the reviewers' decisions`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let headers: Record<string, string>;

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await writeDemoPanel(t.store, { respondents: 60, seed: 7 });
      await addUser(t.store.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin' });
      app = await buildApp({ store: t.store });
      await app.ready();
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'admin@example.org', password: PASSWORD },
      });
      headers = {
        cookie: String(res.headers['set-cookie']).split(';')[0] ?? '',
        'x-csrf-token': res.json().csrfToken,
      };
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    const f6 = async () => {
      const res = await app.inject({ method: 'GET', url: '/api/admin/dashboard', headers });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().indicators as { id: string; estimate: number }[]).find((i) => i.id === 'F6')
        ?.estimate;
    };
    const distinct = async () =>
      (await app.inject({ method: 'GET', url: '/api/admin/associations/cited', headers })).json()
        .distinct as number;

    it('counts as the review page does, and changes at the next request after a merge and its undo', async () => {
      const before = await f6();
      expect(before).toBe(await distinct());
      const review = (
        await app.inject({ method: 'GET', url: '/api/admin/associations/review', headers })
      ).json();
      const groups = review.groups as { mentions: { mention: string }[] }[];
      // a group of one text: merged into another group, it is no more
      const g2 = groups.find((g) => g.mentions.length === 1);
      const g1 = groups.find((g) => g !== g2);
      const merge = await app.inject({
        method: 'POST',
        url: '/api/admin/associations/decisions',
        headers,
        payload: { kind: 'merge', mentions: [g1?.mentions[0]?.mention, g2?.mentions[0]?.mention] },
      });
      expect(merge.statusCode, merge.body).toBe(201);
      const after = await distinct();
      expect(after).toBe((before ?? 0) - 1);
      expect(await f6()).toBe(after);
      const undo = await app.inject({
        method: 'DELETE',
        url: `/api/admin/associations/decisions/${merge.json().id}`,
        headers,
      });
      expect(undo.statusCode).toBe(204);
      expect(await f6()).toBe(before);
    });
  });
}
