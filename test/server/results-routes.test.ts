import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { findUnboundNumbers } from '../../src/report/bound-numbers.js';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { publishSnapshot } from '../../src/store/repositories/publications.js';
import { listSnapshots } from '../../src/store/repositories/snapshots.js';
import { addUser, type Role } from '../../src/store/repositories/users.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';

const PASSWORD = 'a long enough password';
const IDS = [
  'F2',
  'F3',
  'F4',
  'F5',
  'F6',
  'F7',
  'F8',
  'F9',
  'F10',
  'F11',
  'F12',
  'F13',
  'F14',
  'F15',
  'F16',
  'F17',
];
const ALL_IDS = [...IDS, 'F18', 'F18_ongoing', 'F19', 'F19_ongoing', 'F20'];

for (const dialect of await availableDialects()) {
  describe(`${dialect}: results pages and publishing`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    const sessions = new Map<Role, { cookie: string; csrf: string }>();
    const as = (role: Role) => {
      const s = sessions.get(role)!;
      return { cookie: s.cookie, 'x-csrf-token': s.csrf };
    };

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await ensureCairnetInstrument(t.store);
      await writeDemoPanel(t.store, { respondents: 651, seed: 2013 });
      app = await buildApp({ store: t.store });
      await app.ready();
      for (const role of ['admin', 'analyst', 'press', 'reviewer'] as const) {
        await addUser(t.store.db, { email: `${role}@example.org`, password: PASSWORD, role });
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `${role}@example.org`, password: PASSWORD },
        });
        sessions.set(role, {
          cookie: String(res.headers['set-cookie']).split(';')[0]!,
          csrf: res.json().csrfToken,
        });
      }
    }, 180_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('shows no results to the public until they are published', async () => {
      const page = await app.inject({ url: '/results/cairnet-demo' });
      expect(page.statusCode).toBe(404);
      expect(page.body).toContain('Les résultats ne sont pas publiés.');
      expect(page.body).not.toContain('data-indicator="F2"');
      const api = await app.inject({ url: '/api/results/cairnet-demo' });
      expect(api.statusCode).toBe(404);
      expect(api.json().code).toBe('CAIRNET_RESULTS_NOT_PUBLISHED');
    });

    it('lets only an admin publish, and never a demonstration survey', async () => {
      for (const role of ['analyst', 'press', 'reviewer'] as const) {
        const res = await app.inject({
          method: 'PUT',
          url: '/api/admin/results/cairnet-demo/publication',
          headers: as(role),
          payload: { published: true },
        });
        expect(res.statusCode, role).toBe(403);
      }
      const bad = await app.inject({
        method: 'PUT',
        url: '/api/admin/results/cairnet-demo/publication',
        headers: as('admin'),
        payload: { published: 'yes' },
      });
      expect(bad.statusCode).toBe(400);
      const res = await app.inject({
        method: 'PUT',
        url: '/api/admin/results/cairnet-demo/publication',
        headers: as('admin'),
        payload: { published: true },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('CAIRNET_RESULTS_SYNTHETIC_REFUSED');
      // The public page's own rendering of synthetic data is tested below from a publication no
      // route or command can make.
      const snap = (
        await app.inject({ url: '/api/admin/dashboard?instrument=cairnet-demo', headers: as('admin') })
      ).json();
      const pub = await publishSnapshot(t.store.db, snap.snapshot, null, new Date(), { demonstration: true });
      expect(pub.instrument).toBe('cairnet-demo');
    });

    it('serves the published results without login: synthetic flag, publishable indicators, every number bound', async () => {
      for (const lang of ['fr', 'en']) {
        const res = await app.inject({ url: `/results/cairnet-demo?lang=${lang}` });
        expect(res.statusCode).toBe(200);
        expect(res.headers['cache-control']).toContain('max-age');
        expect(res.body).toMatch(/class="synthetic-banner"/);
        expect(res.body).toMatch(lang === 'fr' ? /Données synthétiques/ : /Synthetic data/);
        for (const id of ALL_IDS) expect(res.body, id).toContain(`data-indicator="${id}"`);
        expect(res.body).toMatch(/<svg/);
        expect(res.body).not.toContain('factor-map'); // it plots respondents: not public
        const main = /<main[\s\S]*<\/main>/.exec(res.body)![0];
        expect(findUnboundNumbers(main, ALL_IDS)).toEqual([]);
      }
      const api = await app.inject({ url: '/api/results/cairnet-demo' });
      expect(api.statusCode).toBe(200);
      expect(api.json().synthetic).toBe(true);
      expect(api.json().indicators.map((r: { id: string }) => r.id)).toEqual(ALL_IDS);
    });

    it('shows the dashboard to admin, analyst and press, with every indicator, the factor map and the report links', async () => {
      for (const role of ['admin', 'analyst', 'press'] as const) {
        const res = await app.inject({ url: '/admin/dashboard', headers: as(role) });
        expect(res.statusCode, role).toBe(200);
        for (const id of ALL_IDS) expect(res.body).toContain(`id="ind-${id}"`);
        expect(res.body).toContain('factor-map');
        expect(res.body).toContain('/admin/report?format=pdf&amp;lang=fr');
      }
      expect((await app.inject({ url: '/admin/dashboard', headers: as('reviewer') })).statusCode).toBe(403);
      expect((await app.inject({ url: '/admin/dashboard' })).statusCode).toBe(302);
      const api = await app.inject({ url: '/api/admin/dashboard', headers: as('press') });
      expect(Object.keys(api.json().charts)).toContain('F20');
      // a breakdown: bars with their intervals beside a dashed line at the whole, named
      const marks = (id: string) =>
        (api.json().charts[id].layer as { mark: { type: string } }[]).map((l) => l.mark.type);
      expect(marks('F20')).toEqual(['bar', 'rule', 'rule', 'text']);
      // a Likert item's diverging bar; the age gradient once, at F7
      expect(marks('F14')).toEqual(['bar', 'text', 'rule', 'rule']);
      expect(marks('F7')).toEqual(['rule', 'line', 'text']);
      expect(Object.keys(api.json().charts)).not.toContain('F8');
      const summary = await app.inject({ url: '/api/admin/dashboard/summary', headers: as('press') });
      expect(summary.statusCode).toBe(200);
      expect(summary.json().mostCited.length).toBeGreaterThan(0);
      expect(summary.json().publication.instrument).toBe('cairnet-demo');
    });

    it('answers a survey that does not exist with 404, on every team page and API, computing nothing', async () => {
      const before = await listSnapshots(t.store.db);
      for (const url of [
        '/admin/dashboard?instrument=nosuchsurvey',
        '/api/admin/dashboard?instrument=nosuchsurvey',
        '/api/admin/dashboard/summary?instrument=nosuchsurvey',
        '/admin/report?instrument=nosuchsurvey',
        '/admin/press-release?instrument=nosuchsurvey',
      ]) {
        const res = await app.inject({ url, headers: as('admin') });
        expect(res.statusCode, url).toBe(404);
        expect(res.json().code, url).toBe('CAIRNET_INSTRUMENT_NOT_FOUND');
      }
      const bad = await app.inject({ url: '/api/admin/dashboard?instrument=..%2Fx', headers: as('admin') });
      expect(bad.statusCode).toBe(400);
      expect(await listSnapshots(t.store.db)).toEqual(before);
    });

    it('serves the report and the press release to the survey team', async () => {
      const report = await app.inject({ url: '/admin/report?format=html&lang=en', headers: as('analyst') });
      expect(report.statusCode).toBe(200);
      expect(findUnboundNumbers(report.body, ALL_IDS)).toEqual([]);
      const release = await app.inject({
        url: '/admin/press-release?format=md&lang=fr',
        headers: as('press'),
      });
      expect(release.body).toContain('Quatre chercheurs sur cinq');
      // The team's preview, with its warning: the release itself is the CLI's.
      expect(release.body).toContain('Aperçu pour l’équipe');
    });

    it('takes the results off the public page once withdrawn (the command line too)', async () => {
      const res = await app.inject({
        method: 'PUT',
        url: '/api/admin/results/cairnet-demo/publication',
        headers: as('admin'),
        payload: { published: false },
      });
      expect(res.json().publication).toBeNull();
      expect((await app.inject({ url: '/results/cairnet-demo' })).statusCode).toBe(404);
      // the command line refuses to publish a demonstration survey, as the route does
      const on = await cli(['publish', '--instrument', 'cairnet-demo', '--json', '--db', t.location]);
      expect(on.code).toBe(8);
      expect(on.stderr).toContain('CAIRNET_RESULTS_SYNTHETIC_REFUSED');
      expect((await app.inject({ url: '/results/cairnet-demo' })).statusCode).toBe(404);
      const [latest] = await listSnapshots(t.store.db, { instrument: 'cairnet-demo' });
      await publishSnapshot(t.store.db, latest!.id, null, new Date(), { demonstration: true });
      expect((await app.inject({ url: '/results/cairnet-demo' })).statusCode).toBe(200);
      const off = await cli([
        'publish',
        '--withdraw',
        '--instrument',
        'cairnet-demo',
        '--json',
        '--db',
        t.location,
      ]);
      expect(JSON.parse(off.stdout).published).toBe(false);
      expect((await app.inject({ url: '/results/cairnet-demo' })).statusCode).toBe(404);
    });
  });
}
