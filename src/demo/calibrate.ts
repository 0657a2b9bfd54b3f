export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * The shift κ such that the (weighted) mean of sigmoid(base_i + κ) equals `target` (bisection). This is
 * how the panel is calibrated: each model keeps its structure (who is more likely to answer
 * what), and one intercept per published figure is solved on the respondents actually drawn.
 */
export function solveShift(bases: readonly number[], target: number, weights?: readonly number[]): number {
  if (bases.length === 0) return 0;
  const w = (i: number) => (weights ? (weights[i] ?? 0) : 1);
  const total = bases.reduce((s, _, i) => s + w(i), 0);
  const mean = (k: number) => bases.reduce((s, b, i) => s + w(i) * sigmoid(b + k), 0) / total;
  let lo = -20;
  let hi = 20;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (mean(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Probabilities of the four ordered levels of a Likert item whose latent position is `mu`
 * (cut points −spread, 0, spread): P(upper two levels) = sigmoid(mu) whatever the spread.
 */
export function likertProbabilities(mu: number, spread = 2): [number, number, number, number] {
  const c1 = sigmoid(-spread - mu);
  const c2 = sigmoid(0 - mu);
  const c3 = sigmoid(spread - mu);
  return [c1, c2 - c1, c3 - c2, 1 - c3];
}
