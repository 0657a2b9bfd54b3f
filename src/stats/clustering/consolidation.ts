import { hartiganWong } from './hartigan-wong.js';
import { groupMeans, kMeans } from './k-means.js';

export interface Consolidation {
  /** 0-based cluster of each row, rows in input order. */
  readonly groups: Int32Array;
  readonly iterations: number;
  readonly algorithm: 'hartigan-wong' | 'lloyd';
  /** Set when the result is not R's: why, in a sentence. */
  readonly note: string | null;
}

/**
 * HCPC's consolidation, as FactoMineR runs it: the rows sorted by their first coordinate
 * (HCPC's `order = TRUE`, a stable sort), the hierarchy's clusters numbered by first appearance
 * in that order (`cutree`), their unweighted means as starting centres (`by(X, clust, colMeans)`),
 * then `kmeans(X, centers, iter.max)` with R's default Hartigan–Wong algorithm, without row
 * weights. The order of the rows matters to Hartigan–Wong, hence the sort.
 *
 * `algorithm: 'lloyd'` runs Lloyd's method from the same centres instead (for very large inputs);
 * R would stop with "empty cluster" where Hartigan–Wong's first assignment empties a cluster,
 * and Lloyd's method is used then too, with a note.
 */
export function consolidate(
  points: Float64Array,
  d: number,
  groups: Int32Array,
  k: number,
  options: { maxIterations?: number; algorithm?: 'hartigan-wong' | 'lloyd' } = {},
): Consolidation {
  const n = groups.length;
  const maxIterations = options.maxIterations ?? 10;
  const lloyd = (note: string | null): Consolidation => {
    const km = kMeans(points, d, groupMeans(points, d, groups, k), { maxIterations });
    return { groups: km.assignment, iterations: km.iterations, algorithm: 'lloyd', note };
  };
  if (options.algorithm === 'lloyd') return lloyd(null);
  if (k >= n)
    return { groups: Int32Array.from(groups), iterations: 0, algorithm: 'hartigan-wong', note: null };
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (x, y) => points[x * d]! - points[y * d]! || x - y,
  );
  const sorted = new Float64Array(n * d);
  const relabel = new Int32Array(k).fill(-1);
  const sortedGroups = new Int32Array(n);
  let next = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    sorted.set(points.subarray(i * d, (i + 1) * d), r * d);
    const g = groups[i]!;
    if (relabel[g]! < 0) relabel[g] = next++;
    sortedGroups[r] = relabel[g]!;
  }
  const hw = hartiganWong(sorted, d, centreMeans(sorted, d, sortedGroups, k), maxIterations);
  if (hw.fault === 1) {
    return lloyd(
      "Hartigan–Wong's first assignment left a cluster empty (R's kmeans stops there); Lloyd's method consolidated instead.",
    );
  }
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) out[order[r]!] = hw.assignment[r]!;
  return { groups: out, iterations: hw.iterations, algorithm: 'hartigan-wong', note: null };
}

/**
 * Unweighted means per group with compensated (Neumaier) sums: R's `colMeans` accumulates in
 * long double, and a compensated sum rounds to the same double in all but pathological cases.
 */
function centreMeans(points: Float64Array, d: number, groups: Int32Array, k: number): Float64Array {
  const sum = new Float64Array(k * d);
  const comp = new Float64Array(k * d);
  const count = new Float64Array(k);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    count[g]!++;
    for (let s = 0; s < d; s++) {
      const at = g * d + s;
      const x = points[i * d + s]!;
      const t = sum[at]! + x;
      comp[at]! += Math.abs(sum[at]!) >= Math.abs(x) ? sum[at]! - t + x : x - t + sum[at]!;
      sum[at] = t;
    }
  }
  const out = new Float64Array(k * d);
  for (let at = 0; at < k * d; at++) out[at] = (sum[at]! + comp[at]!) / count[Math.floor(at / d)]!;
  return out;
}
