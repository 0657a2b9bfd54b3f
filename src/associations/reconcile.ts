/**
 * Reconciliation: each mention matched to a registry entry with a score, mentions matching
 * nothing grouped into candidate new entries, reviewers' decisions applied on top.
 *
 * @example
 * const r = createReconciler(loadSeedRegistry());
 * r.reconcile([{ id: '1', text: 'afm telethon' }, { id: '2', text: 'Vaincre la muco' }]);
 */
import { clusterUnmatched } from './cluster-unmatched.js';
import type { Decision } from './decision.js';
import { nearestEntries } from './nearest-entries.js';
import { fingerprint, MAX_MENTION_LENGTH } from './normalise.js';
import type { RegistryEntry } from './registry-entry.js';
import { mentionTokens, RegistryIndex } from './registry-index.js';

export interface MentionInput {
  id?: string;
  text: string;
}

export interface EntryMatch {
  id: string;
  name: string;
  score: number;
}

export interface ReconciledMention {
  id: string;
  /** The mention as typed, cut to {@link MAX_MENTION_LENGTH} characters. */
  mention: string;
  /** The normalised text decisions refer to. */
  key: string;
  /** Mentions with the same group are judged to name the same association. */
  group: string;
  match: EntryMatch | null;
  /** True when a reviewer should look: a weak score, a close second, or a long text cut. */
  uncertain: boolean;
  truncated: boolean;
  /** The decision that set this mention's match or group, if any. */
  decidedBy?: Decision['kind'];
}

export interface ReconcileOptions {
  /** Lowest score at which a mention is matched to an entry (default 0.75). */
  matchThreshold?: number;
  /** Lowest similarity at which two unmatched mentions are grouped (default 0.8). */
  groupThreshold?: number;
  /** Scores below this are flagged uncertain (default 0.85). */
  sureScore?: number;
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

/** The normalised text under which a mention is matched and decisions are keyed. */
export function mentionKey(text: string): string {
  return mentionTokens(text).join(' ');
}

type MatchResult = { match: EntryMatch | null; uncertain: boolean; decided: boolean };

/** A distinct text of a batch: its key and how it was matched. */
interface Reading {
  key: string;
  result: MatchResult;
}

export interface Reconciler {
  /** The registry with the entries created by decisions. */
  readonly registry: readonly RegistryEntry[];
  reconcile(mentions: readonly MentionInput[]): ReconciledMention[];
}

/** Builds the index once; `reconcile` can then be called on many batches. */
export function createReconciler(
  registry: readonly RegistryEntry[],
  decisions: readonly Decision[] = [],
  options: ReconcileOptions = {},
): Reconciler {
  const matchThreshold = options.matchThreshold ?? 0.75;
  const sure = options.sureScore ?? 0.85;
  const entries = [...registry];
  const accepted = new Map<string, string>();
  const rejected = new Map<string, Set<string>>();
  for (const d of decisions) {
    if (d.kind === 'create') {
      if (!entries.some((e) => e.id === d.entry.id)) entries.push(d.entry);
      for (const m of d.mentions) accepted.set(mentionKey(m), d.entry.id);
    } else if (d.kind === 'accept') {
      accepted.set(mentionKey(d.mention), d.entryId);
      rejected.get(mentionKey(d.mention))?.delete(d.entryId);
    } else if (d.kind === 'reject') {
      const k = mentionKey(d.mention);
      if (accepted.get(k) === d.entryId) accepted.delete(k);
      const set = rejected.get(k) ?? new Set<string>();
      set.add(d.entryId);
      rejected.set(k, set);
    }
  }
  const position = new Map(entries.map((e, i) => [e.id, i]));
  const index = new RegistryIndex(
    entries.map((e) => ({ names: [e.name, ...e.aliases], acronyms: e.acronyms })),
  );
  const base = index.documentFrequencies();

  // Texts that differ only in case, accents or punctuation share a key: each key matched once.
  const byKey = new Map<string, ReturnType<typeof matchKey>>();

  function matchText(
    text: string,
    key: string,
  ): { match: EntryMatch | null; uncertain: boolean; decided: boolean } {
    let first = byKey.get(key);
    if (!first) {
      first = matchKey(key);
      if (byKey.size > 500_000) byKey.clear();
      byKey.set(key, first);
    }
    if (first.decided || (first.match && first.match.score >= sure)) return first;
    let best = first;
    for (const alt of alternativeKeys(text)) {
      const r = matchKey(alt, key);
      if (r.match && (!best.match || r.match.score > best.match.score)) best = r;
    }
    return best;
  }

  function matchKey(
    key: string,
    decisionKey = key,
  ): { match: EntryMatch | null; uncertain: boolean; decided: boolean } {
    const forced = accepted.get(decisionKey);
    const fe = forced === undefined ? undefined : entries[position.get(forced) ?? -1];
    if (fe) return { match: { id: fe.id, name: fe.name, score: 1 }, uncertain: false, decided: true };
    const rej = rejected.get(decisionKey);
    const exclude = rej ? new Set([...rej].map((id) => position.get(id) ?? -1)) : undefined;
    // Shortcut: the key is one entry's written name, alias or acronym, and no other entry's.
    const forms = index.exactForms.get(key);
    const exact = forms && exclude ? forms.filter((i) => !exclude.has(i)) : forms;
    const xe = exact?.length === 1 ? entries[exact[0] as number] : undefined;
    if (xe) return { match: { id: xe.id, name: xe.name, score: 1 }, uncertain: false, decided: !!rej };
    const [best, second] = nearestEntries(index, key.split(' '), { exclude, top: 2 });
    const e = best ? entries[best.entry] : undefined;
    if (!best || !e || best.score < matchThreshold) {
      return {
        match: null,
        uncertain: best !== undefined && best.score >= matchThreshold - 0.1,
        decided: !!rej,
      };
    }
    const close = second !== undefined && best.score - second.score < 0.05;
    const score = Math.round(best.score * 1000) / 1000;
    return {
      match: { id: e.id, name: e.name, score },
      uncertain: best.score < sure || close,
      decided: !!rej,
    };
  }

  return {
    registry: entries,
    reconcile(mentions) {
      // Mentions repeat: each distinct text is normalised once, each distinct reading matched once.
      const readingOf = new Map<string, Reading>();
      const byText = new Map<string, MatchResult>();
      const readings: Reading[] = [];
      const count = new Map<string, number>();
      const unmatchedKeys = new Set<string>();
      for (const m of mentions) {
        const raw = m.text.slice(0, MAX_MENTION_LENGTH);
        let r = readingOf.get(raw);
        if (!r) {
          const key = mentionKey(raw);
          const text = raw.trim().toLowerCase();
          let result = byText.get(text);
          if (!result) {
            result = matchText(text, key);
            byText.set(text, result);
          }
          r = { key, result };
          readingOf.set(raw, r);
        }
        readings.push(r);
        count.set(r.key, (count.get(r.key) ?? 0) + 1);
        if (r.key !== '' && !r.result.match) unmatchedKeys.add(r.key);
      }
      const unmatched = [...unmatchedKeys];
      const roots = clusterUnmatched(unmatched, {
        base,
        threshold: options.groupThreshold,
        counts: unmatched.map((k) => count.get(k) ?? 1),
      });
      const members = new Map<number, string[]>();
      roots.forEach((r, i) => {
        const list = members.get(r) ?? [];
        list.push(unmatched[i] ?? '');
        members.set(r, list);
      });
      const groupOf = new Map<string, string>();
      for (const list of members.values()) {
        const rep = [...list].sort(
          (a, b) => (count.get(b) ?? 0) - (count.get(a) ?? 0) || (a < b ? -1 : 1),
        )[0];
        for (const k of list) groupOf.set(k, `new:${fingerprint(rep ?? k)}`);
      }
      const result = mentions.map((m, i): ReconciledMention => {
        const reading = readings[i];
        const key = reading?.key ?? '';
        const r = reading?.result;
        const truncated = m.text.length > MAX_MENTION_LENGTH;
        return {
          id: m.id ?? String(i + 1),
          mention: truncated ? m.text.slice(0, MAX_MENTION_LENGTH) : m.text,
          key,
          group: r?.match ? r.match.id : key === '' ? 'empty' : (groupOf.get(key) ?? `new:${key}`),
          match: r?.match ?? null,
          uncertain: (r?.uncertain ?? false) || truncated,
          truncated,
          ...(r?.decided ? { decidedBy: accepted.has(key) ? 'accept' : 'reject' } : {}),
        } as ReconciledMention;
      });
      applyGroupDecisions(result, decisions);
      return result;
    },
  };
}

/** Merges and splits, in the order given. */
function applyGroupDecisions(result: ReconciledMention[], decisions: readonly Decision[]): void {
  for (const d of decisions) {
    if (d.kind === 'merge') {
      const [a, b] = d.mentions.map(mentionKey);
      const ga = result.find((m) => m.key === a);
      const gb = result.find((m) => m.key === b);
      if (!ga || !gb || ga.group === gb.group) continue;
      const from = gb.group;
      const match = ga.match ?? gb.match;
      const to = ga.match ? ga.group : gb.match ? gb.group : ga.group;
      for (const m of result) {
        if (m.group === from || m.group === ga.group) {
          m.group = to;
          m.match = match;
          m.decidedBy = 'merge';
        }
      }
    } else if (d.kind === 'split') {
      const keys = new Set(d.mentions.map(mentionKey));
      const first = [...keys][0];
      if (first === undefined) continue;
      for (const m of result) {
        if (keys.has(m.key) && m.decidedBy !== 'accept') {
          m.group = `split:${fingerprint(first)}`;
          m.match = null;
          m.decidedBy = 'split';
        }
      }
    }
  }
}
