import type { PlanResults } from '../../src/plan/evaluate-plan.js';
import type { IndicatorResult } from '../../src/plan/indicator-result.js';

/** A proportion indicator as the plan engine returns it. */
export function proportion(
  id: string,
  estimate: number,
  ci: [number, number],
  n: number,
  extra: Partial<IndicatorResult> = {},
): IndicatorResult {
  return {
    id,
    label: { fr: `indicateur ${id}`, en: `indicator ${id}` },
    kind: 'proportion',
    status: 'ok',
    method: 'proportion with Wilson interval',
    weighted: false,
    synthetic: false,
    n,
    count: Math.round(estimate * n),
    estimate,
    ci,
    suppressed: false,
    fragile: false,
    ...extra,
  };
}

/** Results with the indicators given (not synthetic unless said). */
export function planResults(indicators: IndicatorResult[], synthetic = false): PlanResults {
  return { instrument: 'cairnet', n: 651, synthetic, indicators };
}
