import { statsError } from './stats-error.js';
import { type SurveyDesign, withWeights } from './survey-design.js';

export interface TrimOptions {
  lower?: number;
  upper?: number;
  /** Repeat until no weight is outside the bounds (survey's `strict = TRUE`). */
  strict?: boolean;
}

/**
 * Trims weights to [lower, upper] and spreads what was cut equally over the untrimmed rows, as
 * `trimWeights(design, upper, lower, strict)`; the total weight is kept.
 */
export function trimWeights(design: SurveyDesign, options: TrimOptions): SurveyDesign {
  const lower = options.lower ?? Number.NEGATIVE_INFINITY;
  const upper = options.upper ?? Number.POSITIVE_INFINITY;
  if (!(lower <= upper)) throw statsError('Trimming needs lower ≤ upper');
  let w = design.weights;
  for (let round = 0; round < 1000; round++) {
    const outside = Array.from(w, (v) => v < lower || v > upper);
    if (!outside.some(Boolean)) break;
    const inside = outside.filter((o) => !o).length;
    if (inside === 0) throw statsError('Every weight is outside the trimming bounds');
    let cut = 0;
    const next = Float64Array.from(w, (v) => {
      const t = Math.max(lower, Math.min(v, upper));
      cut += v - t;
      return t;
    });
    for (let i = 0; i < next.length; i++) if (!outside[i]) next[i]! += cut / inside;
    w = next;
    if (!options.strict) break;
  }
  return withWeights(design, w);
}
