/**
 * The reviewers' decisions replayed from the start, in order, over the matcher's assignment:
 * the one place where decisions move mentions. Each decision moves only the mentions it names
 * (all the mentions sharing a named text's key); nothing else changes.
 */
import { type Decision, namedMentions } from './decision.js';
import type { EntryMatch } from './registry-matcher.js';
import { mentionKey } from './registry-matcher.js';

/** Where a group of mentions with the same text (a "unit") stands after each decision. */
export interface UnitState {
  key: string;
  /** The entry it is matched to (by the matcher or a decision), or null. */
  match: EntryMatch | null;
  /** Its group: the entry's id when matched, else a candidate group (`new:…`, `split:…`). */
  group: string;
  uncertain: boolean;
  decidedBy?: Decision['kind'];
}

export interface ReplayContext {
  /** The units of each key. */
  unitsByKey: ReadonlyMap<string, readonly number[]>;
  /** Entry names by id, for the registry as it stands at the decision. */
  entryAt(position: number, id: string): { id: string; name: string } | undefined;
  /** The candidate group a key falls back to when it has no entry. */
  homeGroup(key: string): string;
  /** The matcher's answer for a unit, never one of `exclude`. */
  rematch(unit: number, exclude: ReadonlySet<string>): EntryMatch | null;
}

function toEntry(s: UnitState, e: { id: string; name: string }, kind: Decision['kind']): void {
  s.match = { id: e.id, name: e.name, score: 1 };
  s.group = e.id;
  s.uncertain = false;
  s.decidedBy = kind;
}

function toGroup(s: UnitState, group: string, kind: Decision['kind']): void {
  s.match = null;
  s.group = group;
  s.uncertain = false;
  s.decidedBy = kind;
}

/** Applies `decisions` in order to `states` (changed in place). */
export function replayDecisions(
  states: UnitState[],
  decisions: readonly Decision[],
  ctx: ReplayContext,
): void {
  const rejected = new Map<string, Set<string>>();
  const unitsOf = (text: string) => ctx.unitsByKey.get(mentionKey(text)) ?? [];
  decisions.forEach((d, position) => {
    switch (d.kind) {
      case 'accept':
      case 'alias':
      case 'create': {
        const id = d.kind === 'create' ? d.entry.id : d.entryId;
        const entry = ctx.entryAt(position, id);
        if (!entry) return;
        for (const m of namedMentions(d)) {
          rejected.get(mentionKey(m))?.delete(id);
          for (const u of unitsOf(m)) toEntry(states[u] as UnitState, entry, d.kind);
        }
        return;
      }
      case 'reject': {
        const key = mentionKey(d.mention);
        const set = rejected.get(key) ?? new Set<string>();
        set.add(d.entryId);
        rejected.set(key, set);
        for (const u of unitsOf(d.mention)) {
          const s = states[u] as UnitState;
          if (s.match?.id !== d.entryId) continue;
          const next = ctx.rematch(u, set);
          if (next) {
            s.match = next;
            s.group = next.id;
            s.uncertain = false;
            s.decidedBy = 'reject';
          } else toGroup(s, ctx.homeGroup(key), 'reject');
        }
        return;
      }
      case 'merge': {
        const [a, b] = d.mentions.map(unitsOf);
        const sa = states[a?.[0] ?? -1];
        const sb = states[b?.[0] ?? -1];
        if (!sa || !sb || mentionKey(d.mentions[0]) === mentionKey(d.mentions[1])) return;
        const target = sa.match ? sa : sb.match ? sb : sa;
        const { match, group } = target;
        for (const u of [...(a ?? []), ...(b ?? [])]) {
          const s = states[u] as UnitState;
          if (match) toEntry(s, match, 'merge');
          else toGroup(s, group, 'merge');
        }
        return;
      }
      case 'split':
        for (const m of d.mentions) {
          const key = mentionKey(m);
          for (const u of unitsOf(m)) toGroup(states[u] as UnitState, `split:${key}`, 'split');
        }
        return;
    }
  });
}
