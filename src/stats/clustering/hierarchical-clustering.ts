import { cairnetError } from '../../errors.js';
import { type DenseMatrix, denseMatrix } from '../mca/dense-matrix.js';
import { consolidate } from './consolidation.js';
import { groupMeans } from './k-means.js';
import { preclusters } from './preclusters.js';
import { cutTree, mergesByHeight, type WardTree, wardTree } from './ward-tree.js';

export interface HcpcOptions {
  /** Number of clusters K; the suggested number when omitted. */
  readonly clusters?: number;
  /** k-means consolidation started from the hierarchy's centres (default true, as HCPC). */
  readonly consolidation?: boolean;
  /** Above this many distinct rows, Ward runs on k-means pre-clusters (default 30,000). */
  readonly exactLimit?: number;
  /** Number of pre-clusters when the exact limit is passed (default 400). */
  readonly preclusterCount?: number;
  /** Iteration cap of the consolidation (default 10, HCPC's `iter.max`). */
  readonly maxIterations?: number;
  /**
   * k-means algorithm of the consolidation: R's Hartigan–Wong (as HCPC) by default on the exact
   * path, Lloyd's method by default on pre-clustered (very large) inputs.
   */
  readonly consolidationAlgorithm?: 'hartigan-wong' | 'lloyd';
  readonly seed?: number;
}

/** A partition of respondents into profiles, shaped as FactoMineR's `HCPC` result. */
export interface HcpcResult {
  readonly clusters: number;
  /** Cluster id (1…K) of each row, rows in input order (`data.clust$clust`). */
  readonly clusterOf: Int32Array;
  readonly sizes: number[];
  /** Sum of row weights per cluster. */
  readonly weights: number[];
  /** K × d unweighted means of the clusters' coordinates (as FactoMineR's centres). */
  readonly centres: DenseMatrix;
  /** Inertia gains of the top merges, decreasing (`call$t$inert.gain`), at most 50. */
  readonly inertiaGain: number[];
  /** FactoMineR's suggestion: the K in 3…min(10, n/2) minimising within(K)/within(K−1). */
  readonly suggestedClusters: number;
  /** Between-cluster inertia (weighted, per unit of weight) before and after consolidation. */
  readonly betweenInertia: { hierarchy: number; final: number };
  readonly totalInertia: number;
  readonly consolidated: boolean;
  readonly consolidationIterations: number;
  /** The k-means algorithm that consolidated, null without consolidation. */
  readonly consolidationAlgorithm: 'hartigan-wong' | 'lloyd' | null;
  readonly method: 'exact' | 'preclustered';
  /** Null when exact; otherwise how the result differs from FactoMineR's. */
  readonly approximation: string | null;
  /** The Ward tree on the leaves (distinct rows, or pre-clusters). */
  readonly tree: WardTree;
  /** Leaf of each row. */
  readonly leafOf: Int32Array;
}

/**
 * Ward's hierarchical clustering of the rows' factor coordinates, cut into K clusters, with
 * optional k-means consolidation: `FactoMineR::HCPC(res, nb.clust = K, consol)`.
 *
 * Exact (the same partition as FactoMineR) up to `exactLimit` distinct rows: identical rows are
 * merged first (they cost nothing to merge), then the nearest-neighbour chain runs without a
 * distance matrix. The consolidation is R's `kmeans` (Hartigan–Wong, `iter.max` 10, no row
 * weights) from the hierarchy's cluster means, on the rows sorted by first coordinate as HCPC
 * sorts them, so it stops at FactoMineR's partition. Beyond the limit, rows are first grouped into
 * `preclusterCount` weighted k-means centres and Ward runs on those (FactoMineR's own `kk`
 * method), then consolidation runs on all rows with Lloyd's method (faster there; Hartigan–Wong on
 * request); the result says so in `approximation`.
 */
export function hierarchicalClustering(
  coord: DenseMatrix,
  rowWeights: Float64Array,
  options: HcpcOptions = {},
): HcpcResult {
  const n = coord.rows;
  const d = coord.cols;
  const K = options.clusters;
  if (K !== undefined && (!Number.isInteger(K) || K < 2 || K > n)) {
    throw cairnetError(
      'CAIRNET_TYPOLOGY_INVALID',
      `The number of clusters must be a whole number from 2 to the number of rows (${n}); got ${K}.`,
    );
  }
  const exactLimit = options.exactLimit ?? 30_000;
  let leafOf: Int32Array;
  let leafPoints: Float64Array;
  let leafWeights: Float64Array;
  let approximation: string | null = null;
  const distinct = n <= 4 * exactLimit ? distinctRows(coord) : null;
  if (distinct && distinct.count <= exactLimit) {
    leafOf = distinct.leafOf;
    leafPoints = new Float64Array(distinct.count * d);
    leafWeights = new Float64Array(distinct.count);
    for (let i = 0; i < n; i++) {
      const l = leafOf[i]!;
      leafWeights[l]! += rowWeights[i]!;
      leafPoints.set(coord.data.subarray(i * d, (i + 1) * d), l * d);
    }
  } else {
    const p = options.preclusterCount ?? 400;
    const pre = preclusters(coord.data, d, rowWeights, p, options.seed ?? 1);
    leafOf = pre.assignment;
    leafPoints = pre.centres;
    leafWeights = pre.weights;
    approximation =
      `Ward ran on ${pre.weights.length} weighted k-means pre-clusters of the ${n} rows (FactoMineR's kk method), ` +
      `not on every row: the hierarchy, its inertia gains and the unconsolidated partition are approximate` +
      (options.consolidation === false
        ? '.'
        : options.consolidationAlgorithm === 'hartigan-wong'
          ? "; the consolidation then ran on all rows (R's Hartigan–Wong k-means)."
          : "; the consolidation then ran on all rows with Lloyd's k-means, not R's Hartigan–Wong, so it may stop at a neighbouring partition.");
  }
  const method = approximation ? 'preclustered' : 'exact';
  const tree = wardTree(leafPoints, d, leafWeights);
  const order = mergesByHeight(tree);
  const gains = order.map((k) => tree.height[k]!);
  const suggested = suggestClusters(gains, n);
  const k = Math.min(K ?? suggested, leafWeights.length);
  if (k < 2)
    throw cairnetError('CAIRNET_TYPOLOGY_INVALID', 'All rows are identical: there is nothing to cluster.');
  const leafGroup = cutTree(tree, k);
  let groups: Int32Array = new Int32Array(n);
  for (let i = 0; i < n; i++) groups[i] = leafGroup[leafOf[i]!]!;

  const totalInertia = inertia(coord, rowWeights);
  const betweenHierarchy = totalInertia - within(coord, rowWeights, groups, k);
  let consolidated = false;
  let iterations = 0;
  let algorithm: 'hartigan-wong' | 'lloyd' | null = null;
  if (options.consolidation ?? true) {
    // As HCPC: stats::kmeans (Hartigan–Wong, iter.max = 10, no row weights) from the clusters' means.
    const km = consolidate(coord.data, d, groups, k, {
      maxIterations: options.maxIterations ?? 10,
      algorithm: options.consolidationAlgorithm ?? (approximation ? 'lloyd' : 'hartigan-wong'),
    });
    groups = km.groups;
    consolidated = true;
    iterations = km.iterations;
    algorithm = km.algorithm;
    if (km.note) approximation = approximation ? `${approximation} ${km.note}` : km.note;
  }
  // Number clusters by increasing first coordinate of their centre, as FactoMineR does.
  const means = groupMeans(coord.data, d, groups, k);
  const rank = Array.from({ length: k }, (_, g) => g).sort((x, y) => means[x * d]! - means[y * d]!);
  const idOf = new Int32Array(k);
  rank.forEach((g, r) => {
    idOf[g] = r + 1;
  });
  const clusterOf = new Int32Array(n);
  const sizes = new Array<number>(k).fill(0);
  const weights = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const id = idOf[groups[i]!]!;
    clusterOf[i] = id;
    sizes[id - 1]!++;
    weights[id - 1]! += rowWeights[i]!;
  }
  const centres = denseMatrix(k, d);
  rank.forEach((g, r) => {
    centres.data.set(means.subarray(g * d, (g + 1) * d), r * d);
  });
  const finalGroups = Int32Array.from(clusterOf, (c) => c - 1);
  return {
    clusters: k,
    clusterOf,
    sizes,
    weights,
    centres,
    inertiaGain: gains.slice(0, 50),
    suggestedClusters: suggested,
    betweenInertia: {
      hierarchy: betweenHierarchy,
      final: totalInertia - within(coord, rowWeights, finalGroups, k),
    },
    totalInertia,
    consolidated,
    consolidationIterations: iterations,
    consolidationAlgorithm: algorithm,
    method,
    approximation,
    tree,
    leafOf,
  };
}

/** HCPC's rule: K in 3…min(10, round(n/2)) minimising within(K) / within(K − 1). */
function suggestClusters(gains: number[], n: number): number {
  const intra: number[] = new Array(gains.length + 2).fill(0); // intra[k] = Σ_{i ≥ k} gains[i − 1]
  for (let i = gains.length; i >= 1; i--) intra[i] = intra[i + 1]! + gains[i - 1]!;
  const min = 3;
  const max = Math.min(10, Math.round(n / 2), n - 1, gains.length);
  let best = Math.min(min, Math.max(2, gains.length));
  let bestQ = Number.POSITIVE_INFINITY;
  for (let k = min; k <= max; k++) {
    const q = intra[k]! / intra[k - 1]!;
    if (q < bestQ) {
      bestQ = q;
      best = k;
    }
  }
  return best;
}

function distinctRows(coord: DenseMatrix): { leafOf: Int32Array; count: number } {
  const d = coord.cols;
  const seen = new Map<string, number>();
  const leafOf = new Int32Array(coord.rows);
  const row = new Array<number>(d);
  for (let i = 0; i < coord.rows; i++) {
    for (let s = 0; s < d; s++) row[s] = coord.data[i * d + s]!;
    const key = row.join(',');
    let l = seen.get(key);
    if (l === undefined) {
      l = seen.size;
      seen.set(key, l);
    }
    leafOf[i] = l;
  }
  return { leafOf, count: seen.size };
}

function inertia(coord: DenseMatrix, w: Float64Array): number {
  const d = coord.cols;
  const mean = new Float64Array(d);
  let W = 0;
  for (let i = 0; i < coord.rows; i++) {
    W += w[i]!;
    for (let s = 0; s < d; s++) mean[s]! += w[i]! * coord.data[i * d + s]!;
  }
  let ss = 0;
  for (let i = 0; i < coord.rows; i++) {
    for (let s = 0; s < d; s++) ss += w[i]! * (coord.data[i * d + s]! - mean[s]! / W) ** 2;
  }
  return ss / W;
}

function within(coord: DenseMatrix, w: Float64Array, groups: Int32Array, k: number): number {
  const d = coord.cols;
  const means = groupMeans(coord.data, d, groups, k, w);
  let ss = 0;
  let W = 0;
  for (let i = 0; i < coord.rows; i++) {
    const g = groups[i]!;
    W += w[i]!;
    for (let s = 0; s < d; s++) ss += w[i]! * (coord.data[i * d + s]! - means[g * d + s]!) ** 2;
  }
  return ss / W;
}
