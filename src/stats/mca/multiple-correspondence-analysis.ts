import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { cairnetError } from '../../errors.js';
import { type CodedVariable, checkLengths } from './categorical-variable.js';
import { type DenseMatrix, denseMatrix } from './dense-matrix.js';
import type { McaCategory, McaCategoryResult, McaResult } from './mca-result.js';

export interface McaInput {
  /** Active variables (at least two, each with at least two levels). */
  readonly active: readonly CodedVariable[];
  /** Supplementary categorical variables, projected afterwards (`quali.sup`). */
  readonly supplementary?: readonly CodedVariable[];
  /** Positive row weights (`row.w`); all 1 when omitted. */
  readonly rowWeights?: ArrayLike<number> | null;
  /** Dimensions kept for coordinates (`ncp`, default 5). */
  readonly dimensions?: number;
  /** Compute rows' contrib and cos2 (default true; turn off for millions of rows). */
  readonly individualDetails?: boolean;
}

export const SIGN_NOTE =
  'The sign of each axis is arbitrary: FactoMineR orients an axis so that its category loadings sum to a positive value, and so does Cairnet, but coordinates may still differ from R in sign.';

/**
 * Multiple correspondence analysis of the indicator matrix, as `FactoMineR::MCA(X, ncp,
 * quali.sup, row.w)` with its defaults (missing values as a category of their own).
 *
 * The decomposition runs on the J × J weighted Burt table (J = number of categories), so the
 * cost is O(n·Q²) to count and O(J³) to decompose: the same eigenvalues and vectors as
 * FactoMineR's SVD of the n × J standardised indicator matrix.
 *
 * @example
 * const res = multipleCorrespondenceAnalysis({ active: [encodeVariable(a), encodeVariable(b)] });
 * res.eigenvalues; res.ind.coord; res.var.coord;
 */
export function multipleCorrespondenceAnalysis(input: McaInput): McaResult {
  const active = input.active;
  const supplementary = input.supplementary ?? [];
  const Q = active.length;
  if (Q < 2) {
    throw cairnetError('CAIRNET_TYPOLOGY_INVALID', `An MCA needs at least 2 active variables (got ${Q}).`);
  }
  const n = active[0]!.codes.length;
  checkLengths(active, n);
  checkLengths(supplementary, n);
  if (n < 2) throw cairnetError('CAIRNET_TYPOLOGY_INVALID', `An MCA needs at least 2 rows (got ${n}).`);
  for (const v of active) {
    if (v.levels.length < 2) {
      throw cairnetError(
        'CAIRNET_TYPOLOGY_INVALID',
        `Active variable "${v.name}" is constant (only "${v.levels[0] ?? ''}"): it cannot separate respondents.`,
      );
    }
  }
  const weights = rowWeightsOf(input.rowWeights, n);
  let W = 0;
  for (let i = 0; i < n; i++) W += weights[i]!;

  const offsets = new Int32Array(Q + 1);
  for (let q = 0; q < Q; q++) offsets[q + 1] = offsets[q]! + active[q]!.levels.length;
  const J = offsets[Q]!;

  // Weighted counts N_j and the Burt table B_jk = Σ_i (w_i / W) z_ij z_ik.
  const counts = new Float64Array(J);
  const burt = new Float64Array(J * J);
  const codes = active.map((v) => v.codes);
  const cols = new Int32Array(Q);
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    const r = w / W;
    for (let q = 0; q < Q; q++) cols[q] = offsets[q]! + codes[q]![i]!;
    for (let q = 0; q < Q; q++) {
      const a = cols[q]!;
      counts[a]! += w;
      const rowBase = a * J;
      for (let p = q; p < Q; p++) burt[rowBase + cols[p]!]! += r;
    }
  }
  for (let a = 0; a < J; a++) {
    if (!(counts[a]! > 0)) {
      throw cairnetError('CAIRNET_TYPOLOGY_INVALID', 'A category has zero weight; drop unused levels first.');
    }
  }
  const mass = new Float64Array(J); // c_j, FactoMineR's marge.col
  for (let j = 0; j < J; j++) mass[j] = counts[j]! / (Q * W);
  const sqrtMass = mass.map(Math.sqrt);

  // M = X'X with X = D_r^{1/2} (Z / (Q c) - 1) D_c^{1/2}: M_jk = B_jk / (Q² √(c_j c_k)) − √(c_j c_k).
  const M = new Matrix(J, J);
  for (let a = 0; a < J; a++) {
    for (let b = a; b < J; b++) {
      const bab = burt[a * J + b]!; // only the upper triangle is filled: offsets increase with q
      const s = sqrtMass[a]! * sqrtMass[b]!;
      const v = bab / (Q * Q * s) - s;
      M.set(a, b, v);
      M.set(b, a, v);
    }
  }
  const evd = new EigenvalueDecomposition(M, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = values.map((_, k) => k).sort((x, y) => values[y]! - values[x]!);

  const nonTrivial = Math.min(n - 1, J - Q);
  const all = order.map((k) => Math.max(values[k]!, 0));
  const total = all.slice(0, Math.min(J, n - 1)).reduce((s, x) => s + x, 0);
  const eigenvalues = all.slice(0, nonTrivial);
  const inertiaPercent = eigenvalues.map((x) => (x / total) * 100);
  const cumulativePercent: number[] = [];
  inertiaPercent.reduce((s, x) => {
    cumulativePercent.push(s + x);
    return s + x;
  }, 0);

  // Only dimensions of non-null inertia: a null eigenvalue (rows that repeat a few answer patterns)
  // has no contributions (0/0) and no direction worth keeping.
  const positive = eigenvalues.filter((x) => x > 1e-12).length;
  const d = Math.max(1, Math.min(input.dimensions ?? 5, J - Q, n - 1, J - 1, positive));
  // Unit eigenvectors v_s, oriented as FactoMineR's svd.triplet does: Σ_j v_js > 0.
  const V = denseMatrix(J, d);
  const lambda = new Float64Array(d);
  for (let s = 0; s < d; s++) {
    const k = order[s]!;
    lambda[s] = all[s]!;
    let sum = 0;
    for (let j = 0; j < J; j++) sum += vectors.get(j, k);
    const sign = sum < 0 ? -1 : 1;
    for (let j = 0; j < J; j++) V.data[j * d + s] = sign * vectors.get(j, k);
  }

  // Standard coordinates a_js = v_js / √c_j; category coordinates F = a √λ.
  const standard = denseMatrix(J, d);
  const shift = new Float64Array(d); // Σ_j √c_j v_js, zero up to rounding
  for (let j = 0; j < J; j++) {
    for (let s = 0; s < d; s++) {
      const v = V.data[j * d + s]!;
      standard.data[j * d + s] = v / sqrtMass[j]!;
      shift[s]! += sqrtMass[j]! * v;
    }
  }

  const rowCoord = denseMatrix(n, d);
  const rc = rowCoord.data;
  const sd = standard.data;
  for (let i = 0; i < n; i++) {
    const base = i * d;
    for (let q = 0; q < Q; q++) {
      const j = offsets[q]! + codes[q]![i]!;
      const jb = j * d;
      for (let s = 0; s < d; s++) rc[base + s]! += sd[jb + s]!;
    }
    for (let s = 0; s < d; s++) rc[base + s] = rc[base + s]! / Q - shift[s]!;
  }

  let rowContrib: DenseMatrix | null = null;
  let rowCos2: DenseMatrix | null = null;
  if (input.individualDetails ?? true) {
    rowContrib = denseMatrix(n, d);
    rowCos2 = denseMatrix(n, d);
    const invQ2 = 1 / (Q * Q);
    for (let i = 0; i < n; i++) {
      let dist2 = -1;
      for (let q = 0; q < Q; q++) dist2 += invQ2 / mass[offsets[q]! + codes[q]![i]!]!;
      const r = weights[i]! / W;
      for (let s = 0; s < d; s++) {
        const x2 = rc[i * d + s]! ** 2;
        rowContrib.data[i * d + s] = (100 * r * x2) / lambda[s]!;
        rowCos2.data[i * d + s] = x2 / dist2;
      }
    }
  }

  const categories: McaCategory[] = [];
  active.forEach((v) => {
    v.levels.forEach((level, k) => {
      categories.push({
        variable: v.name,
        level,
        missing: k === v.missingLevel,
        weight: counts[categories.length]!,
      });
    });
  });
  const coord = denseMatrix(J, d);
  const contrib = denseMatrix(J, d);
  const cos2 = denseMatrix(J, d);
  const vtest = denseMatrix(J, d);
  for (let j = 0; j < J; j++) {
    const dist2 = 1 / (Q * mass[j]!) - 1;
    const coef = vtestCoefficient(counts[j]!, W);
    for (let s = 0; s < d; s++) {
      const f = sd[j * d + s]! * Math.sqrt(lambda[s]!);
      coord.data[j * d + s] = f;
      contrib.data[j * d + s] = (100 * mass[j]! * f * f) / lambda[s]!;
      cos2.data[j * d + s] = (f * f) / dist2;
      vtest.data[j * d + s] = f * coef;
    }
  }
  const eta2 = denseMatrix(Q, d);
  for (let q = 0; q < Q; q++) {
    for (let j = offsets[q]!; j < offsets[q + 1]!; j++) {
      for (let s = 0; s < d; s++) eta2.data[q * d + s]! += (Q * contrib.data[j * d + s]! * lambda[s]!) / 100;
    }
  }

  const qualiSup =
    supplementary.length > 0 ? projectSupplementary(supplementary, rowCoord, weights, W, lambda) : null;

  return {
    eigenvalues,
    inertiaPercent,
    cumulativePercent,
    dimensions: d,
    ind: { coord: rowCoord, contrib: rowContrib, cos2: rowCos2 },
    var: { categories, coord, contrib, cos2, vtest, eta2, variables: active.map((v) => v.name) },
    qualiSup,
    rowWeights: weights,
    signNote: SIGN_NOTE,
  };
}

/** FactoMineR's v-test factor: √(N_j (N − 1) / (N − N_j)), or √N_j when N ≤ 1. */
function vtestCoefficient(nj: number, N: number): number {
  return N > 1 ? Math.sqrt((nj * (N - 1)) / (N - nj)) : Math.sqrt(nj);
}

function rowWeightsOf(given: ArrayLike<number> | null | undefined, n: number): Float64Array {
  if (given === null || given === undefined) return new Float64Array(n).fill(1);
  if (given.length !== n) {
    throw cairnetError('CAIRNET_TYPOLOGY_INVALID', `There are ${given.length} row weights for ${n} rows.`);
  }
  const w = Float64Array.from(given);
  for (let i = 0; i < n; i++) {
    if (!(Number.isFinite(w[i]) && w[i]! > 0)) {
      throw cairnetError(
        'CAIRNET_TYPOLOGY_INVALID',
        `Row weight ${i + 1} is ${given[i]}; weights must be positive.`,
      );
    }
  }
  return w;
}

/**
 * Supplementary categories at the weighted barycentre of their respondents, rescaled by 1/√λ
 * (FactoMineR's `col.sup` of the CA on the indicator matrix).
 */
function projectSupplementary(
  variables: readonly CodedVariable[],
  rowCoord: DenseMatrix,
  weights: Float64Array,
  W: number,
  lambda: Float64Array,
): McaCategoryResult {
  const d = rowCoord.cols;
  const n = rowCoord.rows;
  const categories: McaCategory[] = [];
  const blocks: { sums: Float64Array; counts: Float64Array }[] = [];
  const rowSS = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < d; s++) rowSS[s]! += weights[i]! * rowCoord.data[i * d + s]! ** 2;
  }
  for (const v of variables) {
    const L = v.levels.length;
    const sums = new Float64Array(L * d);
    const counts = new Float64Array(L);
    for (let i = 0; i < n; i++) {
      const k = v.codes[i]!;
      const w = weights[i]!;
      counts[k]! += w;
      for (let s = 0; s < d; s++) sums[k * d + s]! += w * rowCoord.data[i * d + s]!;
    }
    blocks.push({ sums, counts });
    v.levels.forEach((level, k) => {
      categories.push({ variable: v.name, level, missing: k === v.missingLevel, weight: counts[k]! });
    });
  }
  const J = categories.length;
  const coord = denseMatrix(J, d);
  const cos2 = denseMatrix(J, d);
  const vtest = denseMatrix(J, d);
  const eta2 = denseMatrix(variables.length, d);
  let j = 0;
  blocks.forEach(({ sums, counts }, q) => {
    for (let k = 0; k < counts.length; k++, j++) {
      const nk = counts[k]!;
      const dist2 = W / nk - 1;
      const coef = vtestCoefficient(nk, W);
      for (let s = 0; s < d; s++) {
        const f = sums[k * d + s]! / nk / Math.sqrt(lambda[s]!);
        coord.data[j * d + s] = f;
        cos2.data[j * d + s] = (f * f) / dist2;
        vtest.data[j * d + s] = f * coef;
        eta2.data[q * d + s]! += sums[k * d + s]! ** 2 / nk / rowSS[s]!;
      }
    }
  });
  return { categories, coord, contrib: null, cos2, vtest, eta2, variables: variables.map((v) => v.name) };
}
