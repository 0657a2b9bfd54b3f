import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportAudit,
  KEPT,
  linkValues,
  PEOPLE,
  RESPONSE_COUNT,
  seedCampaignExport,
} from '../exports/campaign-export-fixture.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';

const ME = `cli:${userInfo().username}`;

for (const dialect of await availableDialects()) {
  describe(`${dialect}: exports on the command line, and the audit log`, { timeout: 120_000 }, () => {
    let t: TestStore;
    let dir: string;
    let db: string;

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await seedCampaignExport(t.store);
      db = t.location;
      dir = mkdtempSync(join(tmpdir(), 'cairnet-export-audit-'));
    }, 120_000);
    afterAll(async () => {
      await t?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('writes the population with identities to a file only its owner can read, formulas neutralised, logged', async () => {
      const out = join(dir, 'population.csv');
      const r = await cli(['population', 'export', '--out', out, '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`wrote ${KEPT.length} people to .*anonymous mode`));
      expect(r.stdout).toBe('');
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const text = readFileSync(out, 'utf8');
      const [header, ...rows] = parse(text) as string[][];
      expect(header!.slice(0, 5)).toEqual(['email', 'name', 'language', 'unit', 'status']);
      expect(header).not.toContain('completed_at');
      expect(rows.map((row) => row[0])).toEqual(KEPT.map((p) => p.email));
      expect(rows.find((row) => row[0] === 'bob.smith@inserm.fr')![1]).toBe(`'${PEOPLE[1].name}`);
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      for (const v of await linkValues(t.store)) expect(text).not.toContain(v);
      const entries = await exportAudit(t.store, 'export.population');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ user_id: ME, target: 'population' });
      expect(entries[0]!.detail).toEqual({
        via: 'cli',
        format: 'csv',
        rows: KEPT.length,
        anonymous: true,
        instrument: 'cairnet',
        out,
      });
    });

    it('writes the population as XLSX', async () => {
      const out = join(dir, 'population.xlsx');
      expect((await cli(['population', 'export', '--format', 'xlsx', '--out', out, '--db', db])).code).toBe(
        0,
      );
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(out);
      expect(wb.getWorksheet('population')!.getCell('B3').value).toBe(`'${PEOPLE[1].name}`);
      expect((await exportAudit(t.store, 'export.population')).at(-1)!.detail).toMatchObject({
        format: 'xlsx',
        rows: KEPT.length,
      });
    });

    it('refuses an unknown format with a stable code, writes no file and logs nothing', async () => {
      const before = (await exportAudit(t.store)).length;
      for (const args of [
        ['population', 'export', '--format', 'sav'],
        ['export', '--format', 'pdf'],
        ['codebook', '--format', 'csv'],
        ['responses', 'export', '--format', 'xlsx'],
      ]) {
        const out = join(dir, `refused-${args[0]}.out`);
        const r = await cli([...args, '--out', out, '--db', db]);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr).toMatch(/^error CAIRNET_EXPORT_FORMAT_UNKNOWN/);
        expect(existsSync(out)).toBe(false);
      }
      expect((await exportAudit(t.store)).length).toBe(before);
    });

    it('logs every export of responses and of the codebook, with the operating-system user', async () => {
      const csv = join(dir, 'responses.csv');
      expect((await cli(['export', '--format', 'csv', '--labels', '--out', csv, '--db', db])).code).toBe(0);
      const stdout = await cli(['responses', 'export', '--db', db]);
      expect(stdout.code).toBe(0);
      expect(parse(stdout.stdout)).toHaveLength(RESPONSE_COUNT + 1);
      const codebook = await cli(['codebook', '--format', 'json', '--db', db]);
      expect(codebook.code).toBe(0);
      const variables = JSON.parse(codebook.stdout).variables.length;
      const responses = await exportAudit(t.store, 'export.responses');
      expect(responses.map((e) => [e.user_id, e.target, e.detail])).toEqual([
        [
          ME,
          'cairnet',
          {
            via: 'cli',
            format: 'csv',
            rows: RESPONSE_COUNT,
            labels: true,
            lang: 'fr',
            synthetic: 1,
            out: csv,
          },
        ],
        [ME, 'cairnet', { via: 'cli', format: 'csv', rows: RESPONSE_COUNT, out: 'stdout' }],
      ]);
      const codebooks = await exportAudit(t.store, 'export.codebook');
      expect(codebooks.map((e) => [e.user_id, e.detail])).toEqual([
        [ME, { via: 'cli', format: 'json', rows: variables, lang: 'fr' }],
      ]);
    });

    it('reads the audit log: newest first, by family of actions, as text or JSON', async () => {
      const json = await cli(['audit', '--action', 'export', '--json', '--db', db]);
      expect(json.code, json.stderr).toBe(0);
      const items = JSON.parse(json.stdout).items as { actor: string; action: string; at: string }[];
      expect(items).toHaveLength((await exportAudit(t.store)).length);
      expect(items.map((i) => i.action)).toContain('export.population');
      for (const i of items) {
        expect(i.action).toMatch(/^export\./);
        expect(i.actor).toBe(ME);
      }
      const ats = items.map((i) => i.at);
      expect([...ats].sort().reverse()).toEqual(ats);
      const two = JSON.parse((await cli(['audit', '--limit', '2', '--json', '--db', db])).stdout).items;
      expect(two).toHaveLength(2);
      const text = await cli(['audit', '--action', 'export.population', '--db', db]);
      expect(text.code).toBe(0);
      const lines = text.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).toContain(`${ME}  export.population  population  {"via":"cli"`);
      const none = await cli(['audit', '--since', '2999-01-01', '--json', '--db', db]);
      expect(JSON.parse(none.stdout).items).toEqual([]);
      const bad = await cli(['audit', '--since', 'yesterday', '--db', db]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^error CAIRNET_BAD_REQUEST/);
      expect((await cli(['audit', '--limit', 'all', '--db', db])).code).toBe(2);
    });

    it('takes the file back when the export cannot be logged', async () => {
      // A store whose audit log cannot be written (the table is gone): the export must not stay.
      await sql`drop table audit_log`.execute(t.store.db);
      const out = join(dir, 'unlogged.csv');
      const r = await cli(['population', 'export', '--out', out, '--db', db]);
      expect(r.code).not.toBe(0);
      expect(existsSync(out)).toBe(false);
      const responses = join(dir, 'unlogged-responses.csv');
      expect((await cli(['responses', 'export', '--out', responses, '--db', db])).code).not.toBe(0);
      expect(existsSync(responses)).toBe(false);
    });
  });
}
