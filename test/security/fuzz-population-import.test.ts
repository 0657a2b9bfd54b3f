import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPopulation } from '../../src/campaign/population-import.js';
import { readPopulationFile } from '../../src/campaign/read-population-file.js';
import { ERRORS, isCairnetError } from '../../src/errors.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';

/** Cases per property here; `npm run bench -- fuzz` runs 100,000 per boundary. */
const RUNS = Number(process.env.CAIRNET_FUZZ_RUNS ?? 150);
/** Building a workbook costs a few milliseconds: the XLSX property runs fewer cases. */
const XLSX_RUNS = Math.max(1, Math.ceil(RUNS / 5));

const COLUMNS = [
  'email',
  'Email',
  'Courriel',
  'e-mail',
  'E mail',
  'name',
  'Nom',
  'language',
  'Langue',
  'unit',
  'Unité',
  'age_band',
  'Tranche d’âge',
  'status',
  'gender',
  'region',
  'stratum.lab',
  'notes',
  '',
  ' email ',
  '=cmd|"/c calc"!A1',
];
const FIELDS = [
  'email',
  'name',
  'language',
  'unit',
  'region',
  'stratum.lab',
  'stratum.X',
  'stratum.',
  'nope',
  '',
];

const EMAILS = [
  'jane.doe@inserm.fr',
  'Jane.Doe@Inserm.FR',
  ' jane.doe@inserm.fr ',
  'mailto:paul@univ-paris.fr',
  'paul@univ-paris.fr',
  'a@b.co',
  '@inserm.fr',
  'jane@',
  'jane doe@inserm.fr',
  'jane..doe@inserm.fr',
  '.jane@inserm.fr',
  'jane@inserm..fr',
  'jane@-inserm.fr',
  '<script>@x.fr',
  'jane@inserm.fr\u0000',
  `${'a'.repeat(65)}@inserm.fr`,
  `x@${'a'.repeat(250)}.fr`,
  `x@${'a.'.repeat(200)}fr`,
  '"quoted"@inserm.fr',
  'jane@[127.0.0.1]',
];
const CELLS = [
  ...EMAILS,
  'fr',
  'EN',
  'Français',
  'en-GB',
  'xx',
  'U1234',
  '30-39',
  '=1+1',
  '=HYPERLINK("http://x","y")',
  '+33 1 00 00 00 00',
  '-2',
  '@SUM(A1)',
  '\t=cmd',
  'x'.repeat(201),
  'y'.repeat(5000),
  '"',
  '""',
  'a,b',
  'a;b',
  'line\nbreak',
  '\r',
  '\uFEFF',
  '\u202e',
  'NA',
  '',
  ' ',
];
const cell = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...CELLS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.emailAddress() },
);

/** Writes cells as CSV, quoting properly, not at all, or badly. */
function csvText(rows: string[][], delimiter: string, quoting: 'proper' | 'none' | 'broken'): string {
  const field = (v: string, i: number) => {
    if (quoting === 'none') return v;
    if (quoting === 'broken' && i % 3 === 0) return `"${v}`;
    return /["\r\n,;]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  };
  return rows.map((r) => r.map(field).join(delimiter)).join('\n');
}

const table = fc
  .tuple(
    fc.array(fc.oneof(fc.constantFrom(...COLUMNS), fc.string({ maxLength: 10 })), {
      minLength: 0,
      maxLength: 6,
    }),
    fc.nat(8),
    fc.array(fc.array(cell, { maxLength: 7 }), { maxLength: 8 }),
  )
  .map(([header, widthHint, rows]) => {
    // Usually as wide as the header (a ragged row is one more thing to try, not the common case).
    const width = header.length || widthHint;
    return [
      header,
      ...rows.map((r, i) => (i % 4 === 3 ? r : Array.from({ length: width }, (_, k) => r[k] ?? ''))),
    ];
  });

const mapping = fc.option(
  fc
    .array(
      fc.oneof(
        fc
          .tuple(
            fc.oneof(fc.constantFrom(...COLUMNS), fc.string({ maxLength: 6 })),
            fc.constantFrom(...FIELDS),
          )
          .map(([c, f]) => `${c}=${f}`),
        fc.constantFrom('email', '=email', 'a==b', ',', ' '),
      ),
      { maxLength: 4 },
    )
    .map((parts) => parts.join(',')),
  { nil: undefined },
);

/** CSV bytes in various encodings and states of damage. */
const csvBytes = fc
  .tuple(
    table,
    fc.constantFrom(',', ';', '\t'),
    fc.constantFrom('proper' as const, 'none' as const, 'broken' as const),
    fc.constantFrom('utf8', 'utf8-bom', 'latin1', 'utf16le', 'crlf', 'nul', 'truncated'),
    fc.uint8Array({ maxLength: 40 }),
  )
  .map(([rows, delimiter, quoting, encoding, noise]) => {
    const text = csvText(rows, delimiter, quoting);
    switch (encoding) {
      case 'utf8-bom':
        return Buffer.from(`\uFEFF${text}`);
      case 'latin1':
        return Buffer.from(text, 'latin1');
      case 'utf16le':
        return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      case 'crlf':
        return Buffer.from(text.replaceAll('\n', '\r\n'));
      case 'nul':
        return Buffer.concat([Buffer.from(text), Buffer.from(noise), Buffer.from([0])]);
      case 'truncated':
        return Buffer.concat([
          Buffer.from(text).subarray(0, Math.max(0, text.length - noise.length)),
          Buffer.from(noise),
        ]);
      default:
        return Buffer.from(text);
    }
  });

/** An XLSX first sheet of text, numbers, dates, formulas and rich text. */
const xlsxCell = fc.oneof(
  { weight: 4, arbitrary: cell },
  fc.double(),
  fc.boolean(),
  fc.date({ noInvalidDate: true }),
  fc.constantFrom(
    { formula: 'A1&"@x.fr"', result: 'a@x.fr' },
    { formula: '1/0', result: { error: '#DIV/0!' } },
    { richText: [{ text: 'jane' }, { text: '@inserm.fr' }] },
    { text: 'link', hyperlink: 'javascript:alert(1)' },
    null,
  ),
);
const xlsxRows = fc.tuple(
  fc.array(fc.oneof(fc.constantFrom(...COLUMNS), fc.string({ maxLength: 8 })), { maxLength: 6 }),
  fc.array(fc.array(xlsxCell, { maxLength: 6 }), { maxLength: 6 }),
);

describe('hostile population files through `cairnet population import`', () => {
  let t: TestStore;
  let dir: string;
  let n = 0;
  const file = (ext: string, bytes: Buffer | Uint8Array) => {
    const p = join(dir, `people-${n++}${ext}`);
    writeFileSync(p, bytes);
    return p;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairnet-fuzz-population-'));
    t = await openTestStore('sqlite');
    // A population already there, so that "unchanged" means something.
    const seed = file(
      '.csv',
      Buffer.from('email,name,unit\njane.doe@inserm.fr,Jane,U1\npaul@univ-paris.fr,Paul,U2\n'),
    );
    await importPopulation(t.store.db, await readPopulationFile(seed), { file: seed });
  });
  afterAll(async () => {
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Everything the campaign tables hold, in a stable order. */
  const snapshot = async () => {
    const people = await t.store.db.selectFrom('campaign_people').selectAll().orderBy('id').execute();
    const strata = await t.store.db
      .selectFrom('campaign_strata')
      .selectAll()
      .orderBy('person_id')
      .orderBy('field')
      .execute();
    return JSON.stringify({ people, strata });
  };

  /** Reads and imports as the CLI does: a report, or a registered CairnetError that stored nothing. */
  const importLikeTheCli = async (path: string, map: string | undefined, dryRun: boolean) => {
    const before = await snapshot();
    try {
      const table = await readPopulationFile(path);
      const report = await importPopulation(t.store.db, table, { file: path, map, dryRun });
      expect(report.problems).toEqual([]);
      expect(report.added + report.updated + report.unchanged + report.skippedErased).toBeLessThanOrEqual(
        report.rows,
      );
      if (dryRun) expect(await snapshot()).toBe(before);
    } catch (e) {
      if (!isCairnetError(e)) throw new Error(`not a CairnetError: ${(e as Error)?.stack ?? String(e)}`);
      expect(Object.keys(ERRORS)).toContain(e.code);
      expect(e.code).not.toBe('CAIRNET_INTERNAL');
      if (e.code === 'CAIRNET_POPULATION_INVALID') {
        expect((e.details as { problems: unknown[] }).problems.length).toBeGreaterThan(0);
      }
      expect(await snapshot()).toBe(before);
    }
  };

  it('CSV: random and damaged files, any mapping: a report or a clear error, nothing stored on refusal', async () => {
    await fc.assert(
      fc.asyncProperty(csvBytes, mapping, fc.boolean(), async (bytes, map, dryRun) =>
        importLikeTheCli(file('.csv', bytes), map, dryRun),
      ),
      { numRuns: RUNS },
    );
  });

  it('XLSX: random sheets with formulas, dates and rich text, and random bytes named .xlsx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: xlsxRows.map((rows) => ({ rows, bytes: null })) },
          { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => ({ rows: null, bytes: b })) },
        ),
        mapping,
        fc.boolean(),
        async ({ rows, bytes }, map, dryRun) => {
          let content: Buffer | Uint8Array;
          if (rows) {
            const wb = new ExcelJS.Workbook();
            const ws = wb.addWorksheet('people');
            ws.addRow(rows[0]);
            for (const r of rows[1]) ws.addRow(r);
            content = Buffer.from(await wb.xlsx.writeBuffer());
          } else content = bytes!;
          await importLikeTheCli(file('.xlsx', content), map, dryRun);
        },
      ),
      { numRuns: XLSX_RUNS },
    );
  });
});
