import type { EstimateOptions } from './estimate.js';
import { statsError } from './stats-error.js';
import { isMissing, type SurveyDesign } from './survey-design.js';

/** The rows an estimate uses: in the domain, and with no missing value (or an error). */
export function activeRows(
  design: SurveyDesign,
  values: readonly ArrayLike<unknown>[],
  options: EstimateOptions,
  name = 'the variable',
): Uint8Array {
  const active = new Uint8Array(design.n);
  for (const v of values) {
    if (v.length !== design.n) {
      throw statsError(`${name} has ${v.length} values but the design has ${design.n} rows`);
    }
  }
  if (options.domain && options.domain.length !== design.n) {
    throw statsError(`The domain has ${options.domain.length} rows but the design has ${design.n}`);
  }
  for (let i = 0; i < design.n; i++) {
    if (options.domain && !options.domain[i]) continue;
    const missing = values.some((v) => isMissing(v[i]));
    if (missing) {
      if (!options.naRm) {
        throw statsError(`${name} is missing in row ${i + 1}: drop missing values (naRm) or fill them`);
      }
      continue;
    }
    active[i] = 1;
  }
  return active;
}

/** Unweighted base and weighted total of the active rows. */
export function base(design: SurveyDesign, active: Uint8Array): { n: number; weightedN: number } {
  let n = 0;
  let weightedN = 0;
  for (let i = 0; i < design.n; i++) {
    if (!active[i]) continue;
    const w = design.weights[i]!;
    if (w !== 0) n++;
    weightedN += w;
  }
  return { n, weightedN };
}
