/**
 * A searchable index over named things (registry entries, or groups of unmatched mentions):
 * token vocabulary with IDF weights, postings for blocking, a deletion-neighbourhood index for
 * typos and prefixes (truncations), and each entry's forms (name, aliases, acronyms, initials).
 */
import { initialsOf, normalise } from './normalise.js';
import { osaDistance } from './string-distance.js';

/** A thing to index: its names, acronyms (any case). */
export interface IndexedNames {
  names: string[];
  acronyms: string[];
}

export interface Form {
  tokens: Int32Array;
  weight: number;
  /** Score multiplier: 1 for written names and acronyms, lower for acronyms derived from initials. */
  factor: number;
}

/** Common abbreviations typed for generic words. */
const ABBREVIATIONS: Record<string, string> = {
  ass: 'association',
  asso: 'association',
  assoc: 'association',
  assos: 'associations',
  fed: 'federation',
  fede: 'federation',
  fond: 'fondation',
  fondat: 'fondation',
  fr: 'francaise',
  nat: 'nationale',
  st: 'saint',
  rech: 'recherche',
};

/** Normalised tokens with abbreviations expanded: the key under which a mention is matched. */
export function mentionTokens(text: string): string[] {
  const n = normalise(text);
  if (!n) return [];
  return n.split(' ').map((t) => ABBREVIATIONS[t] ?? t);
}

/** Token candidates of a query token: vocabulary ids and similarities. */
export interface TokenMatch {
  ids: number[];
  sims: number[];
}

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
  readonly forms: Form[][] = [];
  /** For each entry, its distinct words (ids). */
  readonly entryTokens: Int32Array[] = [];
  /** Written forms (names, aliases, acronyms; not derived initials) by key: entries holding them. */
  readonly exactForms = new Map<string, number[]>();
  /** Per-query scratch over the vocabulary (best similarity, the query token it came from). */
  readonly simScratch: Float64Array;
  readonly sourceScratch: Int32Array;
  readonly sourceSimScratch: Float64Array;
  /** Per-query scratch over entries (blocking accumulator). */
  readonly accScratch: Float64Array;
  /** For each entry, the one-word forms of its written acronyms (token ids). */
  readonly acronymTokens: Set<number>[] = [];
  private readonly fuzzyKeys = new Map<string, number[]>();
  /** Words of names (not of acronyms): only these are looked up as truncations or typos. */
  private readonly nameWords = new Set<number>();
  private readonly tokenCache = new Map<string, TokenMatch>();

  /**
   * @param items the things to index, in order (index i is item i)
   * @param base document frequencies of a larger corpus to add to these (so that a small index
   *   still knows that "association" is a common word)
   */
  constructor(items: readonly IndexedNames[], base?: { df: Map<string, number>; n: number }) {
    this.size = items.length;
    const explicit = new Set<string>();
    for (const it of items) for (const a of it.acronyms) explicit.add(normalise(a).replace(/ /g, ''));
    const derivedCount = new Map<string, number>();
    const derivedOf = items.map((it) => {
      const d = new Set<string>();
      for (const n of it.names)
        for (const a of initialsOf(n)) if (a.length >= 3 && !explicit.has(a)) d.add(a);
      for (const a of d) derivedCount.set(a, (derivedCount.get(a) ?? 0) + 1);
      return d;
    });
    const lists: number[][] = [];
    items.forEach((it, e) => {
      const forms: Form[] = [];
      const seen = new Set<string>();
      const add = (text: string, factor: number) => {
        const toks = mentionTokens(text);
        const key = toks.join(' ');
        if (!toks.length || seen.has(key)) return;
        seen.add(key);
        if (factor === 1) {
          const list = this.exactForms.get(key);
          if (!list) this.exactForms.set(key, [e]);
          else if (list[list.length - 1] !== e) list.push(e);
        }
        forms.push({ tokens: Int32Array.from(toks.map((t) => this.intern(t))), weight: 0, factor });
      };
      for (const n of it.names) {
        add(n, 1);
        // "Hyper-Super" is also typed "HyperSuper", "Sid'action" as "Sidaction".
        if (/\p{L}[-'’]\p{L}/u.test(n)) add(n.replace(/(\p{L})[-'’](?=\p{L})/gu, '$1'), 1);
      }
      for (const f of forms) for (const t of f.tokens) this.nameWords.add(t);
      const acr = new Set<number>();
      for (const a of it.acronyms) {
        add(a, 1);
        const compact = normalise(a).replace(/ /g, '');
        add(compact, 1);
        const first = normalise(a).split(' ')[0] ?? '';
        for (const w of [compact, first]) {
          const id = this.vocab.get(w);
          if (w.length >= 3 && id !== undefined) acr.add(id);
        }
      }
      this.acronymTokens.push(acr);
      for (const a of derivedOf[e] ?? []) {
        if (derivedCount.get(a) === 1) add(a, 0.9);
      }
      this.forms.push(forms);
      const v = new Set<number>();
      for (const f of forms) for (const t of f.tokens) v.add(t);
      this.entryTokens.push(Int32Array.from(v));
      for (const t of v) {
        const list = lists[t];
        if (list) list.push(e);
        else lists[t] = [e];
      }
    });
    this.postings = Array.from(this.words, (_, t) => Int32Array.from(lists[t] ?? []));
    this.simScratch = new Float64Array(this.words.length);
    this.sourceScratch = new Int32Array(this.words.length).fill(-1);
    this.sourceSimScratch = new Float64Array(this.words.length);
    this.accScratch = new Float64Array(this.size);
    const n = this.size + (base?.n ?? 0);
    this.idf = Float64Array.from(this.words, (w, t) => {
      const df = (this.postings[t]?.length ?? 0) + (base?.df.get(w) ?? 0);
      return Math.log(1 + n / Math.max(1, df));
    });
    this.maxIdf = Math.log(1 + Math.max(1, n));
    for (const forms of this.forms) {
      for (const f of forms) f.weight = f.tokens.reduce((s, t) => s + (this.idf[t] ?? 0), 0);
    }
    this.words.forEach((w, t) => {
      if (w.length < MIN_FUZZY || !this.nameWords.has(t)) return;
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
        // four letters: prefixes are not in the key index (too many); scan by first letters.
        for (const [w, t] of this.vocab) {
          if (w.length > q.length && w.startsWith(q) && this.nameWords.has(t)) cands.add(t);
        }
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
