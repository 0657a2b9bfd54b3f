import { activeRows, base } from './active-rows.js';
import type { Estimate, EstimateOptions } from './estimate.js';
import { logitInterval } from './logit-interval.js';
import { normalInterval } from './normal-interval.js';
import { statsError } from './stats-error.js';
import { describeDesign, isMissing, type Label, type SurveyDesign, sortLabels } from './survey-design.js';
import { designDf, linearizedVariance } from './variance.js';

export interface ProportionOptions extends EstimateOptions {
  /** Levels in order; default the column's distinct values sorted as R's `factor()`. */
  levels?: readonly string[];
  /** 'logit' (default, as `svyciprop`) or 'normal' (as `confint(svymean(~factor))`). */
  ciMethod?: 'logit' | 'normal';
}

/** Proportions of each level of a categorical column, with their covariance matrix. */
export interface Proportions {
  levels: string[];
  estimates: Estimate[];
  vcov: number[][];
}

/** The distinct non-missing values of a column, sorted as R's `factor()` sorts them. */
export function levelsOf(x: ArrayLike<Label | null>): string[] {
  const seen = new Set<string>();
  for (let i = 0; i < x.length; i++) if (!isMissing(x[i])) seen.add(String(x[i]));
  return sortLabels([...seen]);
}

/**
 * Proportion of each level, as `svymean(~factor(x), design, na.rm)`; the interval is the logit
 * one of `svyciprop(~I(x == level), design, method = "logit")` by default, whose df is
 * `degf()` of the domain.
 */
export function svyProportions(
  design: SurveyDesign,
  x: ArrayLike<Label | null>,
  options: ProportionOptions = {},
): Proportions {
  const levels = options.levels ? [...options.levels] : levelsOf(x);
  const active = activeRows(design, [x], options);
  const { n, weightedN } = base(design, active);
  if (weightedN <= 0)
    throw statsError('No row with a positive weight in this estimate: proportions are undefined');
  const index = new Map(levels.map((l, k) => [l, k]));
  const k = levels.length;
  const code = new Int32Array(design.n).fill(-1);
  const sums = new Float64Array(k);
  for (let i = 0; i < design.n; i++) {
    if (!active[i]) continue;
    const c = index.get(String(x[i]));
    if (c === undefined) throw statsError(`Value "${x[i]}" in row ${i + 1} is not one of the levels`);
    code[i] = c;
    sums[c]! += design.weights[i]!;
  }
  const p = Array.from(sums, (s) => s / weightedN);
  const z = p.map((pk, c) => {
    const col = new Float64Array(design.n);
    for (let i = 0; i < design.n; i++) {
      if (active[i]) col[i] = (design.weights[i]! * ((code[i] === c ? 1 : 0) - pk)) / weightedN;
    }
    return col;
  });
  const vcov = linearizedVariance(design, z, active);
  const confidence = options.confidence ?? 0.95;
  const method = options.ciMethod ?? 'logit';
  const df = method === 'logit' ? designDf(design, options.domain) : undefined;
  const estimates = levels.map((level, c): Estimate => {
    const value = p[c]!;
    const se = Math.sqrt(vcov[c]![c]!);
    return {
      statistic: 'proportion',
      level,
      value,
      se,
      ci:
        method === 'logit'
          ? logitInterval(value, se, df!, confidence)
          : normalInterval(value, se, confidence),
      confidence,
      ciMethod: method,
      n,
      weightedN,
      ...(df === undefined ? {} : { df }),
      design: describeDesign(design),
    };
  });
  return { levels, estimates, vcov };
}
