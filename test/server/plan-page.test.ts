import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/build-app.js';
import { PLAN_MESSAGES, PLAN_PAGE } from '../../src/server/studio/plan-page.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { insertResponsesBulk } from '../../src/store/repositories/responses.js';
import { listSurveyPlans } from '../../src/store/repositories/surveys.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { type AsMember, teamSessions } from '../helpers/team-sessions.js';

/** A staff survey of two closed questions: its plan is edited in the studio only. */
const STAFF = {
  title: { default: 'Staff survey', fr: 'Enquête du personnel' },
  pages: [
    {
      name: 'p',
      elements: [
        {
          type: 'radiogroup',
          name: 'site',
          title: { default: 'Your site', fr: 'Votre site' },
          choices: [
            { value: 'n', text: { default: 'North', fr: 'Nord' } },
            { value: 's', text: { default: 'South', fr: 'Sud' } },
          ],
        },
        {
          type: 'radiogroup',
          name: 'remote',
          title: { default: 'Remote work?', fr: 'Télétravail ?' },
          choices: [
            { value: 'yes', text: { default: 'Yes', fr: 'Oui' } },
            { value: 'no', text: { default: 'No', fr: 'Non' } },
          ],
        },
      ],
    },
  ],
};

const EDITED = `version: 1
instrument: staff
indicators:
  - id: remote_by_site
    label: { fr: "Télétravail par site", en: "Remote work by site" }
    estimate: { proportion: { var: remote, in: ["yes"] } }
    by: site
`;

for (const dialect of await availableDialects()) {
  describe(`${dialect}: the analysis plan in the studio`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let as: AsMember;

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await saveInstrument(t.store.db, 'staff', STAFF);
      await insertResponsesBulk(
        t.store.db,
        Array.from({ length: 40 }, (_, i) => ({
          instrumentName: 'staff',
          instrumentVersion: 1,
          data: { site: i % 2 ? 'n' : 's', remote: i % 3 ? 'yes' : 'no' },
          synthetic: false,
          idempotencyKey: `plan-page-${i}`,
          completedAt: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
        })),
      );
      app = await buildApp({ store: t.store });
      as = await teamSessions(app, t.store.db);
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('shows the default plan of a survey without one, in both languages', async () => {
      const view = await as('analyst', 'GET', '/api/admin/plan?instrument=staff');
      expect(view.statusCode).toBe(200);
      expect(view.json()).toMatchObject({
        instrument: 'staff',
        origin: 'default',
        version: null,
        versions: [],
      });
      expect(view.json().yaml).toContain('distribution: site');
      for (const lang of ['fr', 'en'] as const) {
        const page = await as('analyst', 'GET', `/admin/plan?instrument=staff&lang=${lang}`);
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain(
          `<h1>${PLAN_PAGE[lang].title.replace('’', '&#39;').replace('&#39;', '’')}</h1>`,
        );
        expect(page.body).toContain('distribution: site');
        expect(page.body).toContain(lang === 'fr' ? 'Le plan par défaut' : 'The default plan');
        expect(page.body).not.toContain(lang === 'fr' ? 'The default plan' : 'Le plan par défaut');
        // the script's words travel in the page's language
        expect(page.body).toContain(PLAN_MESSAGES[lang].checking);
      }
    });

    it('checks a plan and names the line of each problem, storing nothing', async () => {
      const ok = await as('analyst', 'POST', '/api/admin/plan/check', { instrument: 'staff', yaml: EDITED });
      expect(ok.json()).toEqual({ valid: true, indicators: 1 });
      const bad = await as('analyst', 'POST', '/api/admin/plan/check', {
        instrument: 'staff',
        yaml: EDITED.replace('by: site', 'by: sitee'),
      });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().code).toBe('CAIRNET_PLAN_INVALID');
      expect(bad.json().details[0]).toMatchObject({ line: 7, indicator: 'remote_by_site' });
      expect(bad.json().details[0].message).toContain('sitee');
      const file = await as('analyst', 'POST', '/api/admin/plan', {
        instrument: 'staff',
        yaml: `${EDITED}weighting: { rake: [site], to: /etc/passwd }\n`,
      });
      expect(file.statusCode).toBe(422);
      expect(file.json().message).toContain('names a file');
      expect(await listSurveyPlans(t.store.db, 'staff')).toEqual([]);
    });

    it('stores a checked plan as the next version (once for the same text), audited, and analyses with it', async () => {
      const first = await as('analyst', 'POST', '/api/admin/plan', { instrument: 'staff', yaml: EDITED });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toEqual({ instrument: 'staff', version: 1, created: true, indicators: 1 });
      const again = await as('admin', 'POST', '/api/admin/plan', { instrument: 'staff', yaml: EDITED });
      expect(again.statusCode).toBe(200);
      expect(again.json().created).toBe(false);
      const view = (await as('analyst', 'GET', '/api/admin/plan?instrument=staff')).json();
      expect(view).toMatchObject({ origin: 'stored', version: 1, yaml: EDITED });
      expect(view.versions.map((v: { version: number }) => v.version)).toEqual([1]);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'target'])
        .where('action', '=', 'plan.set')
        .execute();
      expect(audit).toHaveLength(2);
      const results = (await as('analyst', 'GET', '/api/admin/dashboard?instrument=staff&lang=en')).json();
      expect(results.indicators.map((i: { id: string }) => i.id)).toEqual(['remote_by_site']);
    });

    it('refuses other roles, a missing CSRF header, an unknown survey and a malformed body', async () => {
      for (const role of ['press', 'reviewer'] as const) {
        for (const [method, url] of [
          ['GET', '/admin/plan'],
          ['GET', '/api/admin/plan?instrument=staff'],
          ['POST', '/api/admin/plan'],
        ] as const) {
          const r = await as(
            role,
            method,
            url,
            method === 'POST' ? { instrument: 'staff', yaml: EDITED } : undefined,
          );
          expect(r.statusCode, `${role} ${method} ${url}`).toBe(403);
        }
      }
      const noCsrf = await app.inject({
        method: 'POST',
        url: '/api/admin/plan',
        payload: { instrument: 'staff', yaml: EDITED },
      });
      expect([401, 403]).toContain(noCsrf.statusCode);
      const unknown = await as('admin', 'POST', '/api/admin/plan', { instrument: 'nosuch', yaml: EDITED });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('CAIRNET_INSTRUMENT_NOT_FOUND');
      for (const body of [
        { instrument: 'staff' },
        { instrument: 'staff', yaml: '' },
        { instrument: '../x', yaml: EDITED },
      ]) {
        const r = await as('admin', 'POST', '/api/admin/plan', body);
        expect(r.statusCode, JSON.stringify(body)).toBe(400);
      }
      expect((await listSurveyPlans(t.store.db, 'staff')).map((v) => v.version)).toEqual([1]);
    });
  });
}
