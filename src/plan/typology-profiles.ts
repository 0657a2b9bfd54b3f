import { conditionMask } from '../dataset/condition.js';
import type { CategoricalColumn, Dataset } from '../dataset/dataset.js';
import { cairnetError } from '../errors.js';
import { buildTypology } from '../stats/clustering/typology.js';
import type { McaResult } from '../stats/mca/mca-result.js';
import type { TypologySpec } from './plan-schema.js';

/** The profiles found in the data, for results to show how the typology came out. */
export interface TypologySummary {
  variable: string;
  method: string;
  profiles: { profile: string; cluster: number; size: number; markerScore: number }[];
  /** Distinct answer patterns the MCA and clustering ran on. */
  patterns: number | null;
  eigenvalues: number[];
}

function categoricalValues(dataset: Dataset, name: string): (string | null)[] {
  const col = dataset.columns.get(name);
  if (col?.kind !== 'categorical')
    throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `No categorical variable "${name}"`);
  return Array.from(col.codes, (k) => (k < 0 ? null : col.levels[k]!));
}

/**
 * Above this many respondents the typology runs on answer patterns (see {@link answerPatterns}):
 * an MCA with the patterns' counts as row weights, and a Ward clustering of them, are those of
 * the respondents themselves (identical rows sit on the same point and merge first; only the
 * k-means consolidation, unweighted in HCPC, differs), at the cost of a few thousand rows
 * instead of every response (DESIGN.md principle 7).
 */
export const EXACT_ROWS = 30_000;

/**
 * The distinct combinations of answers to the active variables, each with its number of
 * respondents (the sum of the rows' frequencies), in a canonical order (by level codes, missing
 * first) so that the same answers give the same patterns however the rows were read: from the
 * responses in memory or from a SQL GROUP BY.
 */
function answerPatterns(
  dataset: Dataset,
  active: readonly string[],
  frequencies: ArrayLike<number> | null,
): { values: (string | null)[][]; weights: Float64Array; patternOf: Int32Array } {
  const columns = active.map((name) => {
    const col = dataset.columns.get(name);
    if (col?.kind !== 'categorical')
      throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `No categorical variable "${name}"`);
    return col;
  });
  const index = new Map<string, number>();
  const found = new Int32Array(dataset.n);
  const counts: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < dataset.n; i++) {
    let key = '';
    for (const col of columns) key += `${col.codes[i]},`;
    let p = index.get(key);
    if (p === undefined) {
      p = counts.length;
      index.set(key, p);
      counts.push(0);
      first.push(i);
    }
    counts[p]! += frequencies ? frequencies[i]! : 1;
    found[i] = p;
  }
  const order = first.map((_, p) => p);
  order.sort((a, b) => {
    for (const col of columns) {
      const d = col.codes[first[a]!]! - col.codes[first[b]!]!;
      if (d !== 0) return d;
    }
    return 0;
  });
  const rank = new Int32Array(order.length);
  order.forEach((p, r) => {
    rank[p] = r;
  });
  const patternOf = new Int32Array(dataset.n);
  for (let i = 0; i < dataset.n; i++) patternOf[i] = rank[found[i]!]!;
  const values = columns.map((col) =>
    order.map((p) => {
      const k = col.codes[first[p]!]!;
      return k < 0 ? null : col.levels[k]!;
    }),
  );
  return { values, weights: Float64Array.from(order, (p) => counts[p]!), patternOf };
}

function permutations(k: number): number[][] {
  if (k === 0) return [[]];
  return permutations(k - 1).flatMap((p) =>
    Array.from({ length: k }, (_, at) => [...p.slice(0, at), k - 1, ...p.slice(at)]),
  );
}

/** How {@link typologyProfiles} reads its rows. */
export interface TypologyRowsOptions {
  /**
   * Respondents each row stands for, when the rows are already grouped (a SQL GROUP BY over the
   * store); the typology then always runs on answer patterns. Default: one respondent per row.
   */
  frequencies?: ArrayLike<number>;
  /** Up to this many respondents, MCA + HCPC on the rows themselves (default {@link EXACT_ROWS}). */
  exactRows?: number;
}

/**
 * Respondent profiles as the plan declares them: MCA on the active variables then Ward
 * clustering into K clusters (FactoMineR's MCA + HCPC, from src/stats). Clusters are named by
 * the profiles' marker answers: the assignment of names to clusters maximises the sum, over
 * profiles, of how much more often than overall the cluster gives the profile's markers.
 *
 * @returns the profile column (levels in the plan's order, one value per row) and a summary
 */
export function typologyProfiles(
  dataset: Dataset,
  spec: TypologySpec,
  options: TypologyRowsOptions = {},
): {
  column: CategoricalColumn;
  summary: TypologySummary;
  /** The MCA behind the profiles and each of its rows' profile (1-based, in the plan's order), to draw its factor map. */
  map: { mca: McaResult; groups: Int32Array; ofPatterns: boolean };
} {
  const names = Object.keys(spec.profiles);
  const frequencies = options.frequencies ?? null;
  let respondents = dataset.n;
  if (frequencies) {
    respondents = 0;
    for (let i = 0; i < dataset.n; i++) respondents += frequencies[i]!;
  }
  const weightOf = (i: number) => (frequencies ? frequencies[i]! : 1);
  // Up to exactRows respondents, FactoMineR's MCA + HCPC on the rows themselves; beyond, or when
  // the rows are grouped already, on the distinct answer patterns weighted by their counts.
  const aggregate = frequencies !== null || respondents > (options.exactRows ?? EXACT_ROWS);
  const patterns = aggregate ? answerPatterns(dataset, spec.active, frequencies) : null;
  const t = buildTypology({
    active: spec.active.map((name, j) => ({
      name,
      values: patterns ? patterns.values[j]! : categoricalValues(dataset, name),
    })),
    supplementary: patterns
      ? []
      : spec.supplementary.map((name) => ({ name, values: categoricalValues(dataset, name) })),
    rowWeights: patterns ? patterns.weights : null,
    clusters: spec.clusters,
    dimensions: spec.dimensions,
  });
  const K = t.clustering.clusters;
  const clusterOf = patterns ? new Int32Array(dataset.n) : t.clustering.clusterOf;
  if (patterns)
    for (let i = 0; i < dataset.n; i++) clusterOf[i] = t.clustering.clusterOf[patterns.patternOf[i]!]!;
  const sizes = new Array<number>(K).fill(0);
  for (let i = 0; i < dataset.n; i++) sizes[clusterOf[i]! - 1]! += weightOf(i);
  // score[p][c]: Σ over p's markers of (share in cluster c − share overall)
  const score = names.map((p) =>
    Array.from({ length: K }, (_, c) =>
      spec.profiles[p]!.markers.reduce((s, m) => {
        const mask = conditionMask(dataset, m);
        let inCluster = 0;
        let overall = 0;
        for (let i = 0; i < dataset.n; i++) {
          if (!mask[i]) continue;
          overall += weightOf(i);
          if (clusterOf[i] === c + 1) inCluster += weightOf(i);
        }
        return s + inCluster / Math.max(1, sizes[c]!) - overall / respondents;
      }, 0),
    ),
  );
  let best: number[] = [];
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const perm of permutations(K)) {
    const s = perm.reduce((acc, c, p) => acc + score[p]![c]!, 0);
    if (s > bestScore) {
      bestScore = s;
      best = perm;
    }
  }
  const profileOfCluster = new Int16Array(K);
  best.forEach((c, p) => {
    profileOfCluster[c] = p;
  });
  const codes = new Int16Array(dataset.n);
  for (let i = 0; i < dataset.n; i++) codes[i] = profileOfCluster[clusterOf[i]! - 1]!;
  const mapGroups = Int32Array.from(t.clustering.clusterOf, (c) => profileOfCluster[c - 1]! + 1);
  return {
    map: { mca: t.mca, groups: mapGroups, ofPatterns: patterns !== null },
    column: {
      kind: 'categorical',
      name: spec.name,
      label: spec.label ?? { fr: 'profil', en: 'profile' },
      levels: names,
      levelLabels: names.map((p) => spec.profiles[p]!.label),
      ordered: false,
      codes,
    },
    summary: {
      variable: spec.name,
      method: `MCA on ${spec.active.length} active variables (${spec.dimensions} dimensions) then Ward clustering into ${K} clusters with k-means consolidation (as FactoMineR MCA + HCPC)${patterns ? `, on the ${patterns.weights.length} distinct answer patterns weighted by their counts` : ''}; clusters named by marker answers`,
      profiles: names.map((profile, p) => ({
        profile,
        cluster: best[p]! + 1,
        size: sizes[best[p]!]!,
        markerScore: score[p]![best[p]!]!,
      })),
      patterns: patterns ? patterns.weights.length : null,
      eigenvalues: t.mca.eigenvalues.slice(0, spec.dimensions),
    },
  };
}
