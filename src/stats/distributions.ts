/**
 * The few distribution functions the estimators need, as R names them (`pnorm`, `qt`, …),
 * over @stdlib.
 *
 * Upper tails and their precision:
 * - F: computed directly, as the lower tail of F(df2, df1) at 1/q (the same regularised
 *   incomplete beta R's `pf(lower.tail = FALSE)` evaluates), so tiny p-values keep their
 *   relative precision.
 * - chi-square with 1 df: `2·pnorm(−√q)`, direct as well (the normal CDF is an erfc).
 * - chi-square with other df: `1 − pchisq(q, df)`, because no declared dependency gives the
 *   upper incomplete gamma (@stdlib's gammainc with its upper flag is only a transitive
 *   dependency). This is precise to about 1e-16 absolute, so it loses relative precision
 *   below ~1e-12 and returns 0 below ~1e-16, where R gives the true tiny value. Declaring
 *   `@stdlib/math-base-special-gammainc` would fix it: `gammainc(q / 2, df / 2, true, true)`.
 */
import chisqCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import fCdf from '@stdlib/stats-base-dists-f-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Standard normal quantile (R `qnorm(p)`). */
export function qnorm(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** Standard normal CDF (R `pnorm(q)`). */
export function pnorm(q: number): number {
  return normalCdf(q, 0, 1);
}

/** Student t quantile; `df = Infinity` gives the normal quantile (R `qt(p, df)`). */
export function qt(p: number, df: number): number {
  return df === Number.POSITIVE_INFINITY ? qnorm(p) : tQuantile(p, df);
}

/** Student t CDF (R `pt(q, df)`). */
export function pt(q: number, df: number): number {
  return df === Number.POSITIVE_INFINITY ? pnorm(q) : tCdf(q, df);
}

/** Upper tail of the chi-square distribution (R `pchisq(q, df, lower.tail = FALSE)`). */
export function pchisqUpper(q: number, df: number): number {
  if (df === 1 && q >= 0) return 2 * normalCdf(-Math.sqrt(q), 0, 1);
  return 1 - chisqCdf(q, df);
}

/** Upper tail of the F distribution (R `pf(q, df1, df2, lower.tail = FALSE)`). */
export function pfUpper(q: number, df1: number, df2: number): number {
  if (Number.isNaN(q) || Number.isNaN(df1) || Number.isNaN(df2)) return Number.NaN;
  if (q <= 0) return df1 > 0 && df2 > 0 ? 1 : Number.NaN;
  // P(F(df1, df2) > q) = P(F(df2, df1) < 1/q): no cancellation.
  return fCdf(1 / q, df2, df1);
}
