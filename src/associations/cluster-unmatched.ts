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
  options: { base?: { df: Map<string, number>; n: number }; threshold?: number } = {},
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
  keys.forEach((k, i) => {
    const self = new Set([i]);
    for (const c of nearestEntries(index, k.split(' '), { exclude: self, top: 5 })) {
      if (c.score >= threshold) part.union(i, c.entry);
    }
  });
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
