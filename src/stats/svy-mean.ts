import { activeRows, base } from './active-rows.js';
import type { Estimate, EstimateOptions } from './estimate.js';
import { normalInterval } from './normal-interval.js';
import { statsError } from './stats-error.js';
import { describeDesign, type SurveyDesign } from './survey-design.js';
import { linearizedVariance } from './variance.js';

/**
 * Weighted mean of a numeric column with its linearised standard error, as
 * `svymean(~y, design, na.rm)` (or within a domain, as `svymean(~y, subset(design, domain))`).
 *
 * @example
 * svyMean(design, api00).value
 */
export function svyMean(
  design: SurveyDesign,
  y: ArrayLike<number | null>,
  options: EstimateOptions = {},
): Estimate {
  const active = activeRows(design, [y], options);
  const { n, weightedN } = base(design, active);
  if (weightedN <= 0)
    throw statsError('No row with a positive weight in this estimate: the mean is undefined');
  let sum = 0;
  for (let i = 0; i < design.n; i++) if (active[i]) sum += design.weights[i]! * Number(y[i]);
  const mean = sum / weightedN;
  const z = new Float64Array(design.n);
  for (let i = 0; i < design.n; i++) {
    if (active[i]) z[i] = (design.weights[i]! * (Number(y[i]) - mean)) / weightedN;
  }
  const se = Math.sqrt(linearizedVariance(design, [z], active)[0]![0]!);
  const confidence = options.confidence ?? 0.95;
  return {
    statistic: 'mean',
    value: mean,
    se,
    ci: normalInterval(mean, se, confidence),
    confidence,
    ciMethod: 'normal',
    n,
    weightedN,
    design: describeDesign(design),
  };
}
