/** Result of {@link hartiganWong}, shaped as R's `kmeans` object. */
export interface HartiganWongResult {
  /** 0-based cluster of each point (`cluster - 1`). */
  readonly assignment: Int32Array;
  /** k × d centres: means of their points. */
  readonly centres: Float64Array;
  readonly sizes: Int32Array;
  /** Within-cluster sum of squares of each cluster (`withinss`). */
  readonly withinss: Float64Array;
  /** R's `iter`: passes made, `maxIterations + 1` when it did not converge. */
  readonly iterations: number;
  /**
   * R's `ifault`: 0 converged, 1 a cluster was empty after the first assignment (R stops with
   * "empty cluster"), 2 `maxIterations` reached, 4 the quick-transfer stage exceeded its step limit.
   */
  readonly fault: 0 | 1 | 2 | 4;
}

// AS 136 writes BIG as the single-precision literal 1.E30 stored in a double.
const BIG = Math.fround(1e30);

/**
 * k-means by Hartigan and Wong's algorithm AS 136, step for step as R's
 * `kmeans(x, centers, iter.max, algorithm = "Hartigan-Wong")` (R's `kmns.f`): the same visiting
 * order, live sets, early exits and floating-point operations, so it stops at the same partition.
 * `points` is n × d row-major, `initial` k × d. Unweighted, as R's.
 */
export function hartiganWong(
  points: Float64Array,
  d: number,
  initial: Float64Array,
  maxIterations = 10,
): HartiganWongResult {
  const m = points.length / d;
  const k = initial.length / d;
  if (k <= 1 || k >= m) throw new RangeError('Hartigan–Wong needs 1 < k < number of points.');
  const a = points;
  const c = Float64Array.from(initial);
  const ic1 = new Int32Array(m);
  const ic2 = new Int32Array(m);
  const nc = new Int32Array(k);
  const an1 = new Float64Array(k);
  const an2 = new Float64Array(k);
  const ncp = new Int32Array(k);
  const dd = new Float64Array(m);
  const itran = new Int32Array(k);
  const live = new Int32Array(k);
  const state = { indx: 0, maxQtr: Math.min(2147483647, 50 * m) };

  // Each point's two closest centres; it goes to the closest.
  for (let i = 0; i < m; i++) {
    const ib = i * d;
    let dt1 = 0;
    let dt2 = 0;
    for (let j = 0; j < d; j++) {
      const da = a[ib + j]! - c[j]!;
      dt1 += da * da;
    }
    for (let j = 0; j < d; j++) {
      const da = a[ib + j]! - c[d + j]!;
      dt2 += da * da;
    }
    let c1 = 0;
    let c2 = 1;
    if (dt1 > dt2) {
      c1 = 1;
      c2 = 0;
      const t = dt1;
      dt1 = dt2;
      dt2 = t;
    }
    for (let l = 2; l < k; l++) {
      const lb = l * d;
      let db = 0;
      let far = false;
      for (let j = 0; j < d; j++) {
        const dc = a[ib + j]! - c[lb + j]!;
        db += dc * dc;
        if (db >= dt2) {
          far = true;
          break;
        }
      }
      if (far) continue;
      if (db >= dt1) {
        dt2 = db;
        c2 = l;
      } else {
        dt2 = dt1;
        c2 = c1;
        dt1 = db;
        c1 = l;
      }
    }
    ic1[i] = c1;
    ic2[i] = c2;
  }
  centresOf(a, d, ic1, c, nc);
  if (nc.some((x) => x === 0)) {
    return { assignment: ic1, centres: c, sizes: nc, withinss: new Float64Array(k), iterations: 0, fault: 1 };
  }
  for (let l = 0; l < k; l++) {
    const aa = nc[l]!;
    an2[l] = aa / (aa + 1);
    an1[l] = aa > 1 ? aa / (aa - 1) : BIG;
    itran[l] = 1;
    ncp[l] = -1;
  }
  const ctx: Context = { a, m, d, c, k, ic1, ic2, nc, an1, an2, ncp, dd, itran, live, state };
  let fault: 0 | 2 | 4 = 2;
  let iter = 1;
  for (; iter <= maxIterations; iter++) {
    optra(ctx);
    if (state.indx === m) {
      fault = 0;
      break;
    }
    qtran(ctx);
    if (state.maxQtr < 0) {
      fault = 4;
      break;
    }
    if (k === 2) {
      fault = 0;
      break;
    }
    ncp.fill(0);
  }
  centresOf(a, d, ic1, c, nc);
  const withinss = new Float64Array(k);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < m; i++) {
      const da = a[i * d + j]! - c[ic1[i]! * d + j]!;
      withinss[ic1[i]!]! += da * da;
    }
  }
  // R: iter is the pass count, raised to iter.max + 1 when iter.max was reached.
  const iterations = fault === 2 ? Math.max(iter, maxIterations + 1) : iter;
  return { assignment: ic1, centres: c, sizes: nc, withinss, iterations, fault };
}

interface Context {
  readonly a: Float64Array;
  readonly m: number;
  readonly d: number;
  readonly c: Float64Array;
  readonly k: number;
  readonly ic1: Int32Array;
  readonly ic2: Int32Array;
  readonly nc: Int32Array;
  readonly an1: Float64Array;
  readonly an2: Float64Array;
  readonly ncp: Int32Array;
  readonly dd: Float64Array;
  readonly itran: Int32Array;
  readonly live: Int32Array;
  readonly state: { indx: number; maxQtr: number };
}

/** Centres as means of their points (sums in point order, then one division), and sizes. */
function centresOf(a: Float64Array, d: number, ic1: Int32Array, c: Float64Array, nc: Int32Array): void {
  c.fill(0);
  nc.fill(0);
  for (let i = 0; i < ic1.length; i++) {
    const l = ic1[i]!;
    nc[l]!++;
    for (let j = 0; j < d; j++) c[l * d + j]! += a[i * d + j]!;
  }
  for (let l = 0; l < nc.length; l++) {
    if (nc[l] === 0) continue;
    for (let j = 0; j < d; j++) c[l * d + j] = c[l * d + j]! / nc[l]!;
  }
}

/** Moves point i (0-based) from cluster l1 to l2 and updates both centres (AS 136's update). */
function transfer(x: Context, i: number, l1: number, l2: number): void {
  const { a, d, c, nc, an1, an2 } = x;
  const al1 = nc[l1]!;
  const alw = al1 - 1;
  const al2 = nc[l2]!;
  const alt = al2 + 1;
  for (let j = 0; j < d; j++) {
    c[l1 * d + j] = (c[l1 * d + j]! * al1 - a[i * d + j]!) / alw;
    c[l2 * d + j] = (c[l2 * d + j]! * al2 + a[i * d + j]!) / alt;
  }
  nc[l1]!--;
  nc[l2]!++;
  an2[l1] = alw / al1;
  an1[l1] = alw > 1 ? alw / (alw - 1) : BIG;
  an1[l2] = alt / al2;
  an2[l2] = alt / (alt + 1);
  x.ic1[i] = l2;
  x.ic2[i] = l1;
}

/** AS 136.1, the optimal-transfer stage: one pass, each point to its best cluster. */
function optra(x: Context): void {
  const { a, m, d, c, k, ic1, ic2, nc, an1, an2, ncp, dd, itran, live, state } = x;
  for (let l = 0; l < k; l++) if (itran[l] === 1) live[l] = m + 1;
  for (let i = 0; i < m; i++) {
    const step = i + 1; // AS 136 compares 1-based point numbers with LIVE and NCP
    state.indx++;
    const l1 = ic1[i]!;
    if (nc[l1] !== 1) {
      const ib = i * d;
      if (ncp[l1] !== 0) {
        let de = 0;
        for (let j = 0; j < d; j++) {
          const df = a[ib + j]! - c[l1 * d + j]!;
          de += df * df;
        }
        dd[i] = de * an1[l1]!;
      }
      let l2 = ic2[i]!;
      const ll = l2;
      let da = 0;
      for (let j = 0; j < d; j++) {
        const db = a[ib + j]! - c[l2 * d + j]!;
        da += db * db;
      }
      let r2 = da * an2[l2]!;
      for (let l = 0; l < k; l++) {
        if ((step >= live[l1]! && step >= live[l]!) || l === l1 || l === ll) continue;
        const rr = r2 / an2[l]!;
        let dc = 0;
        let far = false;
        for (let j = 0; j < d; j++) {
          const e = a[ib + j]! - c[l * d + j]!;
          dc += e * e;
          if (dc >= rr) {
            far = true;
            break;
          }
        }
        if (far) continue;
        r2 = dc * an2[l]!;
        l2 = l;
      }
      if (r2 >= dd[i]!) {
        ic2[i] = l2;
      } else {
        state.indx = 0;
        live[l1] = m + step;
        live[l2] = m + step;
        ncp[l1] = step;
        ncp[l2] = step;
        transfer(x, i, l1, l2);
      }
    }
    if (state.indx === m) return;
  }
  for (let l = 0; l < k; l++) {
    itran[l] = 0;
    live[l] = live[l]! - m;
  }
}

/** AS 136.2, the quick-transfer stage: swap points between their two closest clusters until stable. */
function qtran(x: Context): void {
  const { a, m, d, c, ic1, ic2, nc, an1, an2, ncp, dd, itran, state } = x;
  let icoun = 0;
  let istep = 0;
  for (;;) {
    for (let i = 0; i < m; i++) {
      icoun++;
      istep++;
      if (istep >= state.maxQtr) {
        state.maxQtr = -1;
        return;
      }
      const l1 = ic1[i]!;
      const l2 = ic2[i]!;
      if (nc[l1] !== 1) {
        const ib = i * d;
        if (istep <= ncp[l1]!) {
          let da = 0;
          for (let j = 0; j < d; j++) {
            const db = a[ib + j]! - c[l1 * d + j]!;
            da += db * db;
          }
          dd[i] = da * an1[l1]!;
        }
        if (istep < ncp[l1]! || istep < ncp[l2]!) {
          const r2 = dd[i]! / an2[l2]!;
          let s = 0;
          let far = false;
          for (let j = 0; j < d; j++) {
            const e = a[ib + j]! - c[l2 * d + j]!;
            s += e * e;
            if (s >= r2) {
              far = true;
              break;
            }
          }
          if (!far) {
            icoun = 0;
            state.indx = 0;
            itran[l1] = 1;
            itran[l2] = 1;
            ncp[l1] = istep + m;
            ncp[l2] = istep + m;
            transfer(x, i, l1, l2);
          }
        }
      }
      if (icoun === m) return;
    }
  }
}
