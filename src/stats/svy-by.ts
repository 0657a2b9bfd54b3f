import { isMissing, type Label, type SurveyDesign, sortLabels } from './survey-design.js';

/** One group of a breakdown and what was estimated in it. */
export interface GroupResult<T> {
  group: string;
  result: T;
}

/**
 * Runs an estimator in each group of `by`, as `svyby(~y, ~by, design, FUN)`: each group is a
 * domain of the whole design (zero contributions outside it), groups are the levels present
 * among rows with a non-zero weight, sorted, and rows with a missing group are left out.
 *
 * @example
 * svyBy(design, stype, (domain) => svyMean(design, api00, { domain }))
 */
export function svyBy<T>(
  design: SurveyDesign,
  by: ArrayLike<Label | null>,
  estimate: (domain: Uint8Array, group: string) => T,
): GroupResult<T>[] {
  const groups = new Set<string>();
  for (let i = 0; i < design.n; i++) {
    if (design.weights[i] !== 0 && !isMissing(by[i])) groups.add(String(by[i]));
  }
  return sortLabels([...groups]).map((group) => {
    const domain = new Uint8Array(design.n);
    for (let i = 0; i < design.n; i++) domain[i] = !isMissing(by[i]) && String(by[i]) === group ? 1 : 0;
    return { group, result: estimate(domain, group) };
  });
}
