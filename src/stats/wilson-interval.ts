import { qnorm } from './distributions.js';
import { statsError } from './stats-error.js';

/**
 * Wilson score interval for x successes out of n, as `prop.test(x, n, correct = FALSE)$conf.int`
 * (without continuity correction).
 */
export function wilsonInterval(x: number, n: number, confidence = 0.95): [number, number] {
  if (!(n > 0) || x < 0 || x > n)
    throw statsError(`A Wilson interval needs 0 ≤ x ≤ n and n > 0 (x=${x}, n=${n})`);
  const z = qnorm(1 - (1 - confidence) / 2);
  const p = x / n;
  const z22n = (z * z) / (2 * n);
  const root = z * Math.sqrt((p * (1 - p)) / n + z22n / (2 * n));
  const upper = p >= 1 ? 1 : (p + z22n + root) / (1 + 2 * z22n);
  const lower = p <= 0 ? 0 : (p + z22n - root) / (1 + 2 * z22n);
  return [lower, upper];
}
