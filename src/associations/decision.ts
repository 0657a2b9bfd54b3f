import type { RegistryEntry } from './registry-entry.js';

/**
 * A reviewer's decision, as plain data that can be stored and replayed. Mentions are named by
 * their text; a decision applies to every mention with the same normalised text
 * ({@link mentionKey}), so "AFM " and "afm" are one. Decisions are replayed in the order they
 * were taken, from the start (src/associations/replay-decisions.ts); each one moves only the
 * mentions it names:
 *
 * - `accept`: the mention (or each of `mentions`: a whole candidate group at once) names this
 *   entry, whatever the matcher says.
 * - `reject`: the mention does not name this entry; if it is there, the matcher looks for another
 *   entry (never one rejected for it), or none.
 * - `merge`: the two mentions name one association: the second joins the first's entry or group
 *   (or, when only the second is at an entry, the first joins it).
 * - `split`: each listed mention leaves its entry or group and stands alone.
 * - `create`: a new registry entry; the listed mentions (and only they) move to it. Mentions of
 *   responses that arrive later are matched against it.
 * - `alias`: the mention names this entry, and its text becomes one of the entry's names, so that
 *   mentions of responses that arrive later match it without review.
 */
export type Decision =
  | { kind: 'accept'; mention: string; entryId: string }
  | { kind: 'accept'; mentions: string[]; entryId: string }
  | { kind: 'reject'; mention: string; entryId: string }
  | { kind: 'merge'; mentions: [string, string] }
  | { kind: 'split'; mentions: string[] }
  | { kind: 'create'; entry: RegistryEntry; mentions: string[] }
  | { kind: 'alias'; mention: string; entryId: string };

/** The mention texts a decision names (the only ones it can move). */
export function namedMentions(d: Decision): string[] {
  if ('mentions' in d) return [...d.mentions];
  return [d.mention];
}

/** The registry entry a decision refers to, if any (the created one for `create`). */
export function decisionEntryId(d: Decision): string | undefined {
  if (d.kind === 'create') return d.entry.id;
  return 'entryId' in d ? d.entryId : undefined;
}
