import type { RegistryEntry } from './registry-entry.js';

/**
 * A reviewer's decision, as plain data that can be stored and re-applied to later mentions.
 * Mentions are named by their text; decisions apply to every mention with the same
 * normalised text ({@link mentionKey}), so "AFM " and "afm" are one.
 *
 * - `accept`: the mention names this entry (score 1), whatever the matcher says.
 * - `reject`: the mention does not name this entry; the matcher looks for another or none.
 * - `merge`: the groups of the two mentions are one association (the first one's match wins).
 * - `split`: these mentions leave their group and form a group of their own, with no match
 *   (unless an `accept` names one for them).
 * - `create`: a new registry entry; the listed mentions are accepted as naming it, and later
 *   mentions are matched against it.
 */
export type Decision =
  | { kind: 'accept'; mention: string; entryId: string }
  | { kind: 'reject'; mention: string; entryId: string }
  | { kind: 'merge'; mentions: [string, string] }
  | { kind: 'split'; mentions: string[] }
  | { kind: 'create'; entry: RegistryEntry; mentions: string[] };
