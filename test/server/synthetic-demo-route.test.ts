import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/build-app.js';
import { listAudit } from '../../src/store/repositories/audit-log.js';
import { findSurvey, responseKinds } from '../../src/store/repositories/surveys.js';
import { addUser } from '../../src/store/repositories/users.js';
import { STAFF_FORM } from '../fixtures/imports/staff-form.js';
import { buildXlsform } from '../fixtures/imports/xlsform-builder.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';
import { storeCounts } from '../helpers/store-counts.js';

const PASSWORD = 'a long enough password';
const dir = mkdtempSync(join(tmpdir(), 'cairnet-synthetic-route-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

for (const dialect of await availableDialects()) {
  describe(`${dialect}: "Try with synthetic responses" on the questionnaire versions page`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    const sessions = new Map<string, { cookie: string; 'x-csrf-token': string }>();
    const as = (role: string) => sessions.get(role)!;
    const post = (role: string | null, payload: unknown, name = 'staff') =>
      app.inject({
        method: 'POST',
        url: `/api/admin/instruments/${name}/synthetic`,
        headers: role ? as(role) : {},
        payload: payload as Record<string, unknown>,
      });

    beforeAll(async () => {
      t = await openTestStore(dialect);
      const form = join(dir, `staff-${dialect}.xlsx`);
      writeFileSync(form, await buildXlsform(STAFF_FORM));
      const imported = await cli(['instrument', 'import', form, '--name', 'staff', '--db', t.location]);
      expect(imported.code, imported.stderr).toBe(0);
      app = await buildApp({ store: t.store });
      await app.ready();
      for (const role of ['admin', 'analyst'] as const) {
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
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('shows the button to admins only, in the page’s language, and no link before the demonstration exists', async () => {
      const fr = await app.inject({ url: '/admin/versions?instrument=staff', headers: as('admin') });
      expect(fr.statusCode).toBe(200);
      expect(fr.body).toContain('<h2 id="synthetic-h">Essayer avec des réponses synthétiques</h2>');
      expect(fr.body).toContain('<form id="synthetic" data-instrument="staff">');
      expect(fr.body).toContain('staff-demo');
      expect(fr.body).toMatch(/<a id="synthetic-dashboard" href="[^"]*instrument=staff-demo" hidden>/);
      expect(fr.body).not.toContain('Try with synthetic responses');
      expect(fr.body).toContain('/assets/studio-versions.js');
      const en = await app.inject({ url: '/admin/versions?lang=en&instrument=staff', headers: as('admin') });
      expect(en.body).toContain('<button type="submit">Try with synthetic responses</button>');
      expect(en.body).not.toContain('réponses synthétiques');
      const analyst = await app.inject({
        url: '/admin/versions?lang=en&instrument=staff',
        headers: as('analyst'),
      });
      expect(analyst.body).toContain('Try with synthetic responses</h2>');
      expect(analyst.body).not.toContain('<form id="synthetic"');
    });

    it('refuses without the CSRF token, for another role, and bad input, storing nothing', async () => {
      const before = await storeCounts(t.store);
      const noCsrf = await app.inject({
        method: 'POST',
        url: '/api/admin/instruments/staff/synthetic',
        headers: { cookie: as('admin').cookie },
        payload: { respondents: 5 },
      });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().code).toBe('CAIRNET_CSRF');
      const analyst = await post('analyst', { respondents: 5 });
      expect(analyst.statusCode).toBe(403);
      expect(analyst.json().code).toBe('CAIRNET_FORBIDDEN');
      expect((await post(null, { respondents: 5 })).statusCode).toBe(401);
      for (const bad of [{ respondents: 0 }, { respondents: 1001 }, { respondents: 'many' }, { other: 1 }])
        expect((await post('admin', bad)).statusCode, JSON.stringify(bad)).toBe(400);
      const unknown = await post('admin', { respondents: 5 }, 'nope');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('CAIRNET_INSTRUMENT_NOT_FOUND');
      expect(await storeCounts(t.store)).toEqual(before);
      expect(await findSurvey(t.store.db, 'staff-demo')).toBeUndefined();
    });

    it('writes the synthetic responses into staff-demo, audited, and links its dashboard', async () => {
      const res = await post('admin', { respondents: 40, seed: 12 });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        instrument: 'staff-demo',
        from: 'staff',
        written: 40,
        seed: 12,
        dashboard: '/admin/dashboard?instrument=staff-demo',
      });
      expect(await responseKinds(t.store.db, 'staff-demo')).toEqual({ synthetic: 40, real: 0 });
      expect(await responseKinds(t.store.db, 'staff')).toEqual({ synthetic: 0, real: 0 });
      const audit = await listAudit(t.store.db, { action: 'demo.synthetic', limit: 5 });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        action: 'demo.synthetic',
        target: 'staff-demo',
        userEmail: 'admin@example.org',
      });
      expect(JSON.parse(audit[0]!.detail!)).toEqual({
        via: 'http',
        from: 'staff',
        respondents: 40,
        seed: 12,
        written: 40,
      });
      // a second press draws another seed; the same seed again is refused
      const again = await post('admin', { respondents: 10 });
      expect(again.statusCode, again.body).toBe(201);
      expect(again.json().seed).not.toBe(12);
      const same = await post('admin', { respondents: 40, seed: 12 });
      expect(same.statusCode).toBe(409);
      expect(same.json().code).toBe('CAIRNET_RESPONSE_ALREADY_COMPLETED');
      const page = await app.inject({
        url: '/admin/versions?lang=en&instrument=staff',
        headers: as('admin'),
      });
      expect(page.body).toMatch(/<a id="synthetic-dashboard" href="[^"]*instrument=staff-demo">/);
      const dashboard = await app.inject({
        url: '/admin/dashboard?lang=en&instrument=staff-demo',
        headers: as('analyst'),
      });
      expect(dashboard.statusCode).toBe(200);
      // the demonstration itself offers no button
      const demo = await app.inject({
        url: '/admin/versions?lang=en&instrument=staff-demo',
        headers: as('admin'),
      });
      expect(demo.body).not.toContain('id="synthetic"');
    }, 120_000);
  });
}
