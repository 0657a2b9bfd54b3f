import { qnorm } from './distributions.js';
import { statsError } from './stats-error.js';

/** A ratio with its interval. */
export interface RatioEstimate {
  estimate: number;
  ci: [number, number];
  method: string;
}

/**
 * Sample odds ratio ad/bc of a 2×2 table `[[a, b], [c, d]]` with Woolf's (logit) interval
 * `exp(log OR ± z·√(1/a + 1/b + 1/c + 1/d))`. A zero cell has no Woolf interval: an error.
 */
export function oddsRatioWoolf(table: readonly (readonly number[])[], confidence = 0.95): RatioEstimate {
  const cells = table.flat();
  if (table.length !== 2 || cells.length !== 4 || cells.some((v) => !(v >= 0))) {
    throw statsError('An odds ratio needs a 2×2 table of non-negative counts');
  }
  if (cells.some((v) => v === 0)) throw statsError('An odds ratio with a Woolf interval needs no empty cell');
  const [a, b, c, d] = cells as [number, number, number, number];
  const or = (a * d) / (b * c);
  const s = Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
  const z = qnorm(1 - (1 - confidence) / 2);
  return {
    estimate: or,
    ci: [Math.exp(Math.log(or) - z * s), Math.exp(Math.log(or) + z * s)],
    method: 'Woolf',
  };
}

/**
 * Ratio of two proportions (x1/n1)/(x2/n2) — "twice as likely" — with the log (Katz) interval
 * `exp(log RR ± z·√(1/x1 − 1/n1 + 1/x2 − 1/n2))`.
 */
export function proportionRatio(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  confidence = 0.95,
): RatioEstimate {
  if (!(x1 > 0 && x2 > 0 && n1 >= x1 && n2 >= x2)) {
    throw statsError('A ratio of proportions needs 0 < x ≤ n in both groups');
  }
  const rr = x1 / n1 / (x2 / n2);
  const s = Math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2);
  const z = qnorm(1 - (1 - confidence) / 2);
  return {
    estimate: rr,
    ci: [Math.exp(Math.log(rr) - z * s), Math.exp(Math.log(rr) + z * s)],
    method: 'log',
  };
}
