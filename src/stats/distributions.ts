/**
 * The few distribution functions the estimators need, as R names them (`pnorm`, `qt`, …),
 * over @stdlib.
 *
 * Upper tails are computed directly, never as 1 − cdf, so tiny p-values keep their relative
 * precision (checked against R to 1e-10 relative down to 1e-300):
 * - F: as the lower tail of F(df2, df1) at 1/q (the same regularised incomplete beta R's
 *   `pf(lower.tail = FALSE)` evaluates).
 * - chi-square: the regularised upper incomplete gamma Q(df/2, q/2), @stdlib's `gammainc` with
 *   its upper flag (a port of Boost's `gamma_q`: continued fraction, series or Temme's
 *   expansion as the arguments ask), the quantity R's `pchisq(lower.tail = FALSE)` evaluates.
 */
import gammainc from '@stdlib/math-base-special-gammainc';
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

/**
 * Upper tail of the chi-square distribution (R `pchisq(q, df, lower.tail = FALSE)`), as R gives
 * it at the edges: 1 for q ≤ 0, 0 for q = ∞, df = 0 a point mass at 0, NaN for df < 0.
 */
export function pchisqUpper(q: number, df: number): number {
  if (Number.isNaN(q) || Number.isNaN(df) || df < 0) return Number.NaN;
  if (q <= 0) return 1;
  if (q === Number.POSITIVE_INFINITY) return 0;
  if (df === 0) return 0;
  if (df === Number.POSITIVE_INFINITY) return 1;
  return gammainc(q / 2, df / 2, true, true);
}

/** Upper tail of the F distribution (R `pf(q, df1, df2, lower.tail = FALSE)`). */
export function pfUpper(q: number, df1: number, df2: number): number {
  if (Number.isNaN(q) || Number.isNaN(df1) || Number.isNaN(df2)) return Number.NaN;
  if (q <= 0) return df1 > 0 && df2 > 0 ? 1 : Number.NaN;
  // P(F(df1, df2) > q) = P(F(df2, df1) < 1/q): no cancellation.
  return fCdf(1 / q, df2, df1);
}
