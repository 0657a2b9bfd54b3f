import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { generatePanel } from '../../src/demo/index.js';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { currentInstrument, saveInstrument } from '../../src/store/repositories/instruments.js';
import { findPublication } from '../../src/store/repositories/publications.js';
import { insertResponsesBulk } from '../../src/store/repositories/responses.js';
import { addUser } from '../../src/store/repositories/users.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

const PASSWORD = 'a long enough password';
const ROLES = ['admin', 'analyst', 'press', 'reviewer'] as const;
type Role = (typeof ROLES)[number];

for (const dialect of await availableDialects()) {
  describe(`${dialect}: questionnaire versions, respondent preview and the publishing page`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    const sessions = new Map<Role, { cookie: string; 'x-csrf-token': string }>();
    const as = (role: Role) => sessions.get(role)!;

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await ensureCairnetInstrument(t.store);
      // version 2: one question removed, one added, one reworded
      const v1 = (await currentInstrument(t.store.db, 'cairnet'))!.json as {
        pages: { elements: Record<string, unknown>[] }[];
      };
      const v2 = structuredClone(v1);
      const reworded = v2.pages
        .flatMap((p) => p.elements)
        .find((e) => e.type !== 'html' && e.title && typeof e.title === 'object')!;
      (reworded.title as Record<string, string>).fr = 'Une formulation toute neuve';
      v2.pages[0]!.elements.push({
        type: 'text',
        name: 'brand_new',
        title: { default: 'New', fr: 'Nouvelle' },
      });
      await saveInstrument(t.store.db, 'cairnet', v2);
      await insertResponsesBulk(
        t.store.db,
        generatePanel({ respondents: 60, seed: 3 }).map((r, i) => ({
          instrumentName: 'cairnet',
          instrumentVersion: 2,
          data: r.data,
          synthetic: false,
          idempotencyKey: `publish-page-${i}`,
          completedAt: new Date(Date.UTC(2026, 0, 2) + i * 3_600_000).toISOString(),
        })),
      );
      await writeDemoPanel(t.store, { respondents: 40, seed: 5 });
      app = await buildApp({ store: t.store });
      await app.ready();
      for (const role of ROLES) {
        await addUser(t.store.db, { email: `${role}@example.org`, password: PASSWORD, role });
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `${role}@example.org`, password: PASSWORD },
        });
        sessions.set(role, {
          cookie: String(res.headers['set-cookie']).split(';')[0]!,
          'x-csrf-token': res.json().csrfToken,
        });
      }
    }, 180_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('lists the versions with the live one and the diff between consecutive versions, for every team role, in both languages', async () => {
      for (const role of ROLES) {
        const res = await app.inject({ url: '/admin/versions?lang=en', headers: as(role) });
        expect(res.statusCode, role).toBe(200);
      }
      const en = await app.inject({
        url: '/admin/versions?lang=en&instrument=cairnet',
        headers: as('analyst'),
      });
      expect(en.body).toMatch(/Version 2 <span class="badge">live<\/span>/);
      expect(en.body).toContain('Changes since version 1');
      expect(en.body).toMatch(/Questions added \(1\)<\/h4><ul><li><code>brand_new<\/code>/);
      expect(en.body).toContain('Une formulation toute neuve');
      expect(en.body).toContain('First version.');
      const fr = await app.inject({ url: '/admin/versions?instrument=cairnet', headers: as('analyst') });
      expect(fr.body).toContain('Questions ajoutées (1)');
      expect(fr.body).not.toContain('Questions added');
      const unknown = await app.inject({ url: '/admin/versions?instrument=nope', headers: as('admin') });
      expect(unknown.statusCode).toBe(404);
      expect((await app.inject({ url: '/admin/versions' })).statusCode).toBe(302); // to the login page
    });

    it('previews a version in each of its languages, marked as a preview, with no way to store an answer', async () => {
      const res = await app.inject({
        url: '/admin/versions/cairnet/1/preview?lang=en&form=fr',
        headers: as('reviewer'),
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Nothing you enter is stored or sent.');
      expect(res.body).toContain('data-src="/api/admin/instruments/cairnet/1"');
      expect(res.body).toContain('data-form="fr"');
      expect(res.body).not.toContain('/assets/respond.js');
      const json = await app.inject({ url: '/api/admin/instruments/cairnet/1', headers: as('reviewer') });
      expect(json.statusCode).toBe(200);
      expect(json.json().pages.length).toBeGreaterThan(0);
      expect(
        (await app.inject({ url: '/admin/versions/cairnet/9/preview', headers: as('admin') })).statusCode,
      ).toBe(404);
      expect((await app.inject({ url: '/api/admin/instruments/cairnet/1' })).statusCode).toBe(401);
    });

    it('downloads any version as an XLSForm workbook, written to the audit log', async () => {
      const res = await app.inject({
        url: '/api/admin/instruments/cairnet/1/xlsform',
        headers: as('analyst'),
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toBe('attachment; filename="cairnet-v1.xlsx"');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['survey', 'choices', 'settings']);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'target'])
        .where('action', '=', 'instrument.export')
        .execute();
      expect(audit).toEqual([{ action: 'instrument.export', target: 'cairnet@1' }]);
    });

    it('says, in the page’s language, that a version’s quotas go to the cairnet_quotas sheet, and writes it', async () => {
      await saveInstrument(t.store.db, 'quota-form', {
        pages: [{ name: 'p', elements: [{ type: 'radiogroup', name: 'g', choices: ['f', 'm'] }] }],
        cairnetQuotas: [
          { name: 'women', limit: 3, action: 'end', members: [{ question: 'g', values: ['f'] }] },
        ],
      });
      const en = await app.inject({
        url: '/admin/versions?lang=en&instrument=quota-form',
        headers: as('analyst'),
      });
      expect(en.body).toContain(
        'XLSForm has no quotas: the quota of this version is written to the workbook’s “cairnet_quotas” sheet',
      );
      const fr = await app.inject({
        url: '/admin/versions?lang=fr&instrument=quota-form',
        headers: as('analyst'),
      });
      expect(fr.body).toContain(
        'XLSForm n’a pas de quotas : le quota de cette version est écrit dans la feuille « cairnet_quotas »',
      );
      expect(fr.body).not.toContain('written to the workbook');
      // the Cairnet questionnaire has none: no such sentence
      const none = await app.inject({
        url: '/admin/versions?lang=en&instrument=cairnet',
        headers: as('analyst'),
      });
      expect(none.body).not.toContain('cairnet_quotas');
      const res = await app.inject({
        url: '/api/admin/instruments/quota-form/1/xlsform',
        headers: as('analyst'),
      });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['survey', 'choices', 'settings', 'cairnet_quotas']);
    });

    it('shows admins the checklist and the public page as it would be published; other roles get 403', async () => {
      for (const role of ['analyst', 'press', 'reviewer'] as const)
        expect((await app.inject({ url: '/admin/publish', headers: as(role) })).statusCode, role).toBe(403);
      const res = await app.inject({
        url: '/admin/publish?lang=en&instrument=cairnet',
        headers: as('admin'),
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('What to know before publishing');
      expect(res.body).toContain('Real data only.');
      expect(res.body).toMatch(/fragile|No fragile base/);
      expect(res.body).toMatch(/suppressed|No suppressed cell/);
      expect(res.body).toMatch(/association name|Every association name is reviewed/);
      expect(res.body).toContain('id="publish"');
      expect(res.body).toContain('data-indicator="F2"');
      expect(res.body.match(/<main/g)).toHaveLength(1);
      const fr = await app.inject({ url: '/admin/publish?instrument=cairnet', headers: as('admin') });
      expect(fr.body).toContain('À savoir avant de publier');
      expect(fr.body).not.toContain('What to know before publishing');
    });

    it('never offers to publish a demonstration survey, and the route refuses it with a clear code, nothing published', async () => {
      const page = await app.inject({
        url: '/admin/publish?lang=en&instrument=cairnet-demo',
        headers: as('admin'),
      });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('CAIRNET_RESULTS_SYNTHETIC_REFUSED');
      expect(page.body).not.toContain('id="publish"');
      const res = await app.inject({
        method: 'PUT',
        url: '/api/admin/results/cairnet-demo/publication',
        headers: as('admin'),
        payload: { published: true },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('CAIRNET_RESULTS_SYNTHETIC_REFUSED');
      expect(await findPublication(t.store.db, 'cairnet-demo')).toBeNull();
    });

    it('publishes a real survey through the kept route: CSRF required, audit logged', async () => {
      const { cookie } = as('admin');
      const noCsrf = await app.inject({
        method: 'PUT',
        url: '/api/admin/results/cairnet/publication',
        headers: { cookie },
        payload: { published: true },
      });
      expect(noCsrf.statusCode).toBe(403);
      expect(await findPublication(t.store.db, 'cairnet')).toBeNull();
      const res = await app.inject({
        method: 'PUT',
        url: '/api/admin/results/cairnet/publication',
        headers: as('admin'),
        payload: { published: true },
      });
      expect(res.statusCode).toBe(200);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'target'])
        .where('action', '=', 'results.publish')
        .execute();
      expect(audit).toEqual([{ action: 'results.publish', target: 'cairnet' }]);
      const page = await app.inject({
        url: '/admin/publish?lang=en&instrument=cairnet',
        headers: as('admin'),
      });
      expect(page.body).toContain('Published now: snapshot');
      expect(page.body).toContain('id="withdraw"');
    });
  });
}
