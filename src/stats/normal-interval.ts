import { qnorm } from './distributions.js';

/** Normal interval `value ± z·se`, as `confint()` on a survey estimate. */
export function normalInterval(value: number, se: number, confidence = 0.95): [number, number] {
  const z = qnorm(1 - (1 - confidence) / 2);
  return [value - z * se, value + z * se];
}
