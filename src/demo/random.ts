/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32) and the few draws the
 * demonstration panel needs. Deterministic: the same seed gives the same sequence everywhere.
 *
 * @example
 * const rand = seededRandom(2013);
 * rand(); // a number in [0, 1)
 */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** Index drawn with probability proportional to `weights` at the uniform `u`. */
export function drawIndex(weights: readonly number[], u: number): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += (weights[i] ?? 0) / total;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

export function shuffle<T>(items: T[], rand: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Stratified uniforms (a Latin hypercube in one dimension): one draw in each of the n slices of
 * [0, 1), in random order. Drawing a group's answers with them keeps the group's counts close to
 * their expectation, so a small panel still lands near its targets.
 */
export function stratifiedUniforms(n: number, rand: Random): number[] {
  const slots = shuffle(
    Array.from({ length: n }, (_, k) => k),
    rand,
  );
  return slots.map((k) => (k + rand()) / n);
}

/** Counts per category for a quota of n in the given shares (largest remainders). */
export function quotaCounts(n: number, shares: readonly number[]): number[] {
  const total = shares.reduce((s, w) => s + w, 0);
  const exact = shares.map((w) => (n * w) / total);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((x, y) => y[0] - x[0]);
  for (let k = 0; counts.reduce((s, c) => s + c, 0) < n; k++) counts[order[k % order.length]![1]]! += 1;
  return counts;
}

/**
 * Systematic selection: respondent j is selected with probability `probs[j]`, and the number
 * selected is the expected number rounded up or down (visit in random order, one random start,
 * a selection each time the running sum of probabilities crosses an integer).
 */
export function systematicSelect(probs: readonly number[], rand: Random): boolean[] {
  const order = shuffle(
    probs.map((_, j) => j),
    rand,
  );
  const selected = new Array<boolean>(probs.length).fill(false);
  let acc = rand();
  for (const j of order) {
    const before = Math.floor(acc);
    acc += Math.min(1, Math.max(0, probs[j] ?? 0));
    selected[j] = Math.floor(acc) > before;
  }
  return selected;
}
