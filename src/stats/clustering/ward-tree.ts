import { cairnetError } from '../../errors.js';

/**
 * A Ward hierarchy on weighted points. Node ids: leaves are 0…n−1, the k-th merge (in creation
 * order) is node n + k. `height[k]` is the merge's inertia gain, as in FactoMineR's HCPC:
 * w_a·w_b / (w_a + w_b) · ‖c_a − c_b‖² / Σw.
 */
export interface WardTree {
  readonly leaves: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly height: Float64Array;
  /** Total weight under each merge. */
  readonly weight: Float64Array;
}

/**
 * Exact Ward clustering by the nearest-neighbour chain: O(n²) time at worst (neighbour scans
 * pruned on the first coordinate), O(n·d) memory (no distance matrix), the same hierarchy as Lance–Williams Ward on HCPC's weighted dissimilarities
 * (up to the order of tied merges).
 *
 * @param points row-major n × d coordinates
 * @param weights positive weight of each point
 */
export function wardTree(points: Float64Array, d: number, weights: Float64Array): WardTree {
  const n = weights.length;
  if (points.length !== n * d) throw cairnetError('CAIRNET_TYPOLOGY_INVALID', 'Points and weights disagree.');
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  const c = Float64Array.from(points);
  const w = Float64Array.from(weights);
  let wmin = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) wmin = Math.min(wmin, w[i]!);
  const nodeId = new Int32Array(n).map((_, i) => i);
  // Active slots sorted by first coordinate: a candidate b costs at least
  // w_a·w_min/(w_a + w_min)·(x_a − x_b)², so the scan stops once that bound passes the best cost.
  const sorted = Int32Array.from(
    Array.from({ length: n }, (_, i) => i).sort((x, y) => c[x * d]! - c[y * d]! || x - y),
  );
  const rankOf = new Int32Array(n);
  sorted.forEach((slot, r) => {
    rankOf[slot] = r;
  });
  let nAct = n;
  const remove = (slot: number) => {
    const r = rankOf[slot]!;
    sorted.copyWithin(r, r + 1, nAct);
    nAct--;
    for (let t = r; t < nAct; t++) rankOf[sorted[t]!] = t;
  };
  const insert = (slot: number) => {
    const x = c[slot * d]!;
    let lo = 0;
    let hi = nAct;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[sorted[mid]! * d]! < x) lo = mid + 1;
      else hi = mid;
    }
    sorted.copyWithin(lo + 1, lo, nAct);
    sorted[lo] = slot;
    nAct++;
    for (let t = lo; t < nAct; t++) rankOf[sorted[t]!] = t;
  };
  const chain = new Int32Array(n);
  let len = 0;
  const m = Math.max(n - 1, 0);
  const left = new Int32Array(m);
  const right = new Int32Array(m);
  const height = new Float64Array(m);
  const mweight = new Float64Array(m);
  let k = 0;
  while (nAct > 1) {
    if (len === 0) chain[len++] = sorted[0]!;
    const a = chain[len - 1]!;
    const prev = len >= 2 ? chain[len - 2]! : -1;
    const wa = w[a]!;
    const ab = a * d;
    const xa = c[ab]!;
    const f = (wa * wmin) / (wa + wmin);
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    if (prev >= 0) {
      best = prev;
      bestCost = cost(c, ab, prev * d, d, wa, w[prev]!);
    }
    const p = rankOf[a]!;
    let lo = p - 1;
    let hi = p + 1;
    let loOpen = lo >= 0;
    let hiOpen = hi < nAct;
    while (loOpen || hiOpen) {
      let b: number;
      if (loOpen && (!hiOpen || xa - c[sorted[lo]! * d]! <= c[sorted[hi]! * d]! - xa)) {
        b = sorted[lo]!;
        const dx = xa - c[b * d]!;
        if (f * dx * dx >= bestCost) {
          loOpen = false;
          continue;
        }
        lo--;
        loOpen = lo >= 0;
      } else {
        b = sorted[hi]!;
        const dx = c[b * d]! - xa;
        if (f * dx * dx >= bestCost) {
          hiOpen = false;
          continue;
        }
        hi++;
        hiOpen = hi < nAct;
      }
      const wb = w[b]!;
      const cc = cost(c, ab, b * d, d, wa, wb);
      if (cc < bestCost) {
        bestCost = cc;
        best = b;
      }
    }
    if (best === prev) {
      len -= 2;
      // Merge `a` into `prev`'s slot; drop `a`.
      const wb = w[prev]!;
      const pb = prev * d;
      remove(a);
      remove(prev);
      for (let s = 0; s < d; s++) c[pb + s] = (wa * c[ab + s]! + wb * c[pb + s]!) / (wa + wb);
      w[prev] = wa + wb;
      insert(prev);
      left[k] = nodeId[a]!;
      right[k] = nodeId[prev]!;
      height[k] = bestCost / total;
      mweight[k] = wa + wb;
      nodeId[prev] = n + k;
      k++;
    } else {
      chain[len++] = best;
    }
  }
  return { leaves: n, left, right, height, weight: mweight };
}

function cost(c: Float64Array, ab: number, bb: number, d: number, wa: number, wb: number): number {
  let d2 = 0;
  for (let s = 0; s < d; s++) {
    const x = c[ab + s]! - c[bb + s]!;
    d2 += x * x;
  }
  return ((wa * wb) / (wa + wb)) * d2;
}

/** Merge indices sorted by decreasing height (ties: later merges first, so parents precede children). */
export function mergesByHeight(tree: WardTree): number[] {
  const idx = Array.from({ length: tree.height.length }, (_, k) => k);
  return idx.sort((x, y) => tree.height[y]! - tree.height[x]! || y - x);
}

/**
 * Cuts the tree into `clusters` groups: every merge is applied except the `clusters − 1`
 * highest. Returns the group (0-based, in order of first leaf) of each leaf.
 */
export function cutTree(tree: WardTree, clusters: number): Int32Array {
  const n = tree.leaves;
  const skip = new Uint8Array(tree.height.length);
  const top = mergesByHeight(tree);
  for (let t = 0; t < clusters - 1 && t < top.length; t++) skip[top[t]!] = 1;
  const parent = new Int32Array(n).map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x]! !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const rep = new Int32Array(n + tree.height.length);
  for (let i = 0; i < n; i++) rep[i] = i;
  for (let k = 0; k < tree.height.length; k++) {
    const a = rep[tree.left[k]!]!;
    const b = rep[tree.right[k]!]!;
    rep[n + k] = a;
    if (!skip[k]) parent[find(b)] = find(a);
  }
  const label = new Int32Array(n).fill(-1);
  const out = new Int32Array(n);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (label[r]! < 0) label[r] = next++;
    out[i] = label[r]!;
  }
  return out;
}
