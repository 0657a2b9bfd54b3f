import type { RegistryIndex } from './registry-index.js';

/** A scored candidate: index of the entry in the registry and a similarity in [0, 1]. */
export interface Candidate {
  entry: number;
  score: number;
}

/** Score given to a mention holding an entry's own written acronym among at most 3 words. */
const ACRONYM_SCORE = 0.8;

/** Scratch: weights of the query's common words by bit (only the bits set are read). */
const COMMON_WEIGHTS = new Float64Array(64);

/** How many candidates are fully scored (ties at the cut included, up to MAX_CANDIDATES). */
const MAX_SCORED = 24;
export const MAX_CANDIDATES = MAX_SCORED + 8;
/** Queries of at most this many distinct words use the index's scratch arrays. */
export const SCRATCH_TOKENS = 64;
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
  let uniq = tokens;
  for (let i = 1; i < tokens.length; i++) {
    if (tokens.lastIndexOf(tokens[i] as string, i - 1) >= 0) {
      uniq = [...new Set(tokens)];
      break;
    }
  }
  if (uniq.length === 0 || index.size === 0) return [];
  const { idf, postings, simScratch: sim, sourceScratch: source, sourceSimScratch: sourceSim } = index;
  const { entryStart, entryWords, formStart, formWordStart, formWords, formWeight, formFactor } = index;
  const { acronymStart, acronymWords } = index;
  const q = uniq.length;
  const weights = q <= SCRATCH_TOKENS ? index.weightScratch : new Float64Array(q);
  // Vocabulary words the query touches: sim[t] is the best similarity of word t to any query
  // token; source[t] / sourceSim[t] one query token it matches and how well; `shared` holds the
  // rare (word, query token, similarity) triples beyond the first.
  const vocab: number[] = [];
  const shared: number[] = [];
  let totalW = 0;
  for (let i = 0; i < q; i++) {
    const m = index.tokenMatches(uniq[i] as string);
    let best = -1;
    let w = index.maxIdf;
    for (let k = 0; k < m.ids.length; k++) {
      const t = m.ids[k] as number;
      const s = m.sims[k] as number;
      if (s > best) {
        best = s;
        w = idf[t] as number;
      }
      if (source[t] === -1) {
        vocab.push(t);
        source[t] = i;
        sourceSim[t] = s;
        sim[t] = s;
      } else {
        shared.push(t, i, s);
        if (s > (sim[t] as number)) sim[t] = s;
      }
    }
    weights[i] = w;
    totalW += w;
  }
  const out: Candidate[] = [];
  try {
    const nCands = blockCandidates(index, vocab);
    const cands = index.candidateScratch;
    const top = options.top ?? 3;
    // First the share of the mention each candidate's words explain (p), then the full score,
    // best p first: once p is too low for the score to reach the top ones, the rest are skipped.
    const pOf = index.shareScratch;
    const order: number[] = [];
    const best = q <= SCRATCH_TOKENS ? index.bestScratch : new Float64Array(q);
    for (let c = 0; c < nCands; c++) {
      const e = cands[c] as number;
      if (options.exclude?.has(e)) continue;
      const w0 = entryStart[e] as number;
      const w1 = entryStart[e + 1] as number;
      best.fill(0, 0, q);
      for (let k = w0; k < w1; k++) {
        const t = entryWords[k] as number;
        const i = source[t] as number;
        if (i >= 0 && (sourceSim[t] as number) > (best[i] as number)) best[i] = sourceSim[t] as number;
      }
      for (let k = 0; k < shared.length; k += 3) {
        const t = shared[k] as number;
        const i = shared[k + 1] as number;
        const s = shared[k + 2] as number;
        if (s > (best[i] as number) && holds(entryWords, w0, w1, t)) best[i] = s;
      }
      let covered = 0;
      for (let i = 0; i < q; i++) covered += (best[i] as number) * (weights[i] as number);
      const p = covered / totalW;
      if (p === 0) continue;
      pOf[c] = p;
      order.push(c);
    }
    // Insertion sort (a few dozen candidates): p descending, then position.
    for (let x = 1; x < order.length; x++) {
      const c = order[x] as number;
      const pc = pOf[c] as number;
      let y = x - 1;
      while (y >= 0 && (pOf[order[y] as number] as number) < pc) {
        order[y + 1] = order[y] as number;
        y--;
      }
      order[y + 1] = c;
    }
    // The top scores so far, lowest first (a score can reach at most 2p / (1 + p), forms'
    // factors being at most 1, or the acronym score).
    const kept: number[] = [];
    for (const c of order) {
      const p = pOf[c] as number;
      const bound = Math.max((2 * p) / (1 + p), q <= 3 ? ACRONYM_SCORE : 0);
      if (kept.length >= top && bound < (kept[0] as number)) break;
      const e = cands[c] as number;
      let score = 0;
      const f1 = formStart[e + 1] as number;
      for (let f = formStart[e] as number; f < f1; f++) {
        let got = 0;
        const k1 = formWordStart[f + 1] as number;
        for (let k = formWordStart[f] as number; k < k1; k++) {
          const t = formWords[k] as number;
          got += (idf[t] as number) * (sim[t] as number);
        }
        const fw = formWeight[f] as number;
        const r = fw > 0 ? got / fw : 0;
        const s = r + p > 0 ? ((2 * p * r) / (p + r)) * (formFactor[f] as number) : 0;
        if (s > score) score = s;
      }
      if (q <= 3 && score < ACRONYM_SCORE) {
        // A written acronym of this entry alone, with a word or two ("ARCAT Sida", "AFH hémophilie").
        const a0 = acronymStart[e] as number;
        const a1 = acronymStart[e + 1] as number;
        for (const t of vocab) {
          if (sim[t] === 1 && holds(acronymWords, a0, a1, t) && postings[t]?.length === 1) {
            score = ACRONYM_SCORE;
            break;
          }
        }
      }
      out.push({ entry: e, score });
      if (kept.length < top) {
        kept.push(score);
        kept.sort((x, y) => x - y);
      } else if (score > (kept[0] as number)) {
        kept[0] = score;
        kept.sort((x, y) => x - y);
      }
    }
  } finally {
    for (const t of vocab) {
      sim[t] = 0;
      source[t] = -1;
      sourceSim[t] = 0;
    }
  }
  out.sort((a, b) => b.score - a.score || a.entry - b.entry);
  return out.slice(0, options.top ?? 3);
}

/**
 * Blocking: entries sharing an informative word with the query (the rarest word always counts),
 * ranked by the IDF-weighted similarity of all the words they share; the best MAX_SCORED.
 */
function blockCandidates(index: RegistryIndex, vocab: readonly number[]): number {
  const { idf, postings, simScratch: sim, accScratch: acc, commonBit, commonMask } = index;
  const limit = blockLimit(index.size);
  const keys = [...vocab];
  // Insertion sort (a few words), shortest postings first.
  for (let x = 1; x < keys.length; x++) {
    const t = keys[x] as number;
    const len = (postings[t] as Int32Array).length;
    let y = x - 1;
    while (y >= 0 && (postings[keys[y] as number] as Int32Array).length > len) {
      keys[y + 1] = keys[y] as number;
      y--;
    }
    keys[y + 1] = t;
  }
  const touched = index.touchedScratch;
  let nTouched = 0;
  // acc[e] accumulates the IDF-weighted similarity of the rare words entry e shares with the
  // query, read from their postings; the words too common to block on are added below.
  let used = 0;
  for (; used < keys.length; used++) {
    const t = keys[used] as number;
    const post = postings[t] as Int32Array;
    if (used > 0 && post.length > limit) break;
    const n = Math.min(post.length, MAX_POSTINGS);
    const add = n === post.length ? (idf[t] as number) * (sim[t] as number) : 0;
    for (let k = 0; k < n; k++) {
      const e = post[k] as number;
      if (acc[e] === 0) {
        touched[nTouched++] = e;
        acc[e] = 1e-9;
      }
      acc[e] = (acc[e] as number) + add;
    }
  }
  const out = index.candidateScratch;
  if (nTouched <= MAX_SCORED) {
    for (let c = 0; c < nTouched; c++) {
      const e = touched[c] as number;
      acc[e] = 0;
      out[c] = e;
    }
    return nTouched;
  }
  // The common words of the query (and a first word read only in part): their bits and weights.
  let bitsLo = 0;
  let bitsHi = 0;
  const commonW = COMMON_WEIGHTS;
  let byMask = true;
  for (let i = 0; i < keys.length; i++) {
    const t = keys[i] as number;
    const len = (postings[t] as Int32Array).length;
    if (i < used && len <= MAX_POSTINGS) continue;
    const b = commonBit[t] as number;
    if (b < 0) {
      byMask = false;
      break;
    }
    if (b < 32) bitsLo |= 1 << b;
    else bitsHi |= 1 << (b - 32);
    commonW[b] = (idf[t] as number) * (sim[t] as number);
  }
  const values = index.valueScratch;
  if (byMask) {
    for (let c = 0; c < nTouched; c++) {
      const e = touched[c] as number;
      let v = (acc[e] as number) - 1e-9;
      let lo = (commonMask[2 * e] as number) & bitsLo;
      while (lo !== 0) {
        const b = 31 - Math.clz32(lo & -lo);
        v += commonW[b] as number;
        lo &= lo - 1;
      }
      let hi = (commonMask[2 * e + 1] as number) & bitsHi;
      while (hi !== 0) {
        const b = 31 - Math.clz32(hi & -hi);
        v += commonW[b + 32] as number;
        hi &= hi - 1;
      }
      values[c] = v;
      acc[e] = 0;
    }
  } else {
    // Rank by every word shared (common ones too), read from each entry's own word list.
    for (let c = 0; c < nTouched; c++) {
      const e = touched[c] as number;
      let v = 0;
      const k1 = index.entryStart[e + 1] as number;
      for (let k = index.entryStart[e] as number; k < k1; k++) {
        const t = index.entryWords[k] as number;
        v += (idf[t] as number) * (sim[t] as number);
      }
      values[c] = v;
      acc[e] = 0;
    }
  }
  const copy = index.selectScratch;
  for (let c = 0; c < nTouched; c++) copy[c] = values[c] as number;
  const cut = kthLargest(copy, nTouched, MAX_SCORED);
  let n = 0;
  for (let c = 0; c < nTouched && n < MAX_CANDIDATES; c++) {
    if ((values[c] as number) >= cut) out[n++] = touched[c] as number;
  }
  return n;
}

/** Whether `t` is among `list[from … to - 1]`. */
function holds(list: Int32Array, from: number, to: number, t: number): boolean {
  for (let k = from; k < to; k++) if (list[k] === t) return true;
  return false;
}

/** The k-th largest value (k ≥ 1) of `a[0 … n - 1]`, which is reordered (quickselect). */
function kthLargest(a: Float64Array, n: number, k: number): number {
  const target = n - k;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const x = a[i] as number;
        a[i] = a[j] as number;
        a[j] = x;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target] as number;
}
