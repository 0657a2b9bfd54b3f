import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSetting } from '../../src/campaign/campaign-settings.js';
import { buildApp } from '../../src/server/build-app.js';
import { addUser, ROLES, type Role } from '../../src/store/repositories/users.js';
import {
  exportAudit,
  KEPT,
  linkValues,
  PEOPLE,
  RESPONSE_COUNT,
  seedCampaignExport,
} from '../exports/campaign-export-fixture.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

const PASSWORD = 'a long enough password';
const TODAY = () => new Date().toISOString().slice(0, 10);

for (const dialect of await availableDialects()) {
  describe(`${dialect}: exports over HTTP`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    const sessions = new Map<Role, { cookie: string; id: string }>();

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await seedCampaignExport(t.store);
      app = await buildApp({ store: t.store });
      await app.ready();
      for (const role of ROLES) {
        const user = await addUser(t.store.db, { email: `${role}@example.org`, password: PASSWORD, role });
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `${role}@example.org`, password: PASSWORD },
        });
        expect(res.statusCode).toBe(200);
        sessions.set(role, { cookie: String(res.headers['set-cookie']).split(';')[0]!, id: user.id });
      }
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    const get = (url: string, role?: Role) =>
      app.inject({ method: 'GET', url, headers: role ? { cookie: sessions.get(role)!.cookie } : {} });
    const auditCount = async () =>
      Number(
        (
          await t.store.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n,
      );

    it('gives admins and analysts the responses as CSV, with a file name, and logs who took how many', async () => {
      for (const role of ['admin', 'analyst'] as const) {
        const res = await get('/api/admin/export?format=csv', role);
        expect(res.statusCode, role).toBe(200);
        expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(res.headers['content-disposition']).toBe(
          `attachment; filename="cairnet-responses-${TODAY()}.csv"`,
        );
        expect(res.headers['cache-control']).toBe('no-store');
        // A byte order mark first, so that Excel reads the accents as UTF-8.
        expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
        const rows = parse(res.body, { bom: true }) as string[][];
        expect(rows[0]!.slice(0, 5)).toEqual([
          'response_id',
          'synthetic',
          'instrument_version',
          'completed_at',
          'relation',
        ]);
        expect(rows).toHaveLength(RESPONSE_COUNT + 1);
        // The export fixture's remark is a formula: neutralised, as in the CLI export.
        expect(res.body).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
      }
      const entries = await exportAudit(t.store, 'export.responses');
      expect(entries.map((e) => e.user_id)).toEqual([sessions.get('admin')!.id, sessions.get('analyst')!.id]);
      for (const e of entries) {
        expect(e.target).toBe('cairnet');
        expect(e.detail).toMatchObject({ via: 'http', format: 'csv', rows: RESPONSE_COUNT, labels: false });
        expect(Date.now() - Date.parse(e.at)).toBeLessThan(60_000);
      }
    });

    it('sends labels, XLSX and SPSS files with their media types', async () => {
      const labels = await get('/api/admin/export?format=csv&labels=1&lang=en', 'analyst');
      expect(labels.statusCode).toBe(200);
      expect(labels.body).toContain(',Ongoing,');
      // Codes and labels (per language) download under distinct names.
      expect(labels.headers['content-disposition']).toBe(
        `attachment; filename="cairnet-responses-labels-en-${TODAY()}.csv"`,
      );
      const xlsx = await get('/api/admin/export?format=xlsx', 'analyst');
      expect(xlsx.statusCode).toBe(200);
      expect(xlsx.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(xlsx.headers['content-disposition']).toContain(`cairnet-responses-${TODAY()}.xlsx`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['data', 'codebook', 'value labels', 'notes']);
      expect(wb.getWorksheet('data')!.rowCount).toBe(RESPONSE_COUNT + 1);
      const sav = await get('/api/admin/export?format=sav', 'admin');
      expect(sav.statusCode).toBe(200);
      expect(sav.headers['content-type']).toBe('application/x-spss-sav');
      expect(sav.rawPayload.subarray(0, 4).toString()).toBe('$FL2');
      const formats = (await exportAudit(t.store, 'export.responses')).slice(-3).map((e) => e.detail);
      expect(formats).toMatchObject([
        { format: 'csv', labels: true, lang: 'en' },
        { format: 'xlsx', rows: RESPONSE_COUNT },
        { format: 'sav', rows: RESPONSE_COUNT },
      ]);
    });

    it('refuses the responses to the press office and reviewers, and everything to strangers', async () => {
      const before = (await exportAudit(t.store)).length;
      for (const role of ['press', 'reviewer'] as const) {
        const res = await get('/api/admin/export?format=csv', role);
        expect(res.statusCode, role).toBe(403);
        expect(res.json().code).toBe('CAIRNET_FORBIDDEN');
        expect(res.headers['content-disposition']).toBeUndefined();
        expect(res.body).not.toContain('response_id');
      }
      for (const url of ['/api/admin/export', '/api/admin/codebook', '/api/admin/population/export']) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(401);
        expect(res.json().code).toBe('CAIRNET_UNAUTHENTICATED');
      }
      expect((await exportAudit(t.store)).length).toBe(before);
    });

    it('gives the whole team the codebook as Markdown or JSON, logged', async () => {
      const md = await get('/api/admin/codebook', 'reviewer');
      expect(md.statusCode).toBe(200);
      expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
      expect(md.headers['content-disposition']).toContain(`cairnet-codebook-${TODAY()}.md`);
      expect(md.body).toMatch(/^# Codebook: Export test/);
      const json = await get('/api/admin/codebook?format=json', 'press');
      expect(json.statusCode).toBe(200);
      expect(json.json().variables[0].name).toBe('relation');
      const entries = await exportAudit(t.store, 'export.codebook');
      expect(entries.map((e) => [e.user_id, e.detail?.format])).toEqual([
        [sessions.get('reviewer')!.id, 'md'],
        [sessions.get('press')!.id, 'json'],
      ]);
      expect(entries[1]!.detail!.rows).toBe(json.json().variables.length);
    });

    it('answers an unknown format or a bad parameter with 400 and a stable code, and logs nothing', async () => {
      const before = await auditCount();
      for (const [url, role, code] of [
        ['/api/admin/export?format=pdf', 'admin', 'CAIRNET_EXPORT_FORMAT_UNKNOWN'],
        ['/api/admin/export?format=', 'analyst', 'CAIRNET_EXPORT_FORMAT_UNKNOWN'],
        ['/api/admin/codebook?format=csv', 'reviewer', 'CAIRNET_EXPORT_FORMAT_UNKNOWN'],
        ['/api/admin/population/export?format=sav', 'admin', 'CAIRNET_EXPORT_FORMAT_UNKNOWN'],
        ['/api/admin/export?format=csv&lang=de', 'admin', 'CAIRNET_USAGE'],
        ['/api/admin/export?format=csv&labels=maybe', 'admin', 'CAIRNET_BAD_REQUEST'],
        ['/api/admin/export?format=csv&instrument=../x', 'admin', 'CAIRNET_BAD_REQUEST'],
        ['/api/admin/population/export?format=csv&with=pseudonym', 'admin', 'CAIRNET_BAD_REQUEST'],
      ] as const) {
        const res = await get(url, role);
        expect(res.statusCode, url).toBe(400);
        expect(res.json().code, url).toBe(code);
        expect(res.headers['content-disposition']).toBeUndefined();
      }
      expect(await auditCount()).toBe(before);
      const missing = await get('/api/admin/export?format=csv&instrument=nothing', 'admin');
      expect(missing.statusCode).toBe(404);
      expect(await auditCount()).toBe(before);
    });

    it('gives an administrator the population with identities, formulas neutralised, never linked to answers', async () => {
      const res = await get('/api/admin/population/export', 'admin');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="cairnet-population-${TODAY()}.csv"`,
      );
      expect(res.headers['cache-control']).toBe('no-store');
      const [header, ...rows] = parse(res.body, { bom: true }) as string[][];
      // Anonymous mode: no pseudonym, no opening, start or completion time.
      expect(header).toEqual([
        'email',
        'name',
        'language',
        'unit',
        'status',
        'invited_at',
        'opened',
        'started',
        'completed',
        'opted_out_at',
        'undeliverable_at',
        'undeliverable_reason',
      ]);
      const col = (name: string) => header!.indexOf(name);
      // Ève was erased: she is not there; the others are, ordered by address.
      expect(rows.map((r) => r[col('email')])).toEqual(KEPT.map((p) => p.email));
      const byEmail = new Map(rows.map((r) => [r[col('email')], r]));
      const bob = byEmail.get('bob.smith@inserm.fr')!;
      expect(bob[col('name')]).toBe(`'${PEOPLE[1].name}`);
      expect(byEmail.get('chloe.dupont@inserm.fr')![col('name')]).toBe("'@SUM(A1:A9)");
      expect(byEmail.get('chloe.dupont@inserm.fr')![col('unit')]).toBe("'+U1002");
      expect(byEmail.get('david.li@inserm.fr')![col('unit')]).toBe("'-1+2");
      for (const r of rows) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      expect(bob[col('status')]).toBe('completed');
      expect(bob[col('completed')]).toBe('1');
      expect(byEmail.get('anne.martin@inserm.fr')![col('status')]).toBe('completed');
      expect(byEmail.get('david.li@inserm.fr')![col('status')]).toBe('invited');
      expect(byEmail.get('david.li@inserm.fr')![col('invited_at')]).toMatch(/^\d{4}-\d\d-\d\dT/);
      for (const v of await linkValues(t.store)) expect(res.body).not.toContain(v);
      const [entry] = await exportAudit(t.store, 'export.population');
      expect(entry).toMatchObject({ user_id: sessions.get('admin')!.id, target: 'population' });
      expect(entry!.detail).toEqual({
        via: 'http',
        format: 'csv',
        rows: KEPT.length,
        anonymous: true,
        instrument: 'cairnet',
      });
    });

    it('adds the opening, start and completion times when the campaign is not anonymous, still no link', async () => {
      await writeSetting(t.store.db, 'cairnet', 'anonymous', 'no');
      try {
        const res = await get('/api/admin/population/export?format=csv', 'admin');
        expect(res.statusCode).toBe(200);
        const [header, ...rows] = parse(res.body, { bom: true }) as string[][];
        expect(header).toEqual(expect.arrayContaining(['opened_at', 'started_at', 'completed_at']));
        expect(header).not.toEqual(expect.arrayContaining(['pseudonym']));
        const anne = rows.find((r) => r[0] === 'anne.martin@inserm.fr')!;
        expect(anne[header!.indexOf('completed_at')]).toMatch(/^\d{4}-/);
        // Bob completed in anonymous mode: his completion time was never kept.
        const bob = rows.find((r) => r[0] === 'bob.smith@inserm.fr')!;
        expect(bob[header!.indexOf('completed_at')]).toBe('');
        for (const v of await linkValues(t.store)) expect(res.body).not.toContain(v);
      } finally {
        await writeSetting(t.store.db, 'cairnet', 'anonymous', 'yes');
      }
    });

    it('sends the population as XLSX, formulas neutralised', async () => {
      const res = await get('/api/admin/population/export?format=xlsx', 'admin');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toContain(`cairnet-population-${TODAY()}.xlsx`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('population')!;
      expect(sheet.rowCount).toBe(KEPT.length + 1);
      const values: unknown[] = [];
      sheet.eachRow((row) => {
        row.eachCell((c) => {
          values.push(c.value);
          expect(c.formula).toBeUndefined();
        });
      });
      expect(values).toContain(`'${PEOPLE[1].name}`);
      for (const v of values) if (typeof v === 'string') expect(v).not.toMatch(/^[=+\-@]/);
      const entries = await exportAudit(t.store, 'export.population');
      expect(entries.at(-1)!.detail).toMatchObject({ format: 'xlsx', rows: KEPT.length });
    });

    it('refuses the population to every other role, sends nothing, and logs the refusal', async () => {
      const exported = (await exportAudit(t.store, 'export.population')).length;
      for (const role of ['analyst', 'press', 'reviewer'] as const) {
        const res = await get('/api/admin/population/export?format=csv', role);
        expect(res.statusCode, role).toBe(403);
        expect(res.json().code).toBe('CAIRNET_FORBIDDEN');
        for (const p of PEOPLE) expect(res.body).not.toContain(p.email);
      }
      expect((await exportAudit(t.store, 'export.population')).length).toBe(exported);
      const refused = await exportAudit(t.store, 'export.population.refused');
      expect(refused.map((e) => [e.user_id, e.detail?.role])).toEqual([
        [sessions.get('analyst')!.id, 'analyst'],
        [sessions.get('press')!.id, 'press'],
        [sessions.get('reviewer')!.id, 'reviewer'],
      ]);
    });

    it('shows administrators the audit log, filtered, with who did what', async () => {
      const res = await get('/api/admin/audit?action=export&limit=500', 'admin');
      expect(res.statusCode).toBe(200);
      const items = res.json().items as {
        at: string;
        actor: string;
        userEmail: string | null;
        action: string;
        detail: string;
      }[];
      expect(items.length).toBe((await exportAudit(t.store)).length);
      for (const i of items) expect(i.action).toMatch(/^export\./);
      const ats = items.map((i) => i.at);
      expect([...ats].sort().reverse()).toEqual(ats);
      const population = items.filter((i) => i.action === 'export.population');
      expect(population.length).toBeGreaterThan(0);
      for (const p of population) {
        expect(p.userEmail).toBe('admin@example.org');
        expect(JSON.parse(p.detail)).toMatchObject({ via: 'http', rows: KEPT.length });
      }
      const one = await get('/api/admin/audit?action=export.population.refused', 'admin');
      expect(
        one
          .json()
          .items.map((i: { userEmail: string }) => i.userEmail)
          .sort(),
      ).toEqual(['analyst@example.org', 'press@example.org', 'reviewer@example.org']);
      const later = await get(
        `/api/admin/audit?since=${new Date(Date.now() + 60_000).toISOString()}`,
        'admin',
      );
      expect(later.json().items).toEqual([]);
      const bad = await get('/api/admin/audit?since=yesterday', 'admin');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('CAIRNET_BAD_REQUEST');
      expect((await get('/api/admin/audit', 'analyst')).statusCode).toBe(403);
    });
  });
}
