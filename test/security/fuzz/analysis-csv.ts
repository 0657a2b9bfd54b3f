import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { cli } from '../../helpers/run-cli.js';
import { ACCEPTED, checkedCode, FuzzFinding, type FuzzOutcome } from './finding.js';
import { HOSTILE_STRINGS, sometimes } from './hostile.js';

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
  ...HOSTILE_STRINGS,
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
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('none', 'bom', 'crlf') },
      {
        weight: 1,
        arbitrary: fc.constantFrom('ragged', 'unclosed', 'duplicate', 'binary', 'empty', 'semicolon'),
      },
    ),
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
    weight: sometimes(column, 50),
    strata: sometimes(column, 35),
    fpc: sometimes(column, 15),
    cluster: sometimes(column, 20),
    freq: sometimes(column, 15),
    by: sometimes(column, 25),
    yates: fc.boolean(),
    lonelyPsu: sometimes(fc.constantFrom('fail', 'certainty', 'adjust', 'remove', 'average', 'other'), 25),
    rake: fc.boolean(),
    maxIter: sometimes(fc.constantFrom('1', '10', '0', '-3', '2.5', 'x'), 15),
    epsilon: sometimes(fc.constantFrom('1', '0.001', '0', '-1', 'NaN', '1e-300'), 15),
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

const registryCsv = fc.oneof(
  fc.constant(undefined),
  fc
    .array(
      fc.tuple(
        fc.constantFrom('X1', 'X2', 'X1', '', 'R001', '__proto__'),
        fc.constantFrom(...MENTIONS, '', '<b>x</b>', 'x'.repeat(500), 'constructor'),
        fc.constantFrom('MPA', '', 'A;B', '"', 'toString'),
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

/** One run of an analysis command on a fuzzed CSV: the command line, with the files it reads. */
export type AnalysisCase =
  | { command: 'stats'; csv: Buffer; args: string[]; margins: string | undefined }
  | { command: 'typology'; csv: Buffer; args: string[] }
  | { command: 'reconcile'; csv: Buffer; args: string[]; registry: string | undefined };

export const statsCase: fc.Arbitrary<AnalysisCase> = fc
  .tuple(analysisCsv, statsArgs, marginsCsv)
  .map(([csv, { args, rake }, margins]) => ({
    command: 'stats' as const,
    csv,
    args,
    margins: rake ? margins : undefined,
  }));

export const typologyCase: fc.Arbitrary<AnalysisCase> = fc
  .tuple(
    analysisCsv,
    fc.array(column, { minLength: 0, maxLength: 4 }),
    optional(fc.array(column, { maxLength: 2 })),
    optional(column),
    optional(fc.constantFrom('1', '2', '5', '0', '-1', '2.5', 'x', '1000')),
    optional(fc.constantFrom('2', '3', '1', '0', '50', 'x')),
    fc.boolean(),
  )
  .map(([csv, active, sup, weights, dims, clusters, noConsolidation]) => {
    const args = [`--active=${active.join(',')}`, '--json'];
    if (sup) args.push(`--supplementary=${sup.join(',')}`);
    if (weights) args.push(`--weights=${weights}`);
    if (dims) args.push(`--dims=${dims}`);
    if (clusters) args.push(`--clusters=${clusters}`);
    if (noConsolidation) args.push('--no-consolidation');
    return { command: 'typology' as const, csv, args };
  });

export const reconcileCase: fc.Arbitrary<AnalysisCase> = fc
  .tuple(analysisCsv, optional(column, 4), registryCsv)
  .map(([csv, col, registry]) => ({
    command: 'reconcile' as const,
    csv,
    args: ['--json', ...(col !== undefined ? [`--column=${col}`] : [])],
    registry,
  }));

/** The CSV analysis boundary: `stats` mostly, `typology` and `reconcile` too. */
export const analysisCase: fc.Arbitrary<AnalysisCase> = fc.oneof(
  { weight: 3, arbitrary: statsCase },
  { weight: 1, arbitrary: typologyCase },
  { weight: 1, arbitrary: reconcileCase },
);

/**
 * Runs `cairnet COMMAND FILE …` in this process: it ends well with JSON (no unexplained NaN),
 * or with `error CODE: …` for a registered code other than CAIRNET_INTERNAL and nothing on stdout.
 * These commands read files and write nothing: there is no store to check.
 */
export function analysisHarness(dir: string) {
  let n = 0;
  const file = (content: Buffer | string) => {
    const p = join(dir, `in-${n++ % 50}.csv`);
    writeFileSync(p, content);
    return p;
  };
  return async (c: AnalysisCase): Promise<FuzzOutcome> => {
    const args = [c.command, file(c.csv), ...c.args];
    if (c.command === 'stats' && c.margins !== undefined) args.push(`--rake=${file(c.margins)}`);
    if (c.command === 'reconcile' && c.registry !== undefined) args.push(`--registry=${file(c.registry)}`);
    const res = await cli(args);
    if (res.code !== 0) {
      const m = /^error (CAIRNET_[A-Z_]+):/m.exec(res.stderr);
      if (!m)
        throw new FuzzFinding(
          'code',
          `cairnet ${c.command} failed without a code: ${res.stderr.slice(0, 2000)}`,
        );
      if (m[1] === 'CAIRNET_INTERNAL')
        throw new FuzzFinding('crash', `cairnet ${c.command}: ${res.stderr.slice(0, 2000)}`);
      const outcome = checkedCode(m[1], `cairnet ${c.command}`);
      if (res.stdout !== '')
        throw new FuzzFinding(
          'invariant',
          `cairnet ${c.command} failed but printed ${res.stdout.slice(0, 200)}`,
        );
      return outcome;
    }
    let out: unknown;
    try {
      out = JSON.parse(res.stdout);
    } catch {
      throw new FuzzFinding(
        'invariant',
        `cairnet ${c.command} --json printed no JSON: ${res.stdout.slice(0, 300)}`,
      );
    }
    // By contract, contrib is null for supplementary categories and approximation when Ward ran
    // on every row, consolidationAlgorithm without consolidation; every other null is a NaN or an infinity.
    // An infinite conditional odds ratio (a zero cell, as R's fisher.test) is null with a note.
    const infiniteOddsRatio = Boolean((out as { fisher?: { note?: string } }).fisher?.note);
    // An interval R leaves undefined (df = 0 in a group) is null with a note on its row.
    const noted = new Set(
      ((out as { estimates?: { note?: string }[] }).estimates ?? []).flatMap((e, i) => (e.note ? [i] : [])),
    );
    const nulls = (c.command === 'reconcile' ? [] : nullsIn(out))
      .filter((p) => !(infiniteOddsRatio && /^\/fisher\/(oddsRatio|ci\/1)$/.test(p)))
      .filter((p) => !noted.has(Number(/^\/estimates\/(\d+)\/ci\/[01]$/.exec(p)?.[1] ?? -1)))
      .filter(
        (p) =>
          !/^\/supplementaryCategories\/\d+\/contrib$|^\/clustering\/(approximation|consolidationAlgorithm)$/.test(
            p,
          ),
      );
    if (nulls.length)
      throw new FuzzFinding(
        'invariant',
        `cairnet ${c.command}: NaN or infinity at ${nulls.slice(0, 5).join(', ')}`,
      );
    if (c.command === 'reconcile') {
      for (const m of (out as { mentions: { match: { score: number } | null }[] }).mentions) {
        if (m.match && !Number.isFinite(m.match.score))
          throw new FuzzFinding('invariant', 'a match without a finite score');
      }
    }
    return ACCEPTED;
  };
}
