import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { chiSquareTest } from '../../stats/chi-square-test.js';
import type { Estimate } from '../../stats/estimate.js';
import { fisherExact } from '../../stats/fisher-exact.js';
import { oddsRatioWoolf } from '../../stats/odds-ratio.js';
import { type RakeResult, rake } from '../../stats/rake.js';
import { raoScottTest } from '../../stats/rao-scott.js';
import { isMissing, type SurveyDesign, surveyDesign } from '../../stats/survey-design.js';
import { svyBy } from '../../stats/svy-by.js';
import { svyMean } from '../../stats/svy-mean.js';
import { levelsOf, svyProportions } from '../../stats/svy-proportions.js';
import { svyTotal } from '../../stats/svy-total.js';
import { wilsonInterval } from '../../stats/wilson-interval.js';
import { type CsvTable, column, numericColumn, readCsvTable } from '../../stats-io/csv-table.js';
import { action } from '../run-action.js';

interface StatsOptions {
  weight?: string;
  strata?: string;
  fpc?: string;
  cluster?: string;
  freq?: string;
  mean?: string;
  total?: string;
  proportion?: string;
  by?: string;
  crosstab?: string;
  yates?: boolean;
  rake?: string;
  maxIter?: string;
  epsilon?: string;
  lonelyPsu?: string;
  json?: boolean;
}

interface EstimateRow {
  variable: string;
  level?: string;
  group?: Record<string, string>;
  estimate: number;
  se: number;
  ci: [number, number];
  n: number;
  method: string;
  note?: string;
}

export function register(program: Command): void {
  program
    .command('stats')
    .description('Design-based estimates and tests on a CSV file (as R survey / stats)')
    .argument('<file>', 'CSV file with a header line')
    .option('--weight <col>', 'sampling weights')
    .option('--strata <col>', 'strata')
    .option('--fpc <col>', 'finite population correction (population size or sampling fraction)')
    .option('--cluster <col>', 'PSU (one-stage clusters)')
    .option('--freq <col>', 'frequency of each row (row counts that many times; not a design)')
    .option('--mean <vars>', 'means of numeric columns, comma-separated')
    .option('--total <var>', 'total of a numeric column')
    .option('--proportion <var>', 'proportion of each level of a column')
    .option('--by <var>', 'estimate within each group of this column')
    .option('--crosstab <row,col>', 'two-way table with tests')
    .option('--yates', "Yates' continuity correction on a 2×2 chi-square")
    .option('--rake <margins.csv>', 'rake weights to margins (columns variable,level,count) first')
    .option('--max-iter <n>', 'raking: maximum sweeps (default 10)')
    .option('--epsilon <e>', 'raking: convergence threshold (default 1; below 1, a fraction of total weight)')
    .option('--lonely-psu <rule>', 'single-PSU strata: fail (default), certainty, adjust, average, remove')
    .option('--json', 'print JSON')
    .action(action((file: string, options: StatsOptions) => runStats(file, options)));
}

function usage(message: string): Error {
  return cairnetError('CAIRNET_USAGE', message);
}

/** The `stats` command: exported so that tests can call it. */
export function runStats(file: string, options: StatsOptions): void {
  const chosen = (['mean', 'total', 'proportion', 'crosstab'] as const).filter(
    (k) => options[k] !== undefined,
  );
  if (chosen.length !== 1) {
    throw usage('Give exactly one of --mean, --total, --proportion or --crosstab');
  }
  if (options.by && options.crosstab) throw usage('--by does not apply to --crosstab');
  const lonely = options.lonelyPsu ?? 'fail';
  if (!['fail', 'certainty', 'adjust', 'average', 'remove'].includes(lonely)) {
    throw usage(`--lonely-psu must be fail, certainty, adjust, average or remove (got "${lonely}")`);
  }
  const table = expandFrequencies(readCsvTable(file), options.freq);
  if (table.rows === 0) throw cairnetError('CAIRNET_CSV_INVALID', `${file} has no data rows`);
  const isDesign = Boolean(
    options.weight || options.strata || options.fpc || options.cluster || options.rake,
  );
  let design = surveyDesign({
    n: table.rows,
    ...(options.weight ? { weights: requireComplete(table, options.weight) } : {}),
    ...(options.strata ? { strata: labelColumn(table, options.strata) } : {}),
    ...(options.cluster ? { clusters: labelColumn(table, options.cluster) } : {}),
    ...(options.fpc ? { fpc: requireComplete(table, options.fpc) } : {}),
    lonelyPsu: lonely as SurveyDesign['lonelyPsu'],
  });
  let raked: RakeResult | undefined;
  if (options.rake) {
    raked = rakeDesign(design, table, options);
    design = raked.design;
  }
  const weights = raked
    ? {
        weights: { sumByMargin: raked.sumByMargin, converged: raked.converged, iterations: raked.iterations },
      }
    : {};
  if (options.crosstab) {
    const out = {
      ...crosstab(design, table, options.crosstab, isDesign, options.yates === true),
      ...weights,
    };
    print(options.json ? JSON.stringify(out) : crosstabText(out), options);
    return;
  }
  const estimates = estimateRows(design, table, options, isDesign);
  // A number JSON cannot carry (NaN, ±Infinity) is refused with its cause, never printed as null.
  const undefinedRow = estimates.find((e) => ![e.estimate, e.se].every(Number.isFinite));
  if (undefinedRow) {
    const e = undefinedRow;
    const what = `"${e.variable}"${e.level === undefined ? '' : ` = "${e.level}"`}${e.group ? ` in ${JSON.stringify(e.group)}` : ''}`;
    throw cairnetError(
      'CAIRNET_STATS_INVALID',
      Number.isNaN(e.se) && lonely === 'average'
        ? `No standard error for ${what}: every stratum holding its rows has a single PSU, so --lonely-psu average has no other stratum to average over (choose certainty, adjust or remove)`
        : `The estimate for ${what} is not a finite number (estimate ${e.estimate}, se ${e.se}): its values are too large for double precision`,
    );
  }
  const out = { estimates, ...weights };
  print(options.json ? JSON.stringify(out) : estimatesText(out), options);
}

function print(text: string, _options: StatsOptions): void {
  process.stdout.write(`${text}\n`);
}

function labelColumn(table: CsvTable, name: string): string[] {
  return column(table, name);
}

function requireComplete(table: CsvTable, name: string): number[] {
  const values = numericColumn(table, name);
  const missing = values.findIndex((v) => Number.isNaN(v));
  if (missing >= 0) {
    throw cairnetError('CAIRNET_STATS_INVALID', `Column "${name}" has no value on line ${missing + 2}`);
  }
  return values;
}

/** Most rows `--freq` expands a file to (each row is repeated in memory). */
const MAX_EXPANDED_ROWS = 10_000_000;

function expandFrequencies(table: CsvTable, freq: string | undefined): CsvTable {
  if (!freq) return table;
  const counts = requireComplete(table, freq);
  counts.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0) {
      throw cairnetError(
        'CAIRNET_STATS_INVALID',
        `Frequency "${freq}" must be a whole number ≥ 0 (line ${i + 2})`,
      );
    }
  });
  const rows = counts.reduce((s, c) => s + c, 0);
  if (rows > MAX_EXPANDED_ROWS) {
    throw cairnetError(
      'CAIRNET_STATS_INVALID',
      `Frequency "${freq}" adds up to ${rows} rows; at most ${MAX_EXPANDED_ROWS} are expanded`,
    );
  }
  const columns = new Map<string, string[]>();
  for (const [name, values] of table.columns) {
    columns.set(
      name,
      values.flatMap((v, i) => new Array<string>(counts[i]!).fill(v)),
    );
  }
  return { names: table.names, rows, columns };
}

function rakeDesign(design: SurveyDesign, table: CsvTable, options: StatsOptions): RakeResult {
  const margins = readCsvTable(options.rake!);
  const variables = column(margins, 'variable');
  const levels = column(margins, 'level');
  const counts = numericColumn(margins, 'count');
  const byVariable = new Map<string, Record<string, number>>();
  variables.forEach((v, i) => {
    if (Number.isNaN(counts[i]!)) {
      throw cairnetError('CAIRNET_CSV_INVALID', `Margin count missing on line ${i + 2} of ${options.rake}`);
    }
    const pop = byVariable.get(v) ?? {};
    pop[levels[i]!] = counts[i]!;
    byVariable.set(v, pop);
  });
  const maxIter = options.maxIter === undefined ? undefined : Number(options.maxIter);
  const epsilon = options.epsilon === undefined ? undefined : Number(options.epsilon);
  if (maxIter !== undefined && !(Number.isInteger(maxIter) && maxIter > 0)) {
    throw usage('--max-iter must be a positive whole number');
  }
  if (epsilon !== undefined && !(epsilon > 0)) throw usage('--epsilon must be a number > 0');
  return rake(
    design,
    [...byVariable].map(([name, population]) => ({ name, variable: column(table, name), population })),
    { ...(maxIter === undefined ? {} : { maxIter }), ...(epsilon === undefined ? {} : { epsilon }) },
  );
}

function toRow(variable: string, e: Estimate, group?: Record<string, string>): EstimateRow {
  // As R's svyciprop: a group whose design leaves no degrees of freedom (df = 0) has no interval.
  const noInterval = !e.ci.every(Number.isFinite) && Number.isFinite(e.value) && Number.isFinite(e.se);
  return {
    variable,
    ...(e.level === undefined ? {} : { level: e.level }),
    ...(group ? { group } : {}),
    estimate: e.value,
    se: e.se,
    ci: e.ci,
    n: e.n,
    method: e.ciMethod,
    ...(noInterval
      ? {
          note:
            e.df === 0
              ? 'No confidence interval: the design leaves no degrees of freedom here (df = 0), as in R; JSON writes it null'
              : 'No finite confidence interval here; JSON writes it null',
        }
      : {}),
  };
}

function estimateRows(
  design: SurveyDesign,
  table: CsvTable,
  options: StatsOptions,
  isDesign: boolean,
): EstimateRow[] {
  const groups = (fn: (domain?: Uint8Array) => Estimate[], variable: string): EstimateRow[] => {
    if (!options.by) return fn().map((e) => toRow(variable, e));
    const byName = options.by;
    return svyBy(design, column(table, byName), (domain, group) => ({
      group,
      estimates: fn(domain),
    })).flatMap(({ result }) => result.estimates.map((e) => toRow(variable, e, { [byName]: result.group })));
  };
  const opts = (domain?: Uint8Array) => ({ naRm: true, ...(domain ? { domain } : {}) });
  if (options.mean !== undefined) {
    const vars = options.mean.split(',').map((v) => v.trim());
    if (vars.some((v) => v === '')) throw usage('--mean needs column names separated by commas');
    return vars.flatMap((v) => {
      const y = numericColumn(table, v);
      return groups((domain) => [svyMean(design, y, opts(domain))], v);
    });
  }
  if (options.total !== undefined) {
    const y = numericColumn(table, options.total);
    return groups((domain) => [svyTotal(design, y, opts(domain))], options.total);
  }
  const name = options.proportion!;
  const x = column(table, name);
  const levels = levelsOf(x);
  return groups((domain) => {
    const props = svyProportions(design, x, { ...opts(domain), levels, ciMethod: 'logit' }).estimates;
    if (isDesign) return props;
    // Without a design, the interval of a simple proportion is Wilson's (prop.test, no correction).
    let total = 0;
    const counts = new Map<string, number>();
    for (let i = 0; i < x.length; i++) {
      if ((domain && !domain[i]) || isMissing(x[i])) continue;
      total++;
      counts.set(x[i]!, (counts.get(x[i]!) ?? 0) + 1);
    }
    return props.map((e) => ({
      ...e,
      ci: wilsonInterval(counts.get(e.level!) ?? 0, total),
      ciMethod: 'wilson',
    }));
  }, name);
}

interface CrosstabOutput {
  table: { rows: string[]; cols: string[]; counts: number[][]; weighted?: number[][] };
  pearson: { statistic: number; df: number; p: number };
  raoScott?: { F: number; ndf: number; ddf: number; p: number };
  fisher?: { p: number; oddsRatio: number; ci: [number, number]; note?: string };
  oddsRatio?: { estimate: number; ci: [number, number] };
}

function crosstab(
  design: SurveyDesign,
  table: CsvTable,
  spec: string,
  isDesign: boolean,
  yates: boolean,
): CrosstabOutput {
  const [rowName, colName, ...rest] = spec.split(',').map((s) => s.trim());
  if (!rowName || !colName || rest.length > 0) throw usage('--crosstab needs ROWVAR,COLVAR');
  const row = column(table, rowName);
  const col = column(table, colName);
  const rows = levelsOf(row);
  const cols = levelsOf(col);
  if (rows.length < 2 || cols.length < 2) {
    throw cairnetError('CAIRNET_STATS_INVALID', 'A crosstab needs at least two levels in each variable');
  }
  const counts = rows.map(() => cols.map(() => 0));
  for (let i = 0; i < row.length; i++) {
    if (isMissing(row[i]) || isMissing(col[i])) continue;
    counts[rows.indexOf(row[i]!)]![cols.indexOf(col[i]!)]!++;
  }
  const chi = chiSquareTest(counts, yates);
  const out: CrosstabOutput = {
    table: { rows, cols, counts },
    pearson: { statistic: chi.statistic, df: chi.df, p: chi.p },
  };
  if (isDesign) {
    const rs = raoScottTest(design, row, col);
    out.table.weighted = rs.weighted;
    out.raoScott = { F: rs.F, ndf: rs.ndf, ddf: rs.ddf, p: rs.p };
  }
  if (rows.length === 2 && cols.length === 2) {
    const f = fisherExact(counts);
    out.fisher = { p: f.p, oddsRatio: f.oddsRatio, ci: f.ci };
    // As R's fisher.test: with a zero cell the conditional MLE (and its upper bound) is infinite,
    // which JSON writes null; the note says so.
    if (f.oddsRatio === Number.POSITIVE_INFINITY) {
      out.fisher.note =
        'The conditional odds ratio and its upper bound are infinite (a zero cell); JSON writes them null';
    }
    if (counts.flat().every((c) => c > 0)) {
      const o = oddsRatioWoolf(counts);
      out.oddsRatio = { estimate: o.estimate, ci: o.ci };
    }
  }
  return out;
}

const fmt = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x));

function estimatesText(out: { estimates: EstimateRow[]; weights?: unknown }): string {
  const header = ['variable', 'level', 'group', 'estimate', 'se', 'ci', 'n'];
  const lines = out.estimates.map((e) => [
    e.variable,
    e.level ?? '',
    e.group
      ? Object.entries(e.group)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')
      : '',
    fmt(e.estimate),
    fmt(e.se),
    `[${fmt(e.ci[0])}, ${fmt(e.ci[1])}] ${e.method}`,
    String(e.n),
  ]);
  return align([header, ...lines]) + weightsText(out.weights);
}

function crosstabText(out: CrosstabOutput & { weights?: unknown }): string {
  const t = out.table;
  const grid = [['', ...t.cols], ...t.rows.map((r, i) => [r, ...t.counts[i]!.map(String)])];
  const parts = [
    align(grid),
    `Pearson X² = ${fmt(out.pearson.statistic)}, df = ${out.pearson.df}, p = ${fmt(out.pearson.p)}`,
  ];
  if (out.raoScott) {
    const r = out.raoScott;
    parts.push(`Rao-Scott F = ${fmt(r.F)}, ndf = ${fmt(r.ndf)}, ddf = ${fmt(r.ddf)}, p = ${fmt(r.p)}`);
  }
  if (out.fisher) {
    const f = out.fisher;
    parts.push(
      `Fisher p = ${fmt(f.p)}, conditional OR = ${fmt(f.oddsRatio)} [${fmt(f.ci[0])}, ${fmt(f.ci[1])}]`,
    );
  }
  if (out.oddsRatio) {
    const o = out.oddsRatio;
    parts.push(`Odds ratio = ${fmt(o.estimate)} [${fmt(o.ci[0])}, ${fmt(o.ci[1])}] (Woolf)`);
  }
  return parts.join('\n') + weightsText(out.weights);
}

function weightsText(weights: unknown): string {
  if (!weights) return '';
  const w = weights as { converged: boolean; iterations: number };
  return `\nRaking: ${w.converged ? 'converged' : 'did NOT converge'} after ${w.iterations} sweep(s)`;
}

function align(rows: string[][]): string {
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => (r[k] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, k) => c.padEnd(widths[k]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
