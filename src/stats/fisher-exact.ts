import { logChoose } from './log-gamma.js';
import { statsError } from './stats-error.js';
import { uniroot } from './zeroin.js';

/** Fisher's exact test on a 2×2 table with the conditional MLE of the odds ratio. */
export interface FisherResult {
  p: number;
  /** Conditional maximum-likelihood odds ratio (not the sample odds ratio). */
  oddsRatio: number;
  ci: [number, number];
  method: string;
}

/**
 * Two-sided Fisher's exact test of a 2×2 table `[[a, b], [c, d]]`, as `fisher.test()`: the
 * p-value sums the tables no more likely than the observed one (relative tolerance 1e-7), the
 * odds ratio is the conditional MLE and its interval the conditional one, found by `uniroot`.
 */
export function fisherExact(table: readonly (readonly number[])[], confidence = 0.95): FisherResult {
  const cells = table.flat();
  if (
    table.length !== 2 ||
    table.some((r) => r.length !== 2) ||
    cells.some((v) => !Number.isInteger(v) || v < 0)
  ) {
    throw statsError("Fisher's exact test needs a 2×2 table of non-negative integer counts");
  }
  const [[x, b], [c, d]] = table as [[number, number], [number, number]];
  const m = x + c;
  const n = b + d;
  const k = x + b;
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const support: number[] = [];
  for (let s = lo; s <= hi; s++) support.push(s);
  const logdc = support.map((s) => logChoose(m, s) + logChoose(n, k - s) - logChoose(m + n, k));
  const dnhyper = (ncp: number) => {
    const l = logdc.map((v, i) => v + Math.log(ncp) * support[i]!);
    const max = Math.max(...l);
    const e = l.map((v) => Math.exp(v - max));
    const sum = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / sum);
  };
  const mnhyper = (ncp: number) => {
    if (ncp === 0) return lo;
    if (ncp === Number.POSITIVE_INFINITY) return hi;
    return dnhyper(ncp).reduce((s, p, i) => s + support[i]! * p, 0);
  };
  const pnhyper = (q: number, ncp: number, upper = false) => {
    if (ncp === 0) return Number(upper ? q <= lo : q >= lo);
    if (ncp === Number.POSITIVE_INFINITY) return Number(upper ? q <= hi : q >= hi);
    const dens = ncp === 1 ? logdc.map(Math.exp) : dnhyper(ncp);
    return dens.reduce((s, p, i) => s + ((upper ? support[i]! >= q : support[i]! <= q) ? p : 0), 0);
  };
  const dObs = dnhyper(1);
  const relErr = 1 + 1e-7;
  const p = Math.min(
    1,
    dObs.reduce((s, v) => s + (v <= dObs[x - lo]! * relErr ? v : 0), 0),
  );
  const mle = () => {
    if (x === lo) return 0;
    if (x === hi) return Number.POSITIVE_INFINITY;
    const mu = mnhyper(1);
    if (mu > x) return uniroot((t) => mnhyper(t) - x, 0, 1);
    if (mu < x) return 1 / uniroot((t) => mnhyper(1 / t) - x, Number.EPSILON, 1);
    return 1;
  };
  const alpha = (1 - confidence) / 2;
  const ncpU = () => {
    if (x === hi) return Number.POSITIVE_INFINITY;
    const pv = pnhyper(x, 1);
    if (pv < alpha) return uniroot((t) => pnhyper(x, t) - alpha, 0, 1);
    if (pv > alpha) return 1 / uniroot((t) => pnhyper(x, 1 / t) - alpha, Number.EPSILON, 1);
    return 1;
  };
  const ncpL = () => {
    if (x === lo) return 0;
    const pv = pnhyper(x, 1, true);
    if (pv > alpha) return uniroot((t) => pnhyper(x, t, true) - alpha, 0, 1);
    if (pv < alpha) return 1 / uniroot((t) => pnhyper(x, 1 / t, true) - alpha, Number.EPSILON, 1);
    return 1;
  };
  return {
    p,
    oddsRatio: mle(),
    ci: [ncpL(), ncpU()],
    method: "Fisher's exact test (conditional MLE odds ratio)",
  };
}
