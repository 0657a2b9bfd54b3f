import { activeRows, base } from './active-rows.js';
import { qt } from './distributions.js';
import type { Estimate, EstimateOptions } from './estimate.js';
import { statsError } from './stats-error.js';
import { describeDesign, type SurveyDesign } from './survey-design.js';
import { designDf, linearizedVariance } from './variance.js';

/** Quantile rules of `svyquantile(qrule = …)`: 'math' (the default) and 'school'. */
export type QuantileRule = 'math' | 'school';

/**
 * Weighted quantile by survey's `qrule_math` (the smallest x whose weighted CDF reaches p, i.e.
 * the inverse of the weighted empirical CDF) or `qrule_school` (the midpoint where the CDF
 * equals p exactly). Zero weights are ignored.
 */
export function weightedQuantile(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  p: number,
  rule: QuantileRule,
): number {
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) if (w[i] !== 0) idx.push(i);
  if (idx.length === 0) throw statsError('A quantile needs at least one row with a positive weight');
  idx.sort((a, b) => x[a]! - x[b]!);
  // R's cumsum() and sum() accumulate in long double: compensated sums give the same partial
  // sums, so that a CDF that reaches p exactly (equal weights, p = 1/2) is seen to do so.
  const cums: number[] = [];
  let cum = 0;
  let carry = 0;
  for (const i of idx) {
    const v = w[i]!;
    const t = cum + v;
    carry += Math.abs(cum) >= Math.abs(v) ? cum - t + v : v - t + cum;
    cum = t;
    cums.push(cum + carry);
  }
  const total = cums[cums.length - 1]!;
  // survey's last(): the last index with cum ≤ p·total, or the first index when there is none
  let pos = 0;
  for (let k = 0; k < cums.length; k++) if (cums[k]! <= p * total) pos = k;
  const qlow = x[idx[pos]!]!;
  const next = pos === idx.length - 1 ? pos : pos + 1;
  const qup = x[idx[next]!]!;
  const wlow = p - cums[pos]! / total;
  if (wlow === 0) return rule === 'math' ? qlow : (qlow + qup) / 2;
  return qup;
}

export interface QuantileOptions extends EstimateOptions {
  rule?: QuantileRule;
}

/**
 * Quantile with a Woodruff interval, as `svyquantile(~x, design, p, qrule = rule)` with its
 * default `interval.type = "mean"`: the interval of the CDF at the estimate, `qt(·, degf)`,
 * mapped back through the quantile rule; the SE is the interval width over 2·qt.
 * With `domain`, as `svyby(~x, ~g, design, svyquantile, quantiles = p)` for that group (or
 * `svyquantile` on `subset(design, domain)`): the quantile and the CDF use the domain's rows,
 * the CDF's variance keeps each stratum's number of PSUs, and qt uses `degf()` of the domain.
 */
export function svyQuantile(
  design: SurveyDesign,
  y: ArrayLike<number | null>,
  p: number,
  options: QuantileOptions = {},
): Estimate {
  if (!(p >= 0 && p <= 1)) throw statsError(`A quantile needs 0 ≤ p ≤ 1 (got ${p})`);
  const rule = options.rule ?? 'math';
  const active = activeRows(design, [y], options);
  const { n, weightedN } = base(design, active);
  const xs: number[] = [];
  const ws: number[] = [];
  for (let i = 0; i < design.n; i++) {
    if (!active[i]) continue;
    xs.push(Number(y[i]));
    ws.push(design.weights[i]!);
  }
  const q = weightedQuantile(xs, ws, p, rule);
  const df = designDf(design, active);
  let below = 0;
  for (let i = 0; i < design.n; i++) if (active[i] && Number(y[i]) <= q) below += design.weights[i]!;
  const pHat = below / weightedN;
  const z = new Float64Array(design.n);
  for (let i = 0; i < design.n; i++) {
    if (active[i]) z[i] = (design.weights[i]! * ((Number(y[i]) <= q ? 1 : 0) - pHat)) / weightedN;
  }
  const seP = Math.sqrt(linearizedVariance(design, [z], active)[0]![0]!);
  const confidence = options.confidence ?? 0.95;
  const t = qt(1 - (1 - confidence) / 2, df);
  const [pl, pu] = [pHat - t * seP, pHat + t * seP];
  const lower = Number.isNaN(pl) || pl < 0 ? Number.NaN : weightedQuantile(xs, ws, pl, rule);
  const upper = Number.isNaN(pu) || pu > 1 ? Number.NaN : weightedQuantile(xs, ws, pu, rule);
  return {
    statistic: 'quantile',
    value: q,
    se: (upper - lower) / (2 * t),
    ci: [lower, upper],
    confidence,
    ciMethod: 'woodruff',
    n,
    weightedN,
    df,
    design: describeDesign(design),
  };
}
