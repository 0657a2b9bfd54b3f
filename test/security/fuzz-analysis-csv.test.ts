import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/errors.js';
import { cli } from '../helpers/run-cli.js';

/** Cases per property here; `npm run bench -- fuzz` runs 100,000 per boundary. */
const RUNS = Number(process.env.CAIRNET_FUZZ_RUNS ?? 150);
/** An MCA and a clustering per case: the typology property runs fewer. */
const TYPOLOGY_RUNS = Math.max(1, Math.ceil(RUNS / 3));

const NUMBERS = [
  '1',
  '0',
  '-1',
  '2.5',
  '3',
  '10',
  '1e308',
  '1e-320',
  '-0',
  '0x10',
  ' 7 ',
  '1,5',
  'NaN',
  'Infinity',
];
const LEVELS = ['a', 'b', 'c', 'yes', 'no', 'A', ' a', 'NA', ''];
const HOSTILE = [
  '',
  'NA',
  '"',
  '""',
  'x,y',
  'line\nbreak',
  '=1+1',
  '<script>alert(1)</script>',
  '\u0000',
  '\u202e',
  '\uFEFF',
  '__proto__',
  'constructor',
  'x'.repeat(3000),
];

/** The columns of a fuzzed analysis file and what they usually hold. */
const KINDS = {
  x: 'number',
  y: 'number',
  w: 'weight',
  f: 'fpc',
  n: 'freq',
  g: 'level',
  h: 'level',
  s: 'level',
  c: 'level',
  mention: 'mention',
  id: 'level',
} as const;
const NAMES = Object.keys(KINDS);

const MENTIONS = [
  'AFM',
  'afm telethon',
  'AFM-Téléthon',
  'Vaincre la muco',
  'vaincre la mucoviscidose',
  'Les Petits Bourdons',
];

const cellFor = (kind: (typeof KINDS)[keyof typeof KINDS]): fc.Arbitrary<string> => {
  const usual =
    kind === 'number'
      ? fc.oneof(fc.constantFrom(...NUMBERS), fc.double().map(String))
      : kind === 'weight'
        ? fc.constantFrom('1', '2', '0.5', '100', '0', '-1', '')
        : kind === 'fpc'
          ? fc.constantFrom('100', '1000', '0.1', '0.5', '1', '2', '0')
          : kind === 'freq'
            ? fc.constantFrom('0', '1', '2', '3', '1.5', '-1')
            : kind === 'mention'
              ? fc.oneof(fc.constantFrom(...MENTIONS), fc.string({ maxLength: 30 }))
              : fc.constantFrom(...LEVELS);
  return fc.oneof(
    { weight: 12, arbitrary: usual },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  );
};

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** A CSV with a few of the known columns (sometimes renamed or doubled), then damage. */
const analysisCsv = fc
  .tuple(
    fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: NAMES.length }),
    fc.integer({ min: 0, max: 25 }),
    fc.array(fc.tuple(fc.nat(), fc.nat(), fc.oneof(...Object.values(KINDS).map(cellFor))), { maxLength: 3 }),
    fc.constantFrom('none', 'bom', 'ragged', 'unclosed', 'duplicate', 'binary', 'empty', 'crlf', 'semicolon'),
    fc.infiniteStream(fc.nat()),
  )
  .chain(([names, rows, overrides, damage]) =>
    fc
      .tuple(
        ...Array.from({ length: rows }, () =>
          fc.tuple(...names.map((name) => cellFor(KINDS[name as keyof typeof KINDS]))),
        ),
      )
      .map((body) => {
        const grid: string[][] = body.map((r) => [...r]);
        for (const [r, c, v] of overrides) {
          const row = grid[r % Math.max(1, grid.length)];
          if (row) row[c % row.length] = v;
        }
        const header = damage === 'duplicate' ? [...names, names[0]!] : names;
        if (damage === 'duplicate') for (const r of grid) r.push('1');
        if (damage === 'ragged' && grid[0]) grid[0].push('extra');
        let text = [header, ...grid]
          .map((r) => r.map(quote).join(damage === 'semicolon' ? ';' : ','))
          .join('\n');
        if (damage === 'unclosed') text += '\n"unclosed,1';
        if (damage === 'crlf') text = text.replaceAll('\n', '\r\n');
        const bytes = Buffer.from(damage === 'bom' ? `\uFEFF${text}` : damage === 'empty' ? '' : text);
        return damage === 'binary' ? Buffer.concat([bytes, Buffer.from([0, 0xff, 0xfe, 0])]) : bytes;
      }),
  );

const column = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'missing', 'x,y', '__proto__') },
);
const optional = <T>(a: fc.Arbitrary<T>, freq = 3) => fc.option(a, { nil: undefined, freq });

const statsArgs = fc
  .record({
    what: fc.oneof(
      fc.tuple(
        fc.constant('mean'),
        fc.array(column, { minLength: 1, maxLength: 2 }).map((c) => c.join(',')),
      ),
      fc.tuple(fc.constant('total'), column),
      fc.tuple(fc.constant('proportion'), column),
      fc.tuple(
        fc.constant('crosstab'),
        fc.tuple(column, column).map(([a, b]) => `${a},${b}`),
      ),
    ),
    weight: optional(column),
    strata: optional(column),
    fpc: optional(column, 5),
    cluster: optional(column, 5),
    freq: optional(column, 5),
    by: optional(column, 4),
    yates: fc.boolean(),
    lonelyPsu: optional(fc.constantFrom('fail', 'certainty', 'adjust', 'remove', 'other'), 4),
    rake: fc.boolean(),
    maxIter: optional(fc.constantFrom('1', '10', '0', '-3', '2.5', 'x'), 4),
    epsilon: optional(fc.constantFrom('1', '0.001', '0', '-1', 'NaN', '1e-300'), 4),
  })
  .map((o) => {
    const args = [`--${o.what[0]}=${o.what[1]}`, '--json'];
    for (const k of ['weight', 'strata', 'fpc', 'cluster', 'freq', 'by'] as const) {
      if (o[k] !== undefined) args.push(`--${k}=${o[k]}`);
    }
    if (o.yates) args.push('--yates');
    if (o.lonelyPsu) args.push(`--lonely-psu=${o.lonelyPsu}`);
    if (o.maxIter) args.push(`--max-iter=${o.maxIter}`);
    if (o.epsilon) args.push(`--epsilon=${o.epsilon}`);
    return { args, rake: o.rake };
  });

/** A margins file for --rake: variable,level,count rows on the level columns. */
const marginsCsv = fc
  .array(
    fc.tuple(
      fc.constantFrom('g', 'h', 's', 'x', 'nowhere'),
      fc.constantFrom(...LEVELS),
      fc.constantFrom('10', '20', '0', '-5', '', 'x', '1e9'),
    ),
    { maxLength: 6 },
  )
  .map((rows) => ['variable,level,count', ...rows.map((r) => r.map(quote).join(','))].join('\n'));

/** Paths of null numbers (NaN or ±Infinity serialised by JSON.stringify) in a JSON value. */
function nullsIn(value: unknown, path = ''): string[] {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nullsIn(v, `${path}/${i}`));
  if (typeof value === 'object')
    return Object.entries(value as object).flatMap(([k, v]) => nullsIn(v, `${path}/${k}`));
  return [];
}

/** A run ends well, or with `error CODE: …` for a registered code that is not CAIRNET_INTERNAL. */
function expectCleanOutcome(res: { code: number; stdout: string; stderr: string }): unknown {
  if (res.code === 0) return JSON.parse(res.stdout);
  const m = /^error (CAIRNET_[A-Z_]+):/m.exec(res.stderr);
  expect(m, res.stderr.slice(0, 2000)).not.toBeNull();
  expect(Object.keys(ERRORS)).toContain(m![1]);
  expect(m![1], res.stderr.slice(0, 2000)).not.toBe('CAIRNET_INTERNAL');
  expect(res.stdout).toBe('');
  return undefined;
}

describe('hostile CSV files and options through the analysis commands', () => {
  let dir: string;
  let n = 0;
  const file = (content: Buffer | string) => {
    const p = join(dir, `in-${n++}.csv`);
    writeFileSync(p, content);
    return p;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cairnet-fuzz-analysis-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('cairnet stats: a result without unexplained NaN, or a CairnetError', async () => {
    await fc.assert(
      fc.asyncProperty(analysisCsv, statsArgs, marginsCsv, async (csv, { args, rake }, margins) => {
        const extra = rake ? [`--rake=${file(margins)}`] : [];
        const out = expectCleanOutcome(await cli(['stats', file(csv), ...args, ...extra])) as
          | { estimates?: { ci: unknown }[] }
          | undefined;
        if (out) expect(nullsIn(out)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('cairnet typology: a result or a CairnetError', async () => {
    await fc.assert(
      fc.asyncProperty(
        analysisCsv,
        fc.array(column, { minLength: 0, maxLength: 4 }),
        optional(fc.array(column, { maxLength: 2 })),
        optional(column),
        optional(fc.constantFrom('1', '2', '5', '0', '-1', '2.5', 'x', '1000')),
        optional(fc.constantFrom('2', '3', '1', '0', '50', 'x')),
        fc.boolean(),
        async (csv, active, sup, weights, dims, clusters, noConsolidation) => {
          const args = ['typology', file(csv), `--active=${active.join(',')}`, '--json'];
          if (sup) args.push(`--supplementary=${sup.join(',')}`);
          if (weights) args.push(`--weights=${weights}`);
          if (dims) args.push(`--dims=${dims}`);
          if (clusters) args.push(`--clusters=${clusters}`);
          if (noConsolidation) args.push('--no-consolidation');
          const out = expectCleanOutcome(await cli(args)) as Record<string, unknown> | undefined;
          if (out) {
            // By contract, contrib is null for supplementary categories and approximation when
            // Ward ran on every row; every other null is a NaN or an infinity.
            const nulls = nullsIn(out).filter(
              (p) => !/^\/supplementaryCategories\/\d+\/contrib$|^\/clustering\/approximation$/.test(p),
            );
            expect(nulls).toEqual([]);
          }
        },
      ),
      { numRuns: TYPOLOGY_RUNS },
    );
  });

  it('cairnet reconcile: groups and matches, or a CairnetError', async () => {
    const registry = fc.oneof(
      fc.constant(undefined),
      fc
        .array(
          fc.tuple(
            fc.constantFrom('X1', 'X2', 'X1', '', 'R001'),
            fc.constantFrom(...MENTIONS, '', '<b>x</b>', 'x'.repeat(500)),
            fc.constantFrom('MPA', '', 'A;B', '"'),
          ),
          { maxLength: 4 },
        )
        .map((rows) =>
          [
            'id,name,acronyms,aliases,area,origin',
            ...rows.map((r) => [...r, '', 'rare', 'x'].map(quote).join(',')),
          ].join('\n'),
        ),
      fc.string({ maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(analysisCsv, optional(column, 4), registry, async (csv, col, reg) => {
        const args = ['reconcile', file(csv), '--json'];
        if (col !== undefined) args.push(`--column=${col}`);
        if (reg !== undefined) args.push(`--registry=${file(reg)}`);
        const out = expectCleanOutcome(await cli(args)) as
          | { mentions: { match: { score: number } | null }[] }
          | undefined;
        if (out) {
          for (const m of out.mentions) {
            if (m.match) expect(Number.isFinite(m.match.score)).toBe(true);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
