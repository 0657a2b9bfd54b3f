/**
 * The matcher: one mention text against one registry (names, aliases, acronyms), with a score.
 * Knows nothing of decisions; {@link ./replay-decisions.ts} applies them on top.
 */
import { nearestEntries } from './nearest-entries.js';
import { MAX_MENTION_LENGTH } from './normalise.js';
import type { RegistryEntry } from './registry-entry.js';
import { mentionTokens, RegistryIndex } from './registry-index.js';

export interface EntryMatch {
  id: string;
  name: string;
  score: number;
}

export interface MatchResult {
  match: EntryMatch | null;
  /** True when a reviewer should look: a weak score, a close second. */
  uncertain: boolean;
}

export interface MatcherOptions {
  /** Lowest score at which a mention is matched to an entry (default 0.75). */
  matchThreshold?: number;
  /** Scores below this are flagged uncertain (default 0.85). */
  sureScore?: number;
}

/** The normalised text under which a mention is matched and decisions are keyed. */
export function mentionKey(text: string): string {
  return mentionTokens(text).join(' ');
}

/**
 * Other readings of a mention, tried besides its key: without a bracketed part and the bracketed
 * part alone ("AIDES (VIH)", "… (AFM)"), with hyphens and apostrophes joined ("Sid'action"),
 * with letters and digits apart ("trisomie21").
 */
export function alternativeKeys(text: string): string[] {
  const t = text.slice(0, MAX_MENTION_LENGTH);
  const out = new Set<string>();
  const bracket = /[([«"]([^)\]»"]+)[)\]»"]/.exec(t);
  // A one-word part alone (an acronym) is not a reading: "Fédération des aphasiques (FAF)" must
  // not become whatever "FAF" might be.
  const part = (s: string) => {
    const k = mentionKey(s);
    if (k.includes(' ')) out.add(k);
  };
  if (bracket) {
    out.add(mentionKey(t.replace(bracket[0], ' ')));
    part(bracket[1] ?? '');
  }
  for (const sep of [' - ', ' : ', ', ', ' / ']) {
    const at = t.indexOf(sep);
    if (at > 0) {
      part(t.slice(0, at));
      part(t.slice(at + sep.length));
    }
  }
  out.add(mentionKey(t.replace(/(\p{L})[-'’](?=\p{L})/gu, '$1')));
  out.add(mentionKey(t.replace(/(\p{L})(?=\d)|(\d)(?=\p{L})/gu, '$1$2 ')));
  out.delete('');
  out.delete(mentionKey(t));
  return [...out];
}

/** Matches texts against one registry; the index is built once. */
export class RegistryMatcher {
  readonly index: RegistryIndex;
  private readonly position: Map<string, number>;
  private readonly byKey = new Map<string, MatchResult>();
  private readonly matchThreshold: number;
  private readonly sure: number;

  constructor(
    readonly entries: readonly RegistryEntry[],
    options: MatcherOptions = {},
  ) {
    this.matchThreshold = options.matchThreshold ?? 0.75;
    this.sure = options.sureScore ?? 0.85;
    this.position = new Map(entries.map((e, i) => [e.id, i]));
    this.index = new RegistryIndex(
      entries.map((e) => ({ names: [e.name, ...e.aliases], acronyms: e.acronyms })),
    );
  }

  /**
   * The best entry for a text (`key` is its {@link mentionKey}), never one of `exclude` (ids).
   * Texts that differ only in case, accents or punctuation share a key: matched once.
   */
  match(text: string, key: string, exclude?: ReadonlySet<string>): MatchResult {
    const ex = exclude?.size ? new Set([...exclude].map((id) => this.position.get(id) ?? -1)) : undefined;
    let first = ex ? undefined : this.byKey.get(key);
    if (!first) {
      first = this.matchKey(key, ex);
      if (!ex) {
        if (this.byKey.size > 500_000) this.byKey.clear();
        this.byKey.set(key, first);
      }
    }
    if (first.match && first.match.score >= this.sure) return first;
    let best = first;
    for (const alt of alternativeKeys(text)) {
      const r = this.matchKey(alt, ex);
      if (r.match && (!best.match || r.match.score > best.match.score)) best = r;
    }
    return best;
  }

  private matchKey(key: string, exclude: ReadonlySet<number> | undefined): MatchResult {
    const { entries, index } = this;
    // Shortcut: the key is one entry's written name, alias or acronym, and no other entry's.
    const forms = index.exactForms.get(key);
    const exact = forms && exclude ? forms.filter((i) => !exclude.has(i)) : forms;
    const xe = exact?.length === 1 ? entries[exact[0] as number] : undefined;
    if (xe) return { match: { id: xe.id, name: xe.name, score: 1 }, uncertain: false };
    const [best, second] = nearestEntries(index, key.split(' '), { ...(exclude ? { exclude } : {}), top: 2 });
    const e = best ? entries[best.entry] : undefined;
    if (!best || !e || best.score < this.matchThreshold) {
      return { match: null, uncertain: best !== undefined && best.score >= this.matchThreshold - 0.1 };
    }
    const close = second !== undefined && best.score - second.score < 0.05;
    return {
      match: { id: e.id, name: e.name, score: Math.round(best.score * 1000) / 1000 },
      uncertain: best.score < this.sure || close,
    };
  }
}
