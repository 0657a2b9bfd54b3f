export interface KMeansResult {
  /** 0-based centre of each point. */
  readonly assignment: Int32Array;
  /** k × d centres (means of their points, weighted when weights were given). */
  readonly centres: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Lloyd's k-means from given centres (no random start), optionally weighted. A centre that
 * loses all its points stays where it was.
 */
export function kMeans(
  points: Float64Array,
  d: number,
  initial: Float64Array,
  options: { weights?: Float64Array | null; maxIterations?: number } = {},
): KMeansResult {
  const n = points.length / d;
  const k = initial.length / d;
  const centres = Float64Array.from(initial);
  const assignment = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * d);
  const mass = new Float64Array(k);
  const weights = options.weights ?? null;
  const maxIterations = options.maxIterations ?? 100;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const ib = i * d;
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let g = 0; g < k; g++) {
        const gb = g * d;
        let d2 = 0;
        for (let s = 0; s < d; s++) {
          const x = points[ib + s]! - centres[gb + s]!;
          d2 += x * x;
        }
        if (d2 < bestD) {
          bestD = d2;
          best = g;
        }
      }
      if (assignment[i] !== best) {
        assignment[i] = best;
        changed++;
      }
    }
    if (changed === 0) {
      converged = true;
      break;
    }
    sums.fill(0);
    mass.fill(0);
    for (let i = 0; i < n; i++) {
      const g = assignment[i]!;
      const wi = weights ? weights[i]! : 1;
      mass[g]! += wi;
      for (let s = 0; s < d; s++) sums[g * d + s]! += wi * points[i * d + s]!;
    }
    for (let g = 0; g < k; g++) {
      if (mass[g]! > 0) for (let s = 0; s < d; s++) centres[g * d + s] = sums[g * d + s]! / mass[g]!;
    }
  }
  return { assignment, centres, iterations, converged };
}

/** Means of the points in each group (weighted when weights are given): k × d. */
export function groupMeans(
  points: Float64Array,
  d: number,
  groups: Int32Array,
  k: number,
  weights?: Float64Array | null,
): Float64Array {
  const sums = new Float64Array(k * d);
  const mass = new Float64Array(k);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    const wi = weights ? weights[i]! : 1;
    mass[g]! += wi;
    for (let s = 0; s < d; s++) sums[g * d + s]! += wi * points[i * d + s]!;
  }
  for (let g = 0; g < k; g++) for (let s = 0; s < d; s++) sums[g * d + s] = sums[g * d + s]! / mass[g]!;
  return sums;
}
