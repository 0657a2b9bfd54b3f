import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { importPopulation } from '../../../src/campaign/population-import.js';
import { readPopulationFile } from '../../../src/campaign/read-population-file.js';
import type { Store } from '../../../src/store/open-store.js';
import { ACCEPTED, FuzzFinding, type FuzzOutcome, refusalOf } from './finding.js';
import { HOSTILE_STRINGS, sometimes } from './hostile.js';
import { watchStoreWrites } from './store-writes.js';

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
  '__proto__',
  'constructor',
  'toString',
  'Email',
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
  ...HOSTILE_STRINGS,
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

const VALID_HEADERS = [
  ['email', 'name', 'language', 'unit', 'stratum.lab'],
  ['Courriel', 'Nom', 'Langue', 'Unité', 'Tranche d’âge'],
  ['E-mail', 'gender', 'region', 'status'],
];
const localPart = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789._-'),
  minLength: 1,
  maxLength: 12,
});

/** A valid population (distinct addresses, known languages) with zero to three cells replaced. */
const mutatedValidTable = fc
  .tuple(
    fc.constantFrom(...VALID_HEADERS),
    fc.uniqueArray(
      localPart.filter((l) => /^[a-z0-9]/.test(l) && !/\.\.|[.]$/.test(l)),
      {
        minLength: 1,
        maxLength: 15,
      },
    ),
    fc.array(fc.tuple(fc.nat(), fc.nat(), cell), { maxLength: 3 }),
    fc.constantFrom('fr', 'en', 'EN', 'Français', ''),
  )
  .map(([header, locals, changes, language]) => {
    const rows = locals.map((l, i) =>
      header.map((h, k) =>
        k === 0 ? `${l}@inserm.fr` : /lang/i.test(h) ? language : `${h.slice(0, 3)}${i}`,
      ),
    );
    for (const [r, c, v] of changes) {
      const row = rows[r % rows.length]!;
      row[c % row.length] = v;
    }
    return [header, ...rows];
  });

const randomTable = fc
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

const table = fc.oneof({ weight: 1, arbitrary: randomTable }, { weight: 2, arbitrary: mutatedValidTable });

/** A `--map` option, in a quarter of the cases (else columns are matched by name). */
export const mapping = sometimes(
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
  25,
);

/** CSV bytes in various encodings and states of damage. */
export const csvBytes = fc
  .tuple(
    table,
    fc.constantFrom(',', ';', '\t'),
    fc.constantFrom(
      'proper' as const,
      'proper' as const,
      'proper' as const,
      'none' as const,
      'broken' as const,
    ),
    fc.constantFrom(
      ...([
        'utf8',
        'utf8',
        'utf8',
        'utf8',
        'utf8-bom',
        'crlf',
        'crlf',
        'latin1',
        'utf16le',
        'nul',
        'truncated',
      ] as const),
    ),
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
/** Rows of the first sheet: random, or a valid population with cells of any type. */
const xlsxRows: fc.Arbitrary<unknown[][]> = fc.oneof(
  fc
    .tuple(
      fc.array(fc.oneof(fc.constantFrom(...COLUMNS), fc.string({ maxLength: 8 })), { maxLength: 6 }),
      fc.array(fc.array(xlsxCell, { maxLength: 6 }), { maxLength: 6 }),
    )
    .map(([header, rows]) => [header, ...rows]),
  fc
    .tuple(mutatedValidTable, fc.array(fc.tuple(fc.nat(), fc.nat(), xlsxCell), { maxLength: 2 }))
    .map(([rows, changes]) => {
      const out: unknown[][] = rows.map((r) => [...r]);
      for (const [r, c, v] of changes) {
        const row = out[r % out.length]!;
        row[c % row.length] = v;
      }
      return out;
    }),
);

/** An XLSX population file: rows written by exceljs, or random bytes named .xlsx. */
export type PopulationXlsxCase = { rows: unknown[][]; bytes: null } | { rows: null; bytes: Uint8Array };

export const xlsxCase: fc.Arbitrary<PopulationXlsxCase> = fc.oneof(
  { weight: 6, arbitrary: xlsxRows.map((rows) => ({ rows, bytes: null })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ rows: null, bytes })) },
);

export async function xlsxBytes(c: PopulationXlsxCase): Promise<Buffer | Uint8Array> {
  if (!c.rows) return c.bytes;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('people');
  for (const r of c.rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Reads and imports as `cairnet population import` does, on a store that already holds two
 * people: a report without problems, or a registered CairnetError; a refusal or a dry run
 * writes nothing.
 */
export async function populationImportHarness(store: Store, dir: string) {
  let n = 0;
  const file = (ext: string, bytes: Buffer | Uint8Array) => {
    const p = join(dir, `people-${n++ % 50}${ext}`);
    writeFileSync(p, bytes);
    return p;
  };
  const seed = file(
    '.csv',
    Buffer.from('email,name,unit\njane.doe@inserm.fr,Jane,U1\npaul@univ-paris.fr,Paul,U2\n'),
  );
  await importPopulation(store.db, 'cairnet', await readPopulationFile(seed), { file: seed });
  const writes = await watchStoreWrites(store);
  return async (
    ext: '.csv' | '.xlsx',
    bytes: Buffer | Uint8Array,
    map: string | undefined,
    dryRun: boolean,
  ): Promise<FuzzOutcome> => {
    const path = file(ext, bytes);
    const before = await writes();
    let outcome: FuzzOutcome;
    try {
      const table = await readPopulationFile(path);
      const report = await importPopulation(store.db, 'cairnet', table, { file: path, map, dryRun });
      if (report.problems.length)
        throw new FuzzFinding(
          'invariant',
          `accepted with problems: ${JSON.stringify(report.problems).slice(0, 300)}`,
        );
      if (report.added + report.updated + report.unchanged + report.skippedErased > report.rows) {
        throw new FuzzFinding('invariant', `more people counted than rows: ${JSON.stringify(report)}`);
      }
      outcome = ACCEPTED;
    } catch (e) {
      outcome = refusalOf(e, `population import ${ext}`);
      if (!outcome.accepted && outcome.code === 'CAIRNET_POPULATION_INVALID') {
        const details = (e as { details?: { problems?: unknown[] } }).details;
        if (!details?.problems?.length)
          throw new FuzzFinding('invariant', 'CAIRNET_POPULATION_INVALID without problems');
      }
    }
    if ((!outcome.accepted || dryRun) && (await writes()) !== before) {
      throw new FuzzFinding(
        'store',
        `${outcome.accepted ? 'a dry run' : 'a refused import'} changed the store`,
      );
    }
    return outcome;
  };
}
