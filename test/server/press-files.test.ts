import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pressEdges } from '../../src/associations/citations.js';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { addUser, type Role } from '../../src/store/repositories/users.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

describe('the press office network', () => {
  const cited = [
    { responseId: 'r-1', associations: [{ group: 'g1', label: 'AFM' }] },
    {
      responseId: 'r-2',
      associations: [
        { group: 'g1', label: 'AFM' },
        { group: 'g2', label: 'Ligue' },
      ],
    },
    { responseId: 'r-3', associations: [{ group: 'g2', label: 'Ligue' }] },
  ];

  it('keeps only researchers who opted in, under ids drawn for the download', () => {
    const edges = pressEdges(cited as never, new Set(['r-2', 'r-3']), () => 0);
    expect(edges.map((e) => e.researcher).sort()).toEqual(['P1', 'P2', 'P2']);
    expect(JSON.stringify(edges)).not.toMatch(/r-\d/);
    // another draw, another numbering: ids do not follow a response from one download to the next
    const a = pressEdges(cited as never, new Set(['r-2', 'r-3']), () => 0);
    const b = pressEdges(cited as never, new Set(['r-2', 'r-3']), () => 0.99);
    expect(a.find((e) => e.label === 'AFM')!.researcher).not.toBe(
      b.find((e) => e.label === 'AFM')!.researcher,
    );
  });
});

for (const dialect of await availableDialects()) {
  describe(`${dialect}: what the press office can download`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    const cookies = new Map<Role, string>();

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await ensureCairnetInstrument(t.store);
      await writeDemoPanel(t.store, { respondents: 200, seed: 11 });
      app = await buildApp({ store: t.store });
      await app.ready();
      for (const role of ['press', 'analyst'] as const) {
        await addUser(t.store.db, { email: `${role}@example.org`, password: 'a long enough password', role });
        const login = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `${role}@example.org`, password: 'a long enough password' },
        });
        cookies.set(role, String(login.headers['set-cookie']).split(';')[0]!);
      }
    }, 120_000);
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('names no response in any page or file the press role may open', async () => {
      const ids = (await t.store.db.selectFrom('responses').select('id').execute()).map((r) => r.id);
      expect(ids.length).toBe(200);
      const routes = app.routeTable.filter(
        (r) => r.method === 'GET' && r.roles?.includes('press') && !r.url.includes(':'),
      );
      expect(routes.map((r) => r.url)).toContain('/api/admin/dashboard/network.graphml');
      for (const r of routes) {
        const res = await app.inject({ url: r.url, headers: { cookie: cookies.get('press')! } });
        expect(res.statusCode, r.url).toBeLessThan(500);
        for (const id of ids) expect(res.body.includes(id), `${r.url} names response ${id}`).toBe(false);
      }
    }, 120_000);

    it('gives the press office the network of the researchers who opted in only', async () => {
      const optedIn = await t.store.db
        .selectFrom('responses')
        .select('data')
        .execute()
        .then((rows) => rows.filter((r) => JSON.parse(r.data).press_contact_optin === 'yes'));
      const press = await app.inject({
        url: '/api/admin/dashboard/network.graphml',
        headers: { cookie: cookies.get('press')! },
      });
      const researchers = [...press.body.matchAll(/<node id="r:([^"]+)"/g)].map((m) => m[1]);
      expect(researchers.every((id) => /^P\d+$/.test(id!))).toBe(true);
      expect(researchers.length).toBeGreaterThan(0);
      expect(researchers.length).toBeLessThanOrEqual(optedIn.length);
      const analyst = await app.inject({
        url: '/api/admin/dashboard/network.graphml',
        headers: { cookie: cookies.get('analyst')! },
      });
      const all = [...analyst.body.matchAll(/<node id="r:([^"]+)"/g)].length;
      expect(all).toBeGreaterThan(researchers.length);
    });
  });
}
