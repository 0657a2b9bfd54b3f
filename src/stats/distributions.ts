/**
 * The few distribution functions the estimators need, as R names them (`pnorm`, `qt`, …),
 * over @stdlib. Upper tails are `1 - cdf`: precise to about 1e-16 absolute.
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
  return 1 - chisqCdf(q, df);
}

/** Upper tail of the F distribution (R `pf(q, df1, df2, lower.tail = FALSE)`). */
export function pfUpper(q: number, df1: number, df2: number): number {
  return 1 - fCdf(q, df1, df2);
}
