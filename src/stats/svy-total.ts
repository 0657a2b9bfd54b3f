import { activeRows, base } from './active-rows.js';
import type { Estimate, EstimateOptions } from './estimate.js';
import { normalInterval } from './normal-interval.js';
import { describeDesign, type SurveyDesign } from './survey-design.js';
import { linearizedVariance } from './variance.js';

/**
 * Weighted total of a numeric column with its linearised standard error, as
 * `svytotal(~y, design, na.rm)` (a domain contributes zero outside it).
 */
export function svyTotal(
  design: SurveyDesign,
  y: ArrayLike<number | null>,
  options: EstimateOptions = {},
): Estimate {
  const active = activeRows(design, [y], options);
  const { n, weightedN } = base(design, active);
  const z = new Float64Array(design.n);
  let total = 0;
  for (let i = 0; i < design.n; i++) {
    if (!active[i]) continue;
    z[i] = design.weights[i]! * Number(y[i]);
    total += z[i]!;
  }
  const se = Math.sqrt(linearizedVariance(design, [z], active)[0]![0]!);
  const confidence = options.confidence ?? 0.95;
  return {
    statistic: 'total',
    value: total,
    se,
    ci: normalInterval(total, se, confidence),
    confidence,
    ciMethod: 'normal',
    n,
    weightedN,
    design: describeDesign(design),
  };
}
