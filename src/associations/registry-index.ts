/**
 * A searchable index over named things (registry entries, or groups of unmatched mentions):
 * token vocabulary with IDF weights, postings for blocking, a deletion-neighbourhood index for
 * typos and prefixes (truncations), and each entry's forms (name, aliases, acronyms, initials).
 */

import { MAX_CANDIDATES, SCRATCH_TOKENS } from './nearest-entries.js';
import { initialsOfTokens, normalise } from './normalise.js';
import { osaDistance } from './string-distance.js';

/** A thing to index: its names, acronyms (any case). */
export interface IndexedNames {
  names: string[];
  acronyms: string[];
}

/** Common abbreviations typed for generic words. */
const ABBREVIATIONS = new Map<string, string>([
  ['ass', 'association'],
  ['asso', 'association'],
  ['assoc', 'association'],
  ['assos', 'associations'],
  ['fed', 'federation'],
  ['fede', 'federation'],
  ['fond', 'fondation'],
  ['fondat', 'fondation'],
  ['fr', 'francaise'],
  ['nat', 'nationale'],
  ['st', 'saint'],
  ['rech', 'recherche'],
]);

/** Normalised tokens with abbreviations expanded: the key under which a mention is matched. */
export function mentionTokens(text: string): string[] {
  return expandAbbreviations(normalise(text));
}

/** {@link mentionTokens} of an already normalised text. */
function expandAbbreviations(n: string): string[] {
  if (!n) return [];
  const out = n.split(' ');
  for (let i = 0; i < out.length; i++) {
    const a = ABBREVIATIONS.get(out[i] as string);
    if (a !== undefined) out[i] = a;
  }
  return out;
}

/** Token candidates of a query token: vocabulary ids and similarities. */
export interface TokenMatch {
  ids: number[];
  sims: number[];
}

/** Quick test before the Unicode one: a hyphen or an apostrophe. */
const JOINER = /[-'’]/;

const MIN_FUZZY = 4;
const MIN_PREFIX_KEY = 5;
const MIN_TYPO = 5;

export class RegistryIndex {
  readonly size: number;
  readonly vocab = new Map<string, number>();
  readonly words: string[] = [];
  idf: Float64Array = new Float64Array(0);
  readonly maxIdf: number;
  /** For each word, the entries holding it (ascending). */
  postings: Int32Array[] = [];
  /**
   * Each entry's forms (names, aliases, acronyms, initials), flat: entry e's forms are
   * `formStart[e] … formStart[e + 1] - 1`; form f's words are `formWords[formWordStart[f] …
   * formWordStart[f + 1] - 1]`, its IDF weight `formWeight[f]` and score multiplier
   * `formFactor[f]` (1 for written names and acronyms, lower for acronyms derived from initials).
   */
  readonly formStart: Int32Array;
  readonly formWordStart: Int32Array;
  readonly formWords: Int32Array;
  readonly formWeight: Float64Array;
  readonly formFactor: Float64Array;
  /** Each entry's distinct words: `entryWords[entryStart[e] … entryStart[e + 1] - 1]`. */
  readonly entryStart: Int32Array;
  readonly entryWords: Int32Array;
  /** Each entry's one-word forms of its written acronyms: `acronymWords[acronymStart[e] …]`. */
  readonly acronymStart: Int32Array;
  readonly acronymWords: Int32Array;
  /** Written forms (names, aliases, acronyms; not derived initials) by key: entries holding them. */
  readonly exactForms = new Map<string, number[]>();
  /** Per-query scratch over the vocabulary (best similarity, the query token it came from). */
  readonly simScratch: Float64Array;
  readonly sourceScratch: Int32Array;
  readonly sourceSimScratch: Float64Array;
  /** Per-query scratch over entries (blocking accumulator). */
  readonly accScratch: Float64Array;
  /** Per-query scratch over entries (blocking values, and a copy for selection). */
  readonly valueScratch: Float64Array;
  readonly selectScratch: Float64Array;
  readonly touchedScratch: Int32Array;
  /** Per-query scratch: the blocking's candidates and their shares, the query's word weights. */
  readonly candidateScratch = new Int32Array(MAX_CANDIDATES);
  readonly shareScratch = new Float64Array(MAX_CANDIDATES);
  readonly weightScratch = new Float64Array(SCRATCH_TOKENS);
  readonly bestScratch = new Float64Array(SCRATCH_TOKENS);
  /**
   * The most common words (longest postings) each get a bit: `commonBit[t]` (-1 for the others),
   * and `commonMask[2e]`, `commonMask[2e + 1]` hold the bits of entry e's common words, so that
   * blocking can tell whether an entry holds a common word without reading its word list.
   */
  readonly commonBit: Int8Array;
  readonly commonMask: Int32Array;
  private readonly fuzzyKeys = new Map<string, number[]>();
  /** Words of names (not of acronyms): only these are looked up as truncations or typos. */
  private readonly nameWords = new Set<number>();
  private readonly tokenCache = new Map<string, TokenMatch>();
  /** Name words longer than four letters by their first four letters (ascending ids). */
  private readonly fourLetterPrefixes = new Map<string, number[]>();

  /**
   * @param items the things to index, in order (index i is item i)
   * @param base document frequencies of a larger corpus to add to these (so that a small index
   *   still knows that "association" is a common word)
   */
  constructor(items: readonly IndexedNames[], base?: { df: Map<string, number>; n: number }) {
    this.size = items.length;
    const compactOf = (a: string) => normalise(a).replace(/ /g, '');
    const explicit = new Set<string>();
    for (const it of items) for (const a of it.acronyms) explicit.add(compactOf(a));
    // Each name normalised once: its tokens give both its words and its initials.
    const nameTokens = items.map((it) => it.names.map((n) => normalise(n)));
    const derivedCount = new Map<string, number>();
    const derivedOf = items.map((it, e) => {
      const d = new Set<string>();
      it.names.forEach((_, j) => {
        const n = nameTokens[e]?.[j] ?? '';
        for (const a of initialsOfTokens(n ? n.split(' ') : []))
          if (a.length >= 3 && !explicit.has(a)) d.add(a);
      });
      for (const a of d) derivedCount.set(a, (derivedCount.get(a) ?? 0) + 1);
      return d;
    });
    const formStart = [0];
    const formWordStart = [0];
    const formWords: number[] = [];
    const formFactor: number[] = [];
    const entryStart = [0];
    const entryWords: number[] = [];
    const acronymStart = [0];
    const acronymWords: number[] = [];
    const seen = new Set<string>();
    const words = new Set<number>();
    items.forEach((it, e) => {
      seen.clear();
      const first = formFactor.length;
      const add = (toks: string[], factor: number) => {
        const key = toks.join(' ');
        if (!toks.length || seen.has(key)) return;
        seen.add(key);
        if (factor === 1) {
          const list = this.exactForms.get(key);
          if (!list) this.exactForms.set(key, [e]);
          else if (list[list.length - 1] !== e) list.push(e);
        }
        for (const t of toks) formWords.push(this.intern(t));
        formWordStart.push(formWords.length);
        formFactor.push(factor);
      };
      it.names.forEach((n, j) => {
        add(expandAbbreviations(nameTokens[e]?.[j] ?? ''), 1);
        // "Hyper-Super" is also typed "HyperSuper", "Sid'action" as "Sidaction".
        if (JOINER.test(n) && /\p{L}[-'’]\p{L}/u.test(n))
          add(mentionTokens(n.replace(/(\p{L})[-'’](?=\p{L})/gu, '$1')), 1);
      });
      for (let k = formWordStart[first] as number; k < formWords.length; k++)
        this.nameWords.add(formWords[k] as number);
      const acr = new Set<number>();
      for (const a of it.acronyms) {
        const na = normalise(a);
        add(expandAbbreviations(na), 1);
        const compact = na.replace(/ /g, '');
        add(expandAbbreviations(compact), 1);
        const firstWord = na.split(' ')[0] ?? '';
        for (const w of [compact, firstWord]) {
          const id = this.vocab.get(w);
          if (w.length >= 3 && id !== undefined) acr.add(id);
        }
      }
      for (const t of acr) acronymWords.push(t);
      acronymStart.push(acronymWords.length);
      for (const a of derivedOf[e] ?? []) {
        if (derivedCount.get(a) === 1) add(expandAbbreviations(a), 0.9);
      }
      formStart.push(formFactor.length);
      words.clear();
      for (let k = formWordStart[first] as number; k < formWords.length; k++)
        words.add(formWords[k] as number);
      for (const t of words) entryWords.push(t);
      entryStart.push(entryWords.length);
    });
    this.formStart = Int32Array.from(formStart);
    this.formWordStart = Int32Array.from(formWordStart);
    this.formWords = Int32Array.from(formWords);
    this.formFactor = Float64Array.from(formFactor);
    this.entryStart = Int32Array.from(entryStart);
    this.entryWords = Int32Array.from(entryWords);
    this.acronymStart = Int32Array.from(acronymStart);
    this.acronymWords = Int32Array.from(acronymWords);
    // Postings: views on one array, filled entry by entry (so each list ascends).
    const nWords = this.words.length;
    const df = new Int32Array(nWords);
    for (let k = 0; k < this.entryWords.length; k++) {
      const t = this.entryWords[k] as number;
      df[t] = (df[t] as number) + 1;
    }
    const postStart = new Int32Array(nWords + 1);
    for (let t = 0; t < nWords; t++) postStart[t + 1] = (postStart[t] as number) + (df[t] as number);
    const all = new Int32Array(this.entryWords.length);
    const fill = postStart.slice(0, nWords);
    for (let e = 0; e < this.size; e++) {
      for (let k = this.entryStart[e] as number; k < (this.entryStart[e + 1] as number); k++) {
        const t = this.entryWords[k] as number;
        all[fill[t] as number] = e;
        fill[t] = (fill[t] as number) + 1;
      }
    }
    this.postings = Array.from(this.words, (_, t) => all.subarray(postStart[t], postStart[t + 1]));
    this.commonBit = new Int8Array(nWords).fill(-1);
    this.commonMask = new Int32Array(2 * this.size);
    const byLength = this.words.map((_, t) => t).sort((a, b) => (df[b] as number) - (df[a] as number));
    for (let b = 0; b < 64 && b < byLength.length; b++) {
      const t = byLength[b] as number;
      this.commonBit[t] = b;
      const slot = b >> 5;
      const bit = 1 << (b & 31);
      for (const e of this.postings[t] as Int32Array)
        this.commonMask[2 * e + slot] = (this.commonMask[2 * e + slot] as number) | bit;
    }
    this.simScratch = new Float64Array(this.words.length);
    this.sourceScratch = new Int32Array(this.words.length).fill(-1);
    this.sourceSimScratch = new Float64Array(this.words.length);
    this.accScratch = new Float64Array(this.size);
    this.valueScratch = new Float64Array(this.size);
    this.selectScratch = new Float64Array(this.size);
    this.touchedScratch = new Int32Array(this.size);
    const n = this.size + (base?.n ?? 0);
    this.idf = Float64Array.from(this.words, (w, t) => {
      const df = (this.postings[t]?.length ?? 0) + (base?.df.get(w) ?? 0);
      return Math.log(1 + n / Math.max(1, df));
    });
    this.maxIdf = Math.log(1 + Math.max(1, n));
    this.formWeight = new Float64Array(formFactor.length);
    for (let f = 0; f < formFactor.length; f++) {
      let w = 0;
      for (let k = formWordStart[f] as number; k < (formWordStart[f + 1] as number); k++)
        w += this.idf[formWords[k] as number] as number;
      this.formWeight[f] = w;
    }
    this.words.forEach((w, t) => {
      if (w.length < MIN_FUZZY || !this.nameWords.has(t)) return;
      if (w.length > MIN_FUZZY) {
        const p = w.slice(0, MIN_FUZZY);
        const list = this.fourLetterPrefixes.get(p);
        if (list) list.push(t);
        else this.fourLetterPrefixes.set(p, [t]);
      }
      const keys = new Set<string>([w, ...deletes(w)]);
      for (let l = MIN_PREFIX_KEY; l < w.length; l++) {
        const p = w.slice(0, l);
        keys.add(p);
      }
      for (const k of keys) {
        const list = this.fuzzyKeys.get(k);
        if (!list) this.fuzzyKeys.set(k, [t]);
        else if (list[list.length - 1] !== t) list.push(t);
      }
    });
  }

  /** Document frequencies by word, to pass as `base` to a smaller index. */
  documentFrequencies(): { df: Map<string, number>; n: number } {
    const df = new Map<string, number>();
    this.words.forEach((w, t) => {
      df.set(w, this.postings[t]?.length ?? 0);
    });
    return { df, n: this.size };
  }

  private intern(t: string): number {
    let id = this.vocab.get(t);
    if (id === undefined) {
      id = this.words.length;
      this.vocab.set(t, id);
      this.words.push(t);
    }
    return id;
  }

  /**
   * Vocabulary words a query token may stand for: itself (1), the word it is a prefix of
   * (a truncation, 0.75–0.95), the word it is one typo away from (0.9), or a typo in a prefix (0.7–0.85).
   */
  tokenMatches(q: string): TokenMatch {
    const hit = this.tokenCache.get(q);
    if (hit) return hit;
    const best = new Map<number, number>();
    const exact = this.vocab.get(q);
    if (exact !== undefined) best.set(exact, 1);
    if (q.length >= MIN_FUZZY && !/^\d+$/.test(q)) {
      const cands = new Set<number>();
      for (const k of [q, ...deletes(q)]) for (const t of this.fuzzyKeys.get(k) ?? []) cands.add(t);
      if (q.length === MIN_FUZZY) {
        // four letters: prefixes are not in the key index (too many); the longer name words
        // starting with them are listed apart.
        for (const t of this.fourLetterPrefixes.get(q) ?? []) cands.add(t);
      }
      for (const t of cands) {
        if (t === exact) continue;
        const w = this.words[t] ?? '';
        let sim = 0;
        if (w.length > q.length && w.startsWith(q)) sim = 0.75 + 0.2 * (q.length / w.length);
        else if (q.length >= MIN_TYPO && osaDistance(q, w, 1) <= 1) sim = 0.9;
        else if (w.length > q.length && q.length >= MIN_PREFIX_KEY) {
          for (const l of [q.length - 1, q.length, q.length + 1]) {
            if (l < w.length && osaDistance(q, w.slice(0, l), 1) <= 1) {
              sim = 0.7 + 0.15 * (l / w.length);
              break;
            }
          }
        }
        if (sim > (best.get(t) ?? 0)) best.set(t, sim);
      }
    }
    const ids = [...best.keys()];
    const m: TokenMatch = { ids, sims: ids.map((t) => best.get(t) ?? 0) };
    if (this.tokenCache.size > 200_000) this.tokenCache.clear();
    this.tokenCache.set(q, m);
    return m;
  }
}

function deletes(w: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
  return out;
}
