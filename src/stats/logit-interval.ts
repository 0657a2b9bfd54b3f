import { qt } from './distributions.js';

/**
 * Logit interval of a design-based proportion, as `svyciprop(method = "logit")`: a Wald interval
 * on the logit scale with the linearised variance and `qt(·, df)` for the design df, then expit.
 * A proportion of 0 or 1 has the degenerate interval [p, p].
 */
export function logitInterval(p: number, se: number, df: number, confidence = 0.95): [number, number] {
  if (p <= 0 || p >= 1) return [p, p];
  const seLogit = se / (p * (1 - p));
  const eta = Math.log(p / (1 - p));
  const t = qt(1 - (1 - confidence) / 2, df);
  const expit = (u: number) => 1 / (1 + Math.exp(-u));
  return [expit(eta - t * seLogit), expit(eta + t * seLogit)];
}
