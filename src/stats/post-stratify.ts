import { statsError } from './stats-error.js';
import { isMissing, type Label, type SurveyDesign, withWeights } from './survey-design.js';

/**
 * Post-stratifies a design to population counts, as `postStratify(design, ~v, population)`:
 * each cell's weights are multiplied by population / weighted sample count, and the design
 * remembers the cells so that standard errors use residuals within them. A sample cell absent
 * from the population, or a population cell absent from the sample, is an error (as survey's
 * default `partial = FALSE`).
 */
export function postStratify(
  design: SurveyDesign,
  variable: ArrayLike<Label | null>,
  population: Readonly<Record<string, number>>,
): SurveyDesign {
  const { cell, weights } = postStratifyWeights(design.weights, variable, population);
  return withWeights(design, weights, { kind: 'postStratify', cell, weights, oldWeights: design.weights });
}

/** The post-stratified weights and the cell of each row. */
export function postStratifyWeights(
  weights: Float64Array,
  variable: ArrayLike<Label | null>,
  population: Readonly<Record<string, number>>,
): { cell: Int32Array; weights: Float64Array } {
  const labels = Object.keys(population);
  const index = new Map(labels.map((l, k) => [l, k]));
  const sample = new Float64Array(labels.length);
  const cell = new Int32Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    if (isMissing(variable[i]))
      throw statsError(`Row ${i + 1} has no value of a post-stratification variable`);
    const k = index.get(String(variable[i]));
    if (k === undefined) {
      throw statsError(`Level "${variable[i]}" is in the sample but not in the population counts`);
    }
    cell[i] = k;
    sample[k]! += weights[i]!;
  }
  labels.forEach((l, k) => {
    const pop = population[l]!;
    if (!(pop >= 0) || !Number.isFinite(pop))
      throw statsError(`Population count of "${l}" must be a number ≥ 0`);
    if (sample[k] === 0 && pop > 0) {
      throw statsError(`Level "${l}" is in the population but has no weighted sample: cannot post-stratify`);
    }
  });
  const out = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    const k = cell[i]!;
    out[i] = weights[i]! * (population[labels[k]!]! / sample[k]!);
  }
  return { cell, weights: out };
}
