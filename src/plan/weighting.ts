import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import type { Dataset } from '../dataset/dataset.js';
import { cairnetError } from '../errors.js';
import { kishDesignEffect } from '../stats/kish.js';
import { postStratify } from '../stats/post-stratify.js';
import { rake } from '../stats/rake.js';
import { type SurveyDesign, surveyDesign } from '../stats/survey-design.js';
import type { Weighting } from './plan-schema.js';

/** R's rake() default control: at most 10 sweeps, stop below a change of 1 in the joint table. */
export const RAKE_CONTROL = { maxIter: 10, epsilon: 1 } as const;

/** A raking variable of the plan and the population's stratum field it is counted by. */
export interface RakeVariable {
  variable: string;
  stratum: string;
}

/** Population counts by plan variable, then by level. */
export type Margins = Record<string, Record<string, number>>;

/** Where the margins came from. */
export type MarginsSource = { kind: 'population' } | { kind: 'file'; file: string } | { kind: 'plan' };

/** The weighting as it was done: stored in the results (and so in snapshots) for the methods appendix. */
export interface WeightingSummary {
  method: 'rake' | 'poststratify';
  variables: RakeVariable[];
  source: MarginsSource;
  /** Always true for post-stratification; for raking, whether the change fell below epsilon. */
  converged: boolean;
  /** Sweeps made (raking), null for post-stratification. */
  iterations: number | null;
  control: { maxIter: number; epsilon: number };
  /** Respondents weighted. */
  n: number;
  weights: { min: number; max: number; mean: number };
  /** Kish's design effect due to unequal weights, 1 + CV² (CV with the population variance), and n / deff. */
  deff: number;
  effectiveN: number;
  /** The margins used, by variable and level. */
  margins: Margins;
  /**
   * By raking variable and level: persons invited in the stratum and responses giving that level
   * (responses are anonymous: a response is placed in a stratum by its own answer, not by its
   * invitation). Only with margins from the population.
   */
  responseRates?: {
    variable: string;
    levels: {
      level: string;
      invited: number;
      responses: number;
      rate: number | null;
      /** Fewer responses than the plan's minimum cell (but some): not shown in outputs. */
      suppressed: boolean;
    }[];
  }[];
}

/** The raking variables of a plan's weighting, each with its stratum field. */
export function rakeVariables(w: Weighting): RakeVariable[] {
  return w.rake.map((r) => (typeof r === 'string' ? { variable: r, stratum: r } : r));
}

/** The path of a margins file, relative to the plan file's directory. */
export function marginsPath(file: string, planSource: string): string {
  return isAbsolute(file) ? file : resolve(dirname(planSource), file);
}

/**
 * Reads margins from a CSV with the columns `variable`, `level` and `count` (one row per level).
 * A missing, unreadable or malformed file is `CAIRNET_WEIGHTING_FILE`.
 */
export function readMarginsCsv(path: string): Margins {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw cairnetError(
      'CAIRNET_WEIGHTING_FILE',
      `Cannot read the weighting margins ${path}: ${(e as Error).message}`,
    );
  }
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (e) {
    throw cairnetError('CAIRNET_WEIGHTING_FILE', `${path} is not a CSV table: ${(e as Error).message}`);
  }
  const margins: Margins = {};
  rows.forEach((r, k) => {
    const line = k + 2;
    if (r.variable === undefined || r.level === undefined || r.count === undefined)
      throw cairnetError('CAIRNET_WEIGHTING_FILE', `${path}: the columns must be variable, level, count`);
    const count = Number(r.count);
    if (!r.variable || !r.level || r.count === '' || !Number.isFinite(count) || count <= 0)
      throw cairnetError(
        'CAIRNET_WEIGHTING_FILE',
        `${path} line ${line}: a variable, a level and a count > 0 are needed (leave an empty level out)`,
      );
    const byLevel = margins[r.variable] ?? {};
    margins[r.variable] = byLevel;
    if (byLevel[r.level] !== undefined)
      throw cairnetError(
        'CAIRNET_WEIGHTING_FILE',
        `${path} line ${line}: "${r.variable}" = "${r.level}" is given twice`,
      );
    byLevel[r.level] = count;
  });
  return margins;
}

function levelValues(dataset: Dataset, variable: string): (string | null)[] {
  const col = categorical(dataset, variable);
  return Array.from(col.codes, (c) => (c < 0 ? null : col.levels[c]!));
}

function categorical(dataset: Dataset, variable: string) {
  const col = dataset.columns.get(variable);
  if (col?.kind !== 'categorical')
    throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `No categorical variable "${variable}" to weight by`);
  return col;
}

/** Refuses margins that cannot weight these rows: a missing value, a level without margin, a zero or empty cell. */
function checkMargins(
  variable: string,
  values: (string | null)[],
  levels: readonly string[],
  margin: Record<string, number>,
): void {
  const missing = values.filter((v) => v === null).length;
  if (missing > 0)
    throw cairnetError(
      'CAIRNET_WEIGHTING_MISSING',
      `${missing} respondent${missing > 1 ? 's have' : ' has'} no value of "${variable}": raking needs every respondent's (as R's rake, which fails on NA); make the question required or recode the missing answers into a level of the margins`,
    );
  const seen = new Map<string, number>();
  for (const v of values) seen.set(v!, (seen.get(v!) ?? 0) + 1);
  for (const [level, n] of seen) {
    if (margin[level] === undefined)
      throw cairnetError(
        'CAIRNET_WEIGHTING_MARGINS',
        `${n} respondent${n > 1 ? 's' : ''} answered "${level}" to "${variable}", a level absent from the margins (${Object.keys(margin).join(', ')})`,
      );
    if (margin[level] === 0)
      throw cairnetError(
        'CAIRNET_WEIGHTING_MARGINS',
        `The margin of "${variable}" = "${level}" is 0 but ${n} respondent${n > 1 ? 's' : ''} gave it`,
      );
  }
  for (const [level, count] of Object.entries(margin)) {
    if (count > 0 && !levels.includes(level))
      throw cairnetError(
        'CAIRNET_WEIGHTING_MARGINS',
        `The margins count "${level}" (${count}), which is not a level of "${variable}" (${levels.join(', ')}): the strata's values must be the question's codes`,
      );
    if (count > 0 && !seen.has(level))
      throw cairnetError(
        'CAIRNET_WEIGHTING_MARGINS',
        `No respondent answered "${level}" to "${variable}" (population ${count}): its weight cannot be carried; merge levels with a derived variable`,
      );
  }
}

/**
 * The plan's design: the respondents post-stratified (one variable, as `postStratify`) or raked
 * (as `rake(design, ~v…, populations)` with R's default control) to the margins, from an
 * unweighted design, with the weights' summary. Levels with a zero margin and no respondent are
 * left out, as R's rake ignores them.
 */
export function weightDataset(
  dataset: Dataset,
  variables: readonly RakeVariable[],
  margins: Margins,
  source: MarginsSource,
): { design: SurveyDesign; summary: WeightingSummary } {
  const columns = variables.map(({ variable }) => {
    const margin = margins[variable];
    if (!margin || Object.keys(margin).length === 0)
      throw cairnetError('CAIRNET_WEIGHTING_MARGINS', `The margins give no count for "${variable}"`);
    const values = levelValues(dataset, variable);
    checkMargins(variable, values, categorical(dataset, variable).levels, margin);
    const used = Object.fromEntries(Object.entries(margin).filter(([, c]) => c > 0));
    return { name: variable, variable: values, population: used };
  });
  const start = surveyDesign({ n: dataset.n });
  let design: SurveyDesign;
  let converged = true;
  let iterations: number | null = null;
  if (columns.length === 1) {
    design = postStratify(start, columns[0]!.variable, columns[0]!.population);
  } else {
    const r = rake(start, columns, RAKE_CONTROL);
    design = r.design;
    converged = r.converged;
    iterations = r.iterations;
  }
  const w = design.weights;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const x of w) {
    min = Math.min(min, x);
    max = Math.max(max, x);
    sum += x;
  }
  const kish = kishDesignEffect(w);
  return {
    design,
    summary: {
      method: columns.length === 1 ? 'poststratify' : 'rake',
      variables: [...variables],
      source,
      converged,
      iterations,
      control: { ...RAKE_CONTROL },
      n: dataset.n,
      weights: { min, max, mean: sum / w.length },
      deff: kish.deff,
      effectiveN: kish.effectiveN,
      margins: Object.fromEntries(variables.map(({ variable }) => [variable, { ...margins[variable]! }])),
    },
  };
}

/** Response rates by stratum: invited persons (the population's margins) against responses by their answer. */
export function responseRates(
  dataset: Dataset,
  variables: readonly RakeVariable[],
  invited: Margins,
  minCell: number,
): NonNullable<WeightingSummary['responseRates']> {
  return variables.map(({ variable }) => {
    const counts = new Map<string, number>();
    for (const v of levelValues(dataset, variable)) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    const margin = invited[variable] ?? {};
    const levels = [...new Set([...Object.keys(margin), ...counts.keys()])];
    return {
      variable,
      levels: levels.map((level) => {
        const n = margin[level] ?? 0;
        const responses = counts.get(level) ?? 0;
        return {
          level,
          invited: n,
          responses,
          rate: n > 0 ? responses / n : null,
          suppressed: responses > 0 && responses < minCell,
        };
      }),
    };
  });
}

/**
 * The margins of a plan's weighting by plan variable: the population's invited persons by
 * stratum field (`population`, read from the store by the caller), the CSV file named (relative
 * to the plan file), or the margins written in the plan.
 */
export function planMargins(
  w: Weighting,
  planSource: string,
  population: Margins | undefined,
): { margins: Margins; source: MarginsSource } {
  const variables = rakeVariables(w);
  if (w.to === 'population') {
    if (!population)
      throw cairnetError(
        'CAIRNET_WEIGHTING_MARGINS',
        'The plan is weighted to the population: it is evaluated on a store whose campaign holds the population',
      );
    const margins: Margins = {};
    for (const { variable, stratum } of variables) {
      const counts = population[stratum] ?? {};
      if (Object.keys(counts).length === 0)
        throw cairnetError(
          'CAIRNET_WEIGHTING_MARGINS',
          `No one invited has a value of the stratum "${stratum}" (to weight "${variable}"): import the population with that column, or give the margins in a file`,
        );
      margins[variable] = counts;
    }
    return { margins, source: { kind: 'population' } };
  }
  if (typeof w.to === 'string') {
    const path = marginsPath(w.to, planSource);
    const read = readMarginsCsv(path);
    const margins: Margins = {};
    for (const { variable } of variables) {
      if (!read[variable])
        throw cairnetError('CAIRNET_WEIGHTING_FILE', `${path} gives no margins for "${variable}"`);
      margins[variable] = read[variable];
    }
    return { margins, source: { kind: 'file', file: basename(w.to) } };
  }
  return { margins: w.to, source: { kind: 'plan' } };
}

/** The margins file a plan's text names (`weighting: {to: FILE.csv}`), or null (population, inline margins, none). */
export function marginsFileOf(text: string): string | null {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return null; // parsePlan reports them
  const to = doc.getIn(['weighting', 'to']);
  return typeof to === 'string' && to !== 'population' ? to : null;
}

/**
 * A plan's YAML with a `weighting.to: FILE.csv` replaced by the margins the file gives (read
 * relative to the plan file), so that a plan stored in the database (`cairnet plan set`) does not
 * depend on a file that may move or change. Other plans are returned unchanged. A missing file is
 * `CAIRNET_WEIGHTING_FILE`.
 */
export function inlineMarginsFile(text: string, planPath: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return text; // parsePlan reports them
  const to = doc.getIn(['weighting', 'to']);
  if (typeof to !== 'string' || to === 'population') return text;
  const rake = doc.getIn(['weighting', 'rake']);
  const variables = isSeq(rake)
    ? rake.items.map((r) => (isScalar(r) ? String(r.value) : String((r as YAMLMap).get('variable'))))
    : [];
  const path = marginsPath(to, planPath);
  const read = readMarginsCsv(path);
  const margins: Margins = {};
  for (const v of variables) {
    if (!read[v]) throw cairnetError('CAIRNET_WEIGHTING_FILE', `${path} gives no margins for "${v}"`);
    margins[v] = read[v];
  }
  const node = doc.createNode(margins);
  node.commentBefore = ` margins read from ${basename(to)} when the plan was stored`;
  doc.setIn(['weighting', 'to'], node);
  return doc.toString();
}
