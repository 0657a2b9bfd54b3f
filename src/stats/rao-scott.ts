import { Matrix, solve } from 'ml-matrix';
import { chiSquareTest } from './chi-square-test.js';
import { pfUpper } from './distributions.js';
import { statsError } from './stats-error.js';
import { isMissing, type Label, type SurveyDesign } from './survey-design.js';
import { levelsOf } from './svy-proportions.js';
import { linearizedVariance } from './variance.js';

/** Rao-Scott test of independence on a design-weighted two-way table. */
export interface RaoScottResult {
  F: number;
  ndf: number;
  ddf: number;
  p: number;
  /** Pearson's X² on the weighted table rescaled to the number of rows, before the correction. */
  pearson: number;
  rows: string[];
  cols: string[];
  /** Weighted counts (sum of weights) of each cell. */
  weighted: number[][];
  method: string;
}

/** Options of {@link raoScottTest}. */
export interface RaoScottOptions {
  /** Rows of the domain (subpopulation), as `svychisq(~row + col, subset(design, domain))`. */
  domain?: ArrayLike<boolean | number>;
}

/**
 * Rao-Scott second-order corrected F test, as `svychisq(~row + col, design)` with its default
 * `statistic = "F"`: Pearson's X² on the weighted table scaled to n, divided by the mean
 * generalised design effect δ̄, referred to F(d, d·ν) with d = (Σδ)²/Σδ² and ν the design df.
 * Rows with a missing value are left out (`na.rm = TRUE`).
 *
 * With a `domain`, as `svychisq` on `subset(design, domain)`: the table, the variances (zero
 * contributions outside the domain, each stratum keeping its number of PSUs) and ν, which is
 * then the number of PSUs minus the number of strata among the domain's rows (whatever their
 * weight or missing values, as svychisq counts them). A calibrated design keeps all its rows when
 * subset (weights set to zero), so its ν stays that of the whole design, as in R.
 */
export function raoScottTest(
  design: SurveyDesign,
  rowValues: ArrayLike<Label | null>,
  colValues: ArrayLike<Label | null>,
  options: RaoScottOptions = {},
): RaoScottResult {
  const { domain } = options;
  if (rowValues.length !== design.n || colValues.length !== design.n) {
    throw statsError(`The table's variables must have ${design.n} values, one per row of the design`);
  }
  if (domain && domain.length !== design.n) {
    throw statsError(`The domain has ${domain.length} rows but the design has ${design.n}`);
  }
  const inDomain = (i: number): boolean => !domain || Boolean(domain[i]);
  const row = domain ? Array.from(rowValues, (v, i) => (inDomain(i) ? v : null)) : rowValues;
  const col = domain ? Array.from(colValues, (v, i) => (inDomain(i) ? v : null)) : colValues;
  const rows = levelsOf(row);
  const cols = levelsOf(col);
  const nr = rows.length;
  const nc = cols.length;
  if (nr < 2 || nc < 2) throw statsError('A Rao-Scott test needs at least two levels in each variable');
  const ri = new Map(rows.map((l, k) => [l, k]));
  const ci = new Map(cols.map((l, k) => [l, k]));
  const K = nr * nc;
  const cell = new Int32Array(design.n).fill(-1);
  const active = new Uint8Array(design.n);
  let wsum = 0;
  const weighted = Array.from({ length: nr }, () => new Array<number>(nc).fill(0));
  for (let i = 0; i < design.n; i++) {
    if (isMissing(row[i]) || isMissing(col[i])) continue;
    const a = ri.get(String(row[i]))!;
    const b = ci.get(String(col[i]))!;
    cell[i] = a + nr * b;
    active[i] = 1;
    wsum += design.weights[i]!;
    weighted[a]![b]! += design.weights[i]!;
  }
  if (!(wsum > 0)) throw statsError('No row with a positive weight in this table');
  const mean = new Array<number>(K).fill(0);
  for (let i = 0; i < design.n; i++) if (active[i]) mean[cell[i]!]! += design.weights[i]! / wsum;
  const z = mean.map((m, k) => {
    const v = new Float64Array(design.n);
    for (let i = 0; i < design.n; i++) {
      if (active[i]) v[i] = (design.weights[i]! * ((cell[i] === k ? 1 : 0) - m)) / wsum;
    }
    return v;
  });
  const V = new Matrix(linearizedVariance(design, z, active));
  const N = design.n;
  // Model matrices on expand.grid(rows, cols): main effects X1 and the interaction columns.
  const x1 = new Matrix(K, nr + nc - 1);
  const x12 = new Matrix(K, (nr - 1) * (nc - 1));
  for (let b = 0; b < nc; b++) {
    for (let a = 0; a < nr; a++) {
      const k = a + nr * b;
      x1.set(k, 0, 1);
      if (a > 0) x1.set(k, a, 1);
      if (b > 0) x1.set(k, nr - 1 + b, 1);
      if (a > 0 && b > 0) x12.set(k, a - 1 + (nr - 1) * (b - 1), 1);
    }
  }
  const x1t = x1.transpose();
  let delta: Matrix;
  try {
    const C = x12.clone().sub(x1.mmul(solve(x1t.mmul(x1), x1t.mmul(x12))));
    const iD = Matrix.diag(mean.map((m) => (m === 0 ? 0 : 1 / m)));
    const Ct = C.transpose();
    const denom = Ct.mmul(iD).mmul(C).div(N);
    const numr = Ct.mmul(iD).mmul(V).mmul(iD).mmul(C);
    delta = solve(denom, numr);
  } catch (e) {
    // ml-matrix's "LU matrix is singular": empty cells leave the design effects undefined.
    throw statsError(
      `A Rao-Scott test cannot be computed on this ${nr}×${nc} table: too many empty cells for its design effects (${(e as Error).message}); merge levels`,
    );
  }
  let tr = 0;
  let tr2 = 0;
  const dd = delta.mmul(delta);
  for (let k = 0; k < delta.rows; k++) {
    tr += delta.get(k, k);
    tr2 += dd.get(k, k);
  }
  const d0 = (tr * tr) / tr2;
  const nu = domain && design.calibrations.length === 0 ? domainDf(design, inDomain) : designDfAll(design);
  const scaled = weighted.map((r) => r.map((v) => (v * N) / wsum));
  const pearson = chiSquareTest(scaled).statistic;
  const F = pearson / tr;
  // A sparse table can leave the design effects no variance, or (a near-singular Δ̂) a negative
  // Satterthwaite df, where F's p is undefined.
  const p = d0 > 0 && d0 * nu > 0 ? pfUpper(F, d0, d0 * nu) : Number.NaN;
  if (![F, d0, d0 * nu, p].every(Number.isFinite)) {
    throw statsError(
      `A Rao-Scott test cannot be computed on this ${nr}×${nc} table: its design effects give no variance or no positive degrees of freedom; merge levels`,
    );
  }
  return {
    F,
    ndf: d0,
    ddf: d0 * nu,
    p,
    pearson,
    rows,
    cols,
    weighted,
    method: "Pearson's X²: Rao & Scott adjustment (F)",
  };
}

/** svychisq's ν on a whole design: PSUs minus strata. */
function designDfAll(design: SurveyDesign): number {
  return design.psuStratum.length - design.strataLabels.length;
}

/** svychisq's ν on a subset: PSUs minus strata among the subset's rows, whatever their weight. */
function domainDf(design: SurveyDesign, inDomain: (i: number) => boolean): number {
  const psus = new Set<number>();
  const strata = new Set<number>();
  for (let i = 0; i < design.n; i++) {
    if (!inDomain(i)) continue;
    psus.add(design.psu[i]!);
    strata.add(design.stratum[i]!);
  }
  return psus.size - strata.size;
}
