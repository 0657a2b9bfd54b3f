import { type Condition, conditionMask, conditionVariables } from '../dataset/condition.js';
import type { Dataset } from '../dataset/dataset.js';
import { cairnetError, isCairnetError } from '../errors.js';
import { chiSquareTest } from '../stats/chi-square-test.js';
import { fisherExact } from '../stats/fisher-exact.js';
import { oddsRatioWoolf, proportionRatio } from '../stats/odds-ratio.js';
import { raoScottTest } from '../stats/rao-scott.js';
import { type SurveyDesign, surveyDesign } from '../stats/survey-design.js';
import { svyMean } from '../stats/svy-mean.js';
import { svyProportions } from '../stats/svy-proportions.js';
import { svyQuantile } from '../stats/svy-quantile.js';
import { wilsonInterval } from '../stats/wilson-interval.js';
import { applyComplementarySuppression } from './complementary-suppression.js';
import type { CountSource } from './count-source.js';
import type {
  CellResult,
  GroupResult,
  IndicatorResult,
  LevelResult,
  TestResult,
} from './indicator-result.js';
import type { Indicator, IndicatorTest } from './plan-schema.js';
import {
  type Scale,
  type ScaleLevels,
  scaleDistribution,
  scaleFromRows,
  scaleOf,
} from './scale-distribution.js';

/** What evaluating an indicator can draw on. */
export interface EvaluationContext {
  counts: CountSource;
  /** The rows, for what counts alone cannot give (means, weighted designs, names); null with a pure count source. */
  dataset: Dataset | null;
  /** Levels of every categorical variable the plan can name (to order breakdowns and brackets). */
  levels: (variable: string) => string[];
  minCell: number;
  fragileBase: number;
  confidence: number;
  synthetic: boolean;
  /** Number of distinct names among free-text mentions (association reconciliation). */
  distinctNames?: (mentions: string[]) => number;
  /**
   * A text list's distinct texts (trimmed, non-empty) among the respondents satisfying a
   * condition, and how many of them wrote one, read without the rows (SQL); default: from the
   * dataset.
   */
  textList?: (variable: string, among: Condition | null) => Promise<{ texts: string[]; n: number }>;
  /** Variables that cannot be computed yet, with the reason (e.g. the typology). */
  pending: ReadonlyMap<string, string>;
  /** The plan's design weighted to the population (`weighting`): every indicator is estimated on it, from rows. */
  design?: SurveyDesign;
  /**
   * The levels of an ordered scale (a Likert item) with their wording, in the codebook's order;
   * null for a variable that is not an ordered scale. Without it, no share carries its scale.
   */
  scaleLevels?: ScaleLevels;
}

/** Whether an indicator is estimated with weights (its own, or the plan's weighting). */
function isWeighted(ind: Indicator, ctx: EvaluationContext): boolean {
  return Boolean(ind.weights) || ctx.design !== undefined;
}

const WILSON = 'proportion with Wilson interval (as prop.test, correct = FALSE)';
const LOGIT = 'design-based proportion (as svymean) with logit interval (as svyciprop, method = "logit")';

function cell(x: number, n: number, ctx: EvaluationContext): CellResult {
  return {
    n,
    count: x,
    estimate: n > 0 ? x / n : null,
    ci: n > 0 ? wilsonInterval(x, n, ctx.confidence) : null,
    suppressed: x < ctx.minCell || n - x < ctx.minCell,
    fragile: n < ctx.fragileBase,
  };
}

/** The variables an indicator reads. */
export function indicatorVariables(ind: Indicator): string[] {
  const e = ind.estimate;
  const out: string[] = [];
  if ('proportion' in e) out.push(...conditionVariables(e.proportion));
  else if ('mean' in e) out.push(e.mean);
  else if ('quartiles' in e) out.push(e.quartiles);
  else if ('distribution' in e) out.push(e.distribution);
  else if ('distinctNames' in e) out.push(e.distinctNames);
  else out.push(e.bracketShare.var);
  if (ind.among) out.push(...conditionVariables(ind.among));
  if (ind.by) out.push(ind.by);
  if (ind.weights) out.push(ind.weights);
  return out;
}

/** The condition a proportion-like estimate counts, and the extra filter it implies (null for other estimates). */
export function proportionOf(
  ind: Indicator,
  ctx: Pick<EvaluationContext, 'levels'>,
): { outcome: Condition; among: Condition | null } | null {
  const e = ind.estimate;
  if ('proportion' in e) return { outcome: e.proportion, among: ind.among ?? null };
  if (!('bracketShare' in e)) return null;
  const b = e.bracketShare;
  const levels = ctx.levels(b.var);
  const at = levels.indexOf(String(b.below ?? b.from));
  const chosen = b.below !== undefined ? levels.slice(0, at) : levels.slice(at);
  const answered: Condition = { answered: b.var };
  return {
    outcome: { var: b.var, in: chosen },
    among: ind.among ? { all: [ind.among, answered] } : answered,
  };
}

function tests(ind: Indicator): IndicatorTest[] {
  return ind.test === undefined ? [] : Array.isArray(ind.test) ? ind.test : [ind.test];
}

function guarded(test: string, method: string, f: () => Omit<TestResult, 'test' | 'method'>): TestResult {
  try {
    return { test, method, ...f() };
  } catch (e) {
    if (!isCairnetError(e)) throw e;
    return { test, method, error: e.message };
  }
}

/** Tests on an unweighted groups × outcomes table (proportions: [in cell, not in cell]). */
function countTests(ind: Indicator, groups: string[], table: number[][]): TestResult[] {
  const rows = table.map((r, g) => ({ g: groups[g]!, r })).filter(({ r }) => r.some((v) => v > 0));
  const t = rows.map(({ r }) => r);
  return tests(ind).flatMap((name): TestResult[] => {
    switch (name) {
      case 'chisq':
      case 'chisq_yates':
        return [
          guarded(name, "Pearson's chi-squared test (as chisq.test)", () => {
            const r = chiSquareTest(t, name === 'chisq_yates');
            return { statistic: r.statistic, df: r.df, p: r.p };
          }),
        ];
      case 'fisher':
        return [
          guarded(name, "Fisher's exact test (as fisher.test)", () => {
            const r = fisherExact(t);
            return { p: r.p, oddsRatio: r.oddsRatio, ci: r.ci };
          }),
        ];
      case 'odds_ratio':
        return [
          guarded(name, 'odds ratio with Woolf interval', () => {
            const r = oddsRatioWoolf(t);
            return { estimate: r.estimate, ci: r.ci };
          }),
        ];
      case 'ratio':
        return [
          guarded(name, 'ratio of two proportions with log (Katz) interval', () => {
            const [a, b] = rows;
            if (!a || !b || a.r.length !== 2)
              throw cairnetError('CAIRNET_STATS_INVALID', 'A ratio needs two groups of a proportion');
            const r = proportionRatio(a.r[0]!, a.r[0]! + a.r[1]!, b.r[0]!, b.r[0]! + b.r[1]!);
            return { estimate: r.estimate, ci: r.ci, groups: [a.g, b.g] };
          }),
        ];
      default:
        return [];
    }
  });
}

function base(
  ind: Indicator,
  ctx: EvaluationContext,
  kind: IndicatorResult['kind'],
  method: string,
  weighted: boolean,
) {
  return {
    id: ind.id,
    label: ind.label,
    kind,
    status: 'ok' as const,
    method,
    weighted,
    ...(ind.by ? { by: ind.by } : {}),
    ...(ind.published ? { published: ind.published } : {}),
    synthetic: ctx.synthetic,
  };
}

async function fromCounts(ind: Indicator, ctx: EvaluationContext): Promise<IndicatorResult> {
  const p = proportionOf(ind, ctx);
  const kind: IndicatorResult['kind'] =
    'bracketShare' in ind.estimate ? 'bracketShare' : p ? 'proportion' : 'distribution';
  const outcome = p
    ? { condition: p.outcome }
    : { variable: (ind.estimate as { distribution: string }).distribution };
  const among = p ? p.among : (ind.among ?? null);
  const scale = scaleOf(ind, ctx.scaleLevels);
  // asked together, so that a source batching its counts makes them in one go
  const [overall, byTable, scaleTable, scaleByTable] = await Promise.all([
    ctx.counts.count({ among, outcome, by: null }),
    ind.by ? ctx.counts.count({ among, outcome, by: ind.by }) : null,
    scale ? ctx.counts.count({ among, outcome: { variable: scale.variable }, by: null }) : null,
    scale && ind.by ? ctx.counts.count({ among, outcome: { variable: scale.variable }, by: ind.by }) : null,
  ]);
  const method =
    kind === 'bracketShare'
      ? `share of brackets ${describeBracket(ind)} (exact at a bracket bound), ${WILSON}`
      : WILSON;
  const summarise = (row: number[], outcomes: string[]) => {
    if (p) return { ...cell(row[1]!, row[0]! + row[1]!, ctx) };
    const n = row.reduce((s, v) => s + v, 0);
    const levels: LevelResult[] = outcomes.map((level, k) => ({ level, ...cell(row[k]!, n, ctx) }));
    return {
      n,
      count: null,
      estimate: null,
      ci: null,
      suppressed: levels.some((l) => l.suppressed),
      fragile: n < ctx.fragileBase,
      levels,
    };
  };
  const top = summarise(overall.counts[0]!, overall.outcomes);
  const result: IndicatorResult = {
    ...base(ind, ctx, kind, method, false),
    ...('variable' in outcome ? { variable: outcome.variable } : {}),
    ...top,
  };
  if (scale && scaleTable && top.n > 0) {
    result.scale = scaleFromCounts(scale, scaleTable.counts[0] ?? [], scaleTable.outcomes, top.n, ctx);
  }
  if (byTable) {
    result.groups = byTable.groups.map((group, g): GroupResult => {
      const one: GroupResult = { group, ...summarise(byTable.counts[g]!, byTable.outcomes) };
      const k = scaleByTable ? scaleByTable.groups.indexOf(group) : -1;
      if (scale && scaleByTable && one.n > 0) {
        one.scale = scaleFromCounts(scale, scaleByTable.counts[k] ?? [], scaleByTable.outcomes, one.n, ctx);
      }
      return one;
    });
    const t = countTests(ind, byTable.groups, p ? byTable.counts.map((r) => [r[1]!, r[0]!]) : byTable.counts);
    if (t.length > 0) result.test = t;
  }
  return result;
}

/** A scale's distribution from its levels' counts on a base of `n` (the rest did not answer). */
function scaleFromCounts(
  scale: Scale,
  row: readonly number[],
  outcomes: readonly string[],
  n: number,
  ctx: EvaluationContext,
) {
  const answered = row.reduce((s, v) => s + v, 0);
  const at = (level: string | null) => (level === null ? n - answered : (row[outcomes.indexOf(level)] ?? 0));
  return scaleDistribution(scale, n, (level) => cell(at(level), n, ctx));
}

function describeBracket(ind: Indicator): string {
  const b = (ind.estimate as { bracketShare: { var: string; below?: unknown; from?: unknown } }).bracketShare;
  return b.below !== undefined ? `below "${b.below}"` : `from "${b.from}"`;
}

function rows(ctx: EvaluationContext, why: string): Dataset {
  if (!ctx.dataset)
    throw cairnetError('CAIRNET_STATS_INVALID', `${why} needs the responses as rows, not only counts`);
  return ctx.dataset;
}

function designOf(dataset: Dataset, weights: string | undefined): SurveyDesign {
  if (!weights) return surveyDesign({ n: dataset.n });
  const col = dataset.columns.get(weights);
  if (col?.kind !== 'numeric')
    throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `No numeric weight variable "${weights}"`);
  return surveyDesign({ weights: col.values });
}

function groupMasks(
  dataset: Dataset,
  ind: Indicator,
  among: Uint8Array,
): { group: string; mask: Uint8Array }[] {
  if (!ind.by) return [];
  const col = dataset.columns.get(ind.by);
  if (col?.kind !== 'categorical')
    throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `No categorical variable "${ind.by}"`);
  return col.levels.map((group, k) => {
    const mask = new Uint8Array(dataset.n);
    for (let i = 0; i < dataset.n; i++) mask[i] = among[i]! && col.codes[i] === k ? 1 : 0;
    return { group, mask };
  });
}

function countOf(mask: Uint8Array, also?: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] && (!also || also[i])) s++;
  return s;
}

/** Distinct names among a text list's texts (F6): reconciled by `ctx.distinctNames`. */
function distinctNamesResult(
  ind: Indicator,
  ctx: EvaluationContext,
  texts: string[],
  n: number,
): IndicatorResult {
  if (!ctx.distinctNames) {
    return {
      ...base(ind, ctx, 'distinctNames', 'distinct names after reconciliation', false),
      status: 'pending',
      note: 'pending reconciliation',
      n,
      count: null,
      estimate: null,
      ci: null,
      suppressed: false,
      fragile: n < ctx.fragileBase,
    };
  }
  const distinct = ctx.distinctNames(texts);
  return {
    ...base(
      ind,
      ctx,
      'distinctNames',
      'distinct associations after reconciliation of the names cited against the registry',
      false,
    ),
    n,
    count: distinct,
    estimate: distinct,
    ci: null,
    suppressed: false,
    fragile: n < ctx.fragileBase,
  };
}

/** The texts of a text list among the rows satisfying the indicator's `among`, and how many rows wrote one. */
function textsFromRows(
  ind: Indicator,
  variable: string,
  ctx: EvaluationContext,
): { texts: string[]; n: number } {
  const dataset = rows(ctx, `Indicator ${ind.id}`);
  const among = ind.among ? conditionMask(dataset, ind.among) : new Uint8Array(dataset.n).fill(1);
  const col = dataset.columns.get(variable);
  if (col?.kind !== 'text_list') throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `No text list "${variable}"`);
  const used = new Uint8Array(col.dictionary.length);
  let n = 0;
  for (let i = 0; i < dataset.n; i++) {
    if (!among[i] || col.offsets[i + 1] === col.offsets[i]) continue;
    n++;
    for (let k = col.offsets[i]!; k < col.offsets[i + 1]!; k++) used[col.items[k]!] = 1;
  }
  return { texts: col.dictionary.filter((_, k) => used[k]), n };
}

/** The median with its Woodruff interval and the two other quartiles, as `svyquantile(~x, design, c(.25, .5, .75))`. */
function quartilesResult(
  ind: Indicator,
  ctx: EvaluationContext,
  dataset: Dataset,
  design: SurveyDesign,
  among: Uint8Array,
  groups: { group: string; mask: Uint8Array }[],
): IndicatorResult {
  const variable = (ind.estimate as { quartiles: string }).quartiles;
  const col = dataset.columns.get(variable);
  if (col?.kind !== 'numeric')
    throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `No numeric variable "${variable}"`);
  const y = Array.from(col.values, (v) => (Number.isNaN(v) ? null : v));
  const cell = (domain: Uint8Array): CellResult & { quartiles?: [number, number, number] } => {
    let n = 0;
    for (let i = 0; i < dataset.n; i++) if (domain[i] && y[i] !== null) n++;
    if (n === 0) return { n, count: null, estimate: null, ci: null, suppressed: true, fragile: true };
    const at = (p: number) => svyQuantile(design, y, p, { domain, naRm: true, confidence: ctx.confidence });
    const median = at(0.5);
    const ci = median.ci.every(Number.isFinite) ? (median.ci as [number, number]) : null;
    return {
      n,
      count: null,
      estimate: median.value,
      ci,
      suppressed: n < ctx.minCell,
      fragile: n < ctx.fragileBase,
      quartiles: [at(0.25).value, median.value, at(0.75).value],
    };
  };
  const result: IndicatorResult = {
    ...base(
      ind,
      ctx,
      'quartiles',
      'median and quartiles (as svyquantile) with Woodruff interval',
      isWeighted(ind, ctx),
    ),
    ...cell(among),
  };
  if (groups.length) result.groups = groups.map(({ group, mask }) => ({ group, ...cell(mask) }));
  return result;
}

/**
 * A distribution on a weighted design: each level's share as `svymean(~factor(x))` among those
 * who answered, with the logit interval of `svyciprop(~I(x == level), method = "logit")`.
 */
function weightedDistribution(
  ind: Indicator,
  ctx: EvaluationContext,
  dataset: Dataset,
  design: SurveyDesign,
  among: Uint8Array,
  groups: { group: string; mask: Uint8Array }[],
): IndicatorResult {
  const variable = (ind.estimate as { distribution: string }).distribution;
  const col = dataset.columns.get(variable);
  if (col?.kind !== 'categorical')
    throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `No categorical variable "${variable}"`);
  const x = Array.from(col.codes, (c) => (c < 0 ? null : col.levels[c]!));
  const summarise = (domain: Uint8Array) => {
    const answered = Uint8Array.from(domain, (d, i) => (d && x[i] !== null ? 1 : 0));
    const n = countOf(answered);
    const counts = col.levels.map((_, k) => {
      let c = 0;
      for (let i = 0; i < dataset.n; i++) if (answered[i] && col.codes[i] === k) c++;
      return c;
    });
    const est =
      n > 0
        ? svyProportions(design, x, {
            domain: answered,
            naRm: true,
            levels: col.levels,
            confidence: ctx.confidence,
          }).estimates
        : null;
    const levels: LevelResult[] = col.levels.map((level, k) => ({
      level,
      n,
      count: counts[k]!,
      estimate: est ? est[k]!.value : null,
      ci: est ? est[k]!.ci : null,
      ...(est ? { se: est[k]!.se } : {}),
      suppressed: counts[k]! < ctx.minCell || n - counts[k]! < ctx.minCell,
      fragile: n < ctx.fragileBase,
    }));
    return {
      n,
      count: null,
      estimate: null,
      ci: null,
      suppressed: levels.some((l) => l.suppressed),
      fragile: n < ctx.fragileBase,
      levels,
    };
  };
  const result: IndicatorResult = {
    ...base(ind, ctx, 'distribution', LOGIT, true),
    variable,
    ...summarise(among),
  };
  if (groups.length) {
    result.groups = groups.map(({ group, mask }) => ({ group, ...summarise(mask) }));
    const answered = Uint8Array.from(among, (a, i) => (a && x[i] !== null ? 1 : 0));
    const t = raoScott(ind, dataset, design, answered, x);
    if (t.length) result.test = t;
  }
  return result;
}

/** The Rao-Scott tests an indicator asks for, of its breakdown against an outcome, in a domain. */
function raoScott(
  ind: Indicator,
  dataset: Dataset,
  design: SurveyDesign,
  domain: Uint8Array,
  outcome: ArrayLike<string | number | null>,
): TestResult[] {
  if (!tests(ind).includes('rao_scott')) return [];
  const byCol = dataset.columns.get(ind.by!)!;
  const row = Array.from({ length: dataset.n }, (_, i) =>
    domain[i] && byCol.kind === 'categorical' && byCol.codes[i]! >= 0 ? byCol.levels[byCol.codes[i]!]! : null,
  );
  const col = Array.from(outcome, (o, i) => (domain[i] && o !== null ? String(o) : null));
  return [
    guarded('rao_scott', 'Rao-Scott second-order corrected F test (as svychisq)', () => {
      // As svychisq(~by + outcome, subset(design, domain)): the filter is the test's domain.
      const r = raoScottTest(design, row, col, { domain });
      return { F: r.F, ndf: r.ndf, ddf: r.ddf, p: r.p };
    }),
  ];
}

function fromRows(ind: Indicator, ctx: EvaluationContext): IndicatorResult {
  const e = ind.estimate;
  const dataset = rows(ctx, `Indicator ${ind.id}`);
  const all = new Uint8Array(dataset.n).fill(1);
  const design = ctx.design ?? designOf(dataset, ind.weights);
  const p = proportionOf(ind, ctx);
  const among = p?.among
    ? conditionMask(dataset, p.among)
    : ind.among
      ? conditionMask(dataset, ind.among)
      : all;
  const groups = groupMasks(dataset, ind, among);
  if ('quartiles' in e) return quartilesResult(ind, ctx, dataset, design, among, groups);
  if ('mean' in e) {
    const col = dataset.columns.get(e.mean);
    if (col?.kind !== 'numeric')
      throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `No numeric variable "${e.mean}"`);
    const y = Array.from(col.values, (v) => (Number.isNaN(v) ? null : v));
    const mean = (domain: Uint8Array): CellResult => {
      let n = 0;
      for (let i = 0; i < dataset.n; i++) if (domain[i] && y[i] !== null) n++;
      if (n === 0) return { n, count: null, estimate: null, ci: null, suppressed: true, fragile: true };
      const est = svyMean(design, y, { domain, naRm: true, confidence: ctx.confidence });
      return {
        n,
        count: null,
        estimate: est.value,
        ci: est.ci,
        se: est.se,
        suppressed: n < ctx.minCell,
        fragile: n < ctx.fragileBase,
      };
    };
    const result: IndicatorResult = {
      ...base(ind, ctx, 'mean', 'mean (as svymean) with normal interval', isWeighted(ind, ctx)),
      ...mean(among),
    };
    if (groups.length) result.groups = groups.map(({ group, mask }) => ({ group, ...mean(mask) }));
    return result;
  }
  if ('distribution' in e) return weightedDistribution(ind, ctx, dataset, design, among, groups);
  if (!p)
    throw cairnetError('CAIRNET_STATS_INVALID', `Indicator ${ind.id}: no weighted estimate of this kind`);
  const outcome = conditionMask(dataset, p.outcome);
  const proportion = (domain: Uint8Array, cellOutcome = outcome): CellResult => {
    const n = countOf(domain);
    const x = countOf(domain, cellOutcome);
    if (n === 0) return { n, count: 0, estimate: null, ci: null, suppressed: true, fragile: true };
    const est = svyProportions(design, cellOutcome, {
      domain,
      levels: ['0', '1'],
      confidence: ctx.confidence,
    }).estimates[1]!;
    return {
      n,
      count: x,
      estimate: est.value,
      ci: est.ci,
      se: est.se,
      suppressed: x < ctx.minCell || n - x < ctx.minCell,
      fragile: n < ctx.fragileBase,
    };
  };
  const kind = 'bracketShare' in e ? 'bracketShare' : 'proportion';
  const result: IndicatorResult = { ...base(ind, ctx, kind, LOGIT, true), ...proportion(among) };
  const scale = scaleOf(ind, ctx.scaleLevels);
  if (scale) {
    const distribution = scaleFromRows(scale, dataset, proportion, among);
    if (distribution) result.scale = distribution;
  }
  if (groups.length) {
    result.groups = groups.map(({ group, mask }) => {
      const one: GroupResult = { group, ...proportion(mask) };
      const within = scale && one.n > 0 ? scaleFromRows(scale, dataset, proportion, mask) : null;
      if (within) one.scale = within;
      return one;
    });
    const t = raoScott(ind, dataset, design, among, outcome);
    if (t.length) result.test = t;
  }
  return result;
}

/**
 * Evaluates one indicator: from counts when it can (unweighted proportions, bracket shares,
 * distributions, their tests), from rows otherwise (means, weighted designs, names).
 */
export async function evaluateIndicator(ind: Indicator, ctx: EvaluationContext): Promise<IndicatorResult> {
  const waiting = indicatorVariables(ind).find((v) => ctx.pending.has(v));
  if (waiting !== undefined) {
    return {
      ...base(ind, ctx, 'proportion', 'not computed', isWeighted(ind, ctx)),
      status: 'pending',
      note: ctx.pending.get(waiting)!,
      n: 0,
      count: null,
      estimate: null,
      ci: null,
      suppressed: false,
      fragile: false,
    };
  }
  const e = ind.estimate;
  if ('distinctNames' in e) {
    const { texts, n } = ctx.textList
      ? await ctx.textList(e.distinctNames, ind.among ?? null)
      : textsFromRows(ind, e.distinctNames, ctx);
    return applyComplementarySuppression(distinctNamesResult(ind, ctx, texts, n));
  }
  return applyComplementarySuppression(
    await (countableIndicator(ind) && !ctx.design ? fromCounts(ind, ctx) : fromRows(ind, ctx)),
  );
}

/** Whether an indicator is computed from counts alone (unweighted proportions, bracket shares, distributions). */
export function countableIndicator(ind: Indicator): boolean {
  const e = ind.estimate;
  return !ind.weights && ('proportion' in e || 'bracketShare' in e || 'distribution' in e);
}
