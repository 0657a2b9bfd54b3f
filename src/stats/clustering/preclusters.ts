import { kMeans } from './k-means.js';

/**
 * Groups many rows into about `count` weighted k-means centres: k-means++ seeding and Lloyd
 * iterations on a sample of at most 50,000 rows, then every row is assigned to its nearest
 * centre and the centres become the weighted means of their rows (empty ones are dropped).
 */
export function preclusters(
  points: Float64Array,
  d: number,
  weights: Float64Array,
  count: number,
  seed: number,
): { assignment: Int32Array; centres: Float64Array; weights: Float64Array } {
  const n = weights.length;
  const random = mulberry32(seed);
  const sampleSize = Math.min(n, 50_000);
  const sample = new Int32Array(sampleSize);
  for (let t = 0; t < sampleSize; t++)
    sample[t] = Math.floor((t * n) / sampleSize + random() * (n / sampleSize));
  const sp = new Float64Array(sampleSize * d);
  const sw = new Float64Array(sampleSize);
  sample.forEach((i, t) => {
    sp.set(points.subarray(i * d, (i + 1) * d), t * d);
    sw[t] = weights[i]!;
  });
  const k = Math.min(count, sampleSize);
  const init = kMeansPlusPlus(sp, d, sw, k, random);
  const km = kMeans(sp, d, init, { weights: sw, maxIterations: 25 });
  // Assign every row, then recompute the centres on all rows.
  const full = kMeans(points, d, km.centres, { weights, maxIterations: 1 });
  const sums = new Float64Array(k * d);
  const mass = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const g = full.assignment[i]!;
    mass[g]! += weights[i]!;
    for (let s = 0; s < d; s++) sums[g * d + s]! += weights[i]! * points[i * d + s]!;
  }
  const remap = new Int32Array(k).fill(-1);
  let m = 0;
  for (let g = 0; g < k; g++) if (mass[g]! > 0) remap[g] = m++;
  const centres = new Float64Array(m * d);
  const cw = new Float64Array(m);
  for (let g = 0; g < k; g++) {
    const r = remap[g]!;
    if (r < 0) continue;
    cw[r] = mass[g]!;
    for (let s = 0; s < d; s++) centres[r * d + s] = sums[g * d + s]! / mass[g]!;
  }
  const assignment = Int32Array.from(full.assignment, (g) => remap[g]!);
  return { assignment, centres, weights: cw };
}

function kMeansPlusPlus(
  points: Float64Array,
  d: number,
  weights: Float64Array,
  k: number,
  random: () => number,
): Float64Array {
  const n = weights.length;
  const centres = new Float64Array(k * d);
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let pick = Math.floor(random() * n);
  for (let c = 0; c < k; c++) {
    centres.set(points.subarray(pick * d, (pick + 1) * d), c * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let d2 = 0;
      for (let s = 0; s < d; s++) d2 += (points[i * d + s]! - centres[c * d + s]!) ** 2;
      if (d2 < best[i]!) best[i] = d2;
      total += weights[i]! * best[i]!;
    }
    let u = random() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      u -= weights[i]! * best[i]!;
      if (u <= 0) {
        pick = i;
        break;
      }
    }
  }
  return centres;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
