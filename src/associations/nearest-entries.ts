import type { RegistryIndex } from './registry-index.js';

/** A scored candidate: index of the entry in the registry and a similarity in [0, 1]. */
export interface Candidate {
  entry: number;
  score: number;
}

/** Score given to a mention holding an entry's own written acronym among at most 3 words. */
const ACRONYM_SCORE = 0.8;

let scratchArray = new Float64Array(0);
/** A zeroed accumulator of at least `n` cells (reused; callers zero what they touch). */
function scratch(n: number): Float64Array {
  if (scratchArray.length < n) scratchArray = new Float64Array(n);
  return scratchArray;
}

/** How many candidates are fully scored. */
const MAX_SCORED = 40;
/** How many entries of one posting list are read at most. */
const MAX_POSTINGS = 5000;

/** How many entries a token may block on before it is too common to be a good block key. */
function blockLimit(size: number): number {
  return Math.max(40, Math.floor(size * 0.03));
}

/**
 * The best entries for a mention (its normalised tokens), best first.
 *
 * Blocking: candidates are the entries sharing a word (or a typo or truncation of a word) with
 * the mention, using only words rare enough to be informative (the rarest word is always used).
 * Score: each name form f of an entry is compared with the mention; with IDF weights w,
 * recall r = Σ_{t∈f} w(t)·sim(t) / Σ_{t∈f} w(t) (how much of the name is in the mention) and
 * precision p = Σ_{m∈mention} w(m)·sim(m) / Σ w(m) (how much of the mention the entry's words
 * explain); the score is their harmonic mean times the form's factor, the best over forms.
 */
export function nearestEntries(
  index: RegistryIndex,
  tokens: readonly string[],
  options: { exclude?: ReadonlySet<number>; top?: number } = {},
): Candidate[] {
  const uniq = [...new Set(tokens)];
  if (uniq.length === 0 || index.size === 0) return [];
  const matches = uniq.map((t) => index.tokenMatches(t));
  const weights = matches.map((m) => {
    let best = -1;
    let w = index.maxIdf;
    m.ids.forEach((id, k) => {
      const s = m.sims[k] ?? 0;
      if (s > best) {
        best = s;
        w = index.idf[id] ?? index.maxIdf;
      }
    });
    return w;
  });
  const totalW = weights.reduce((a, b) => a + b, 0);
  const simOf = new Map<number, number>();
  for (const m of matches) {
    m.ids.forEach((id, k) => {
      const s = m.sims[k] ?? 0;
      if (s > (simOf.get(id) ?? 0)) simOf.set(id, s);
    });
  }
  const limit = blockLimit(index.size);
  // Blocking: accumulate IDF-weighted similarity over the postings of informative words (the
  // rarest word always counts), then fully score only the best MAX_SCORED candidates.
  const keys = [...simOf.keys()].sort(
    (a, b) => (index.postings[a]?.length ?? 0) - (index.postings[b]?.length ?? 0),
  );
  const acc = scratch(index.size);
  const touched: number[] = [];
  const common: number[] = [];
  for (const [i, id] of keys.entries()) {
    const post = index.postings[id] ?? [];
    if (i > 0 && post.length > limit) {
      common.push(id);
      continue;
    }
    const w = (index.idf[id] ?? 0) * (simOf.get(id) ?? 0);
    const n = Math.min(post.length, MAX_POSTINGS);
    for (let k = 0; k < n; k++) {
      const e = post[k] as number;
      if (acc[e] === 0) touched.push(e);
      acc[e] = (acc[e] ?? 0) + w;
    }
  }
  let cands = touched;
  if (cands.length > MAX_SCORED) {
    if (cands.length <= 2000) {
      for (const e of cands) {
        const vocab = index.entryVocab[e];
        let extra = 0;
        for (const id of common) if (vocab?.has(id)) extra += (index.idf[id] ?? 0) * (simOf.get(id) ?? 0);
        acc[e] = (acc[e] ?? 0) + extra;
      }
    }
    cands = [...cands].sort((a, b) => (acc[b] ?? 0) - (acc[a] ?? 0)).slice(0, MAX_SCORED);
  }
  for (const e of touched) acc[e] = 0;
  const out: Candidate[] = [];
  for (const e of cands) {
    if (options.exclude?.has(e)) continue;
    const vocab = index.entryVocab[e];
    if (!vocab) continue;
    let covered = 0;
    matches.forEach((m, i) => {
      let s = 0;
      m.ids.forEach((id, k) => {
        const v = m.sims[k] ?? 0;
        if (v > s && vocab.has(id)) s = v;
      });
      covered += s * (weights[i] ?? 0);
    });
    const p = covered / totalW;
    if (p === 0) continue;
    let score = 0;
    for (const f of index.forms[e] ?? []) {
      let got = 0;
      for (const t of f.tokens) got += (index.idf[t] ?? 0) * (simOf.get(t) ?? 0);
      const r = f.weight > 0 ? got / f.weight : 0;
      const s = r + p > 0 ? ((2 * p * r) / (p + r)) * f.factor : 0;
      if (s > score) score = s;
    }
    if (uniq.length <= 3 && score < ACRONYM_SCORE) {
      // A written acronym of this entry alone, with a word or two ("ARCAT Sida", "AFH hémophilie").
      const acr = index.acronymTokens[e];
      const exact = matches.some((m) =>
        m.ids.some((id, k) => m.sims[k] === 1 && acr?.has(id) && (index.postings[id]?.length ?? 0) === 1),
      );
      if (exact) score = ACRONYM_SCORE;
    }
    out.push({ entry: e, score });
  }
  out.sort((a, b) => b.score - a.score || a.entry - b.entry);
  return out.slice(0, options.top ?? 3);
}
