import { nearestEntries } from './nearest-entries.js';
import { fingerprint, initialsOf, ngramFingerprint } from './normalise.js';
import { RegistryIndex } from './registry-index.js';

/** Union-find over 0..n-1. */
class Partition {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r] ?? r;
    let c = i;
    while (this.parent[c] !== r) {
      const next = this.parent[c] ?? r;
      this.parent[c] = r;
      c = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * Groups mention keys that match no registry entry into candidate new entries: key collision
 * (fingerprint, then character-bigram fingerprint for longer keys), then nearest neighbours
 * (the registry's similarity, IDF from the registry plus these mentions; acronyms derived from
 * initials link "AMP" to "Association des malades de la porphyrie").
 *
 * @param keys distinct normalised mention keys
 * @returns for each key, the index of its group's first key
 */
export function clusterUnmatched(
  keys: readonly string[],
  options: {
    base?: { df: Map<string, number>; n: number };
    threshold?: number;
    /** How often each key was mentioned: frequent keys lead groups. */
    counts?: readonly number[];
  } = {},
): number[] {
  const threshold = options.threshold ?? 0.8;
  const part = new Partition(keys.length);
  const byKey = new Map<string, number>();
  keys.forEach((k, i) => {
    for (const key of [`f:${fingerprint(k)}`, k.length >= 12 ? `n:${ngramFingerprint(k)}` : '']) {
      if (!key) continue;
      const j = byKey.get(key);
      if (j === undefined) byKey.set(key, i);
      else part.union(i, j);
    }
  });
  const index = new RegistryIndex(
    keys.map((k) => ({ names: [k], acronyms: [] })),
    options.base,
  );
  // Leader clustering, most frequent keys first: a key joins the best group leader close to it,
  // or leads a group of its own. Unlike single linkage, near neighbours do not chain "Association
  // des malades de la mala" to "Association française de la mala" through a third key.
  const counts = options.counts;
  const order = keys
    .map((_, i) => i)
    .sort((a, b) => (counts?.[b] ?? 1) - (counts?.[a] ?? 1) || ((keys[a] ?? '') < (keys[b] ?? '') ? -1 : 1));
  const isLeader = new Uint8Array(keys.length);
  const placed = new Uint8Array(keys.length);
  for (const i of order) {
    if (placed[part.find(i)]) continue;
    let best = -1;
    let bestScore = threshold;
    for (const c of nearestEntries(index, (keys[i] ?? '').split(' '), { exclude: new Set([i]), top: 8 })) {
      if (c.score >= bestScore && isLeader[c.entry]) {
        best = c.entry;
        bestScore = c.score;
      }
    }
    if (best >= 0) part.union(i, best);
    else isLeader[i] = 1;
    placed[part.find(i)] = 1;
  }
  // Acronyms: "AFMT" joins the group whose names have those initials, when only one group has.
  const groupsByInitials = new Map<string, Set<number>>();
  keys.forEach((k, i) => {
    if (!k.includes(' ')) return;
    for (const a of initialsOf(k)) {
      const set = groupsByInitials.get(a) ?? new Set<number>();
      set.add(part.find(i));
      groupsByInitials.set(a, set);
    }
  });
  keys.forEach((k, i) => {
    const words = k.split(' ');
    if (words.length > 6) return;
    for (const w of words) {
      const roots = w.length >= 3 && w.length <= 8 ? groupsByInitials.get(w) : undefined;
      const [root] = roots && roots.size === 1 ? [...roots] : [];
      if (root !== undefined) part.union(i, root);
    }
  });
  return keys.map((_, i) => part.find(i));
}
