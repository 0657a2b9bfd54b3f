import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codebookJson, codebookMarkdown } from '../../src/exports/codebook-document.js';
import { exportCsv } from '../../src/exports/export-csv.js';
import { type ExportTable, readExportTable } from '../../src/exports/export-table.js';
import { exportXlsx } from '../../src/exports/export-xlsx.js';
import { exportSav } from '../../src/exports/sav/export-sav.js';
import { writeSav } from '../../src/exports/sav/sav-writer.js';
import type { Store } from '../../src/store/open-store.js';
import { exportStore } from './export-fixture.js';

function hasPspp(): boolean {
  try {
    execFileSync('pspp', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const PSPP = hasPspp();
if (!PSPP && process.env.CI === 'true') throw new Error('pspp is required in CI to check the .sav export');

describe('exports', () => {
  let dir: string;
  let store: Store;
  let table: ExportTable;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairnet-export-'));
    store = await exportStore(join(dir, 'x.db'));
    table = await readExportTable(store, 'cairnet');
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes codes to CSV with the synthetic column and neutralised formulas', () => {
    const rows = parse(exportCsv(table), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.synthetic)).toEqual(['0', '0', '1']);
    expect(rows[0]).toMatchObject({
      relation: 'ongoing',
      activities: 'talks | boards',
      activities__talks: '1',
      satisfaction: '4',
      years: '2.5',
      funded: '1',
    });
    expect(rows[0]!.remarks).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(rows[1]!.activities).toBe('');
  });

  it('writes value labels to CSV in the chosen language', () => {
    const en = parse(exportCsv(table, { labels: true, lang: 'en' }), { columns: true }) as Record<
      string,
      string
    >[];
    const fr = parse(exportCsv(table, { labels: true, lang: 'fr' }), { columns: true }) as Record<
      string,
      string
    >[];
    expect(en[0]).toMatchObject({ relation: 'Ongoing', activities: 'Talks | Boards', funded: 'Yes' });
    expect(fr[0]).toMatchObject({
      relation: 'En cours',
      activities: 'Conférences | Conseils',
      funded: 'Oui',
    });
    expect(fr[1]!.relation).toBe('Jamais');
  });

  it('writes an XLSX with data, codebook, value labels and a synthetic note, read back by exceljs', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportXlsx(table)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['data', 'codebook', 'value labels', 'notes']);
    const data = wb.getWorksheet('data')!;
    const header = (data.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    expect(data.rowCount).toBe(4);
    expect(data.getRow(2).getCell(col('relation')).value).toBe('ongoing');
    expect(data.getRow(2).getCell(col('years')).value).toBe(2.5);
    expect(data.getRow(2).getCell(col('remarks')).value).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(data.getRow(4).getCell(col('synthetic')).value).toBe(1);
    const labels = wb.getWorksheet('value labels')!;
    const relationLabels = (labels.getSheetValues() as unknown[])
      .filter((r): r is unknown[] => Array.isArray(r) && r[1] === 'relation')
      .map((r) => r.slice(2, 5));
    expect(relationLabels).toEqual([
      ['never', 'Jamais', 'Never'],
      ['once', 'Une fois', 'Once'],
      ['ongoing', 'En cours', 'Ongoing'],
    ]);
    const note = String(wb.getWorksheet('notes')!.getCell('B1').value);
    expect(note).toMatch(/PARTLY SYNTHETIC: 1 of 3/);
    expect(wb.subject).toMatch(/SYNTHETIC/);
    const codebook = wb.getWorksheet('codebook')!;
    expect(codebook.getRow(2).getCell(1).value).toBe('relation');
  });

  it('writes an XLSX of labels when asked', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportXlsx(table, { labels: true, lang: 'en' })) as unknown as ArrayBuffer);
    const data = wb.getWorksheet('data')!;
    const header = (data.getRow(1).values as unknown[]).slice(1);
    expect(data.getRow(2).getCell(header.indexOf('relation') + 1).value).toBe('Ongoing');
  });

  it('writes the codebook as JSON and as Markdown with escaped labels', () => {
    const source = { ...table.instrument };
    const json = JSON.parse(codebookJson(source, table.codebook));
    expect(json.instrument.name).toBe('cairnet');
    expect(json.variables.map((v: { name: string }) => v.name)).toContain('activities__boards');
    const md = codebookMarkdown(source, {
      ...table.codebook,
      variables: [{ ...table.codebook.variables[0]!, label: { fr: '<script>x</script> | a', en: 'x' } }],
    });
    expect(md).toContain('&lt;script&gt;x&lt;/script&gt; \\| a');
    expect(md).toContain('`never` Jamais');
  });

  it.skipIf(!PSPP)(
    'writes a .sav that PSPP reads back with the same values, variable and value labels',
    () => {
      const sav = exportSav(table, { lang: 'en' });
      const file = join(dir, 'x.sav');
      writeFileSync(file, sav.buffer);
      execFileSync('pspp-convert', [file, join(dir, 'codes.csv')]);
      execFileSync('pspp-convert', ['--labels', file, join(dir, 'labels.csv')]);
      const codes = parse(readFileSync(join(dir, 'codes.csv')), { columns: true, trim: true }) as Record<
        string,
        string
      >[];
      const labels = parse(readFileSync(join(dir, 'labels.csv')), { columns: true, trim: true }) as Record<
        string,
        string
      >[];
      expect(codes.map((r) => r.response_id)).toEqual(table.rows.map((r) => r.responseId));
      expect(codes.map((r) => r.synthetic)).toEqual(['0', '0', '1']);
      // relation: codes 1..3 in questionnaire order; activities hidden for "never" → -1 (user-missing).
      expect(codes.map((r) => r.relation)).toEqual(['3', '1', '2']);
      expect(labels.map((r) => r.relation)).toEqual(['Ongoing', 'Never', 'Once']);
      expect(codes.map((r) => r.activities__talks)).toEqual(['1', '-1', '0']);
      expect(labels[1]!.activities__talks).toBe('Not asked');
      expect(codes.map((r) => r.satisfaction)).toEqual(['4', '2', '']);
      expect(codes.map((r) => r.years)).toEqual(['2.5', '', '']);
      expect(codes.map((r) => r.funded)).toEqual(['1', '0', '']);
      expect(codes[0]!.activities).toBe('talks | boards');
      expect(codes[0]!.remarks).toBe('=HYPERLINK("http://evil.example","click")');
      expect(codes[1]!.remarks).toBe('Très bien, merci');

      writeFileSync(
        join(dir, 'd.sps'),
        `GET FILE='${file}'.\nDISPLAY FILE LABEL.\nDISPLAY DOCUMENTS.\nDISPLAY DICTIONARY.\n`,
      );
      execFileSync('pspp', [join(dir, 'd.sps'), '-o', join(dir, 'd.csv')]);
      const dict = readFileSync(join(dir, 'd.csv'), 'utf8');
      expect(dict).toContain('SYNTHETIC DATA (demonstration panel): cairnet v1');
      expect(dict).toContain('PARTLY SYNTHETIC: 1 of 3');
      expect(dict).toMatch(/^relation,\d+,Have you met an association\?,Nominal/m);
      expect(dict).toMatch(/^satisfaction,\d+,Satisfaction,Ordinal/m);
      expect(dict).toMatch(/^years,\d+,Years,Scale,Input,8,Right,F9\.1/m);
      expect(dict).toMatch(/Have you met an association\?,1,Never\n,2,Once\n,3,Ongoing/);
      expect(dict).toMatch(/Activities: Talks,-1\[a\],Not asked/);
    },
  );
  it.skipIf(!PSPP)('writes strings over 255 bytes as very long strings that PSPP reads whole', () => {
    const long = `${'é'.repeat(150)}${'x'.repeat(299)}!`;
    const file = join(dir, 'vls.sav');
    writeFileSync(
      file,
      writeSav({
        label: 'vls',
        variables: [
          {
            name: 'long_text',
            shortName: 'LONG_TEX',
            type: 'string',
            width: 600,
            measure: 'nominal',
            label: 'Long',
          },
          { name: 's256', shortName: 'S256', type: 'string', width: 256, measure: 'nominal' },
          {
            name: 'after',
            shortName: 'AFTER',
            type: 'numeric',
            measure: 'nominal',
            valueLabels: [{ value: 1, label: 'one' }],
          },
        ],
        cases: [
          [long, `${'a'.repeat(255)}Z`, 1],
          ['short', '', null],
        ],
      }),
    );
    execFileSync('pspp-convert', ['--labels', file, join(dir, 'vls.csv')]);
    const rows = parse(readFileSync(join(dir, 'vls.csv')), { columns: true, trim: true }) as Record<
      string,
      string
    >[];
    expect(rows[0]).toEqual({ long_text: long, s256: `${'a'.repeat(255)}Z`, after: 'one' });
    expect(rows[1]).toEqual({ long_text: 'short', s256: '', after: '' });
  });
});
