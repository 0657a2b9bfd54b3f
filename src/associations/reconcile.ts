/**
 * Reconciliation: each mention matched to a registry entry with a score, mentions matching
 * nothing grouped into candidate new entries, then the reviewers' decisions replayed from the
 * start in order. The result is a pure function of (registry, mentions, decisions): the review
 * page, the most cited list, F6, the network and the exports all read it from here.
 *
 * @example
 * const r = createReconciler(loadSeedRegistry());
 * r.reconcile([{ id: '1', text: 'afm telethon' }, { id: '2', text: 'Vaincre la muco' }]);
 */
import { clusterUnmatched } from './cluster-unmatched.js';
import type { Decision } from './decision.js';
import { fingerprint, MAX_MENTION_LENGTH } from './normalise.js';
import type { RegistryEntry } from './registry-entry.js';
import {
  type EntryMatch,
  type MatcherOptions,
  type MatchResult,
  mentionKey,
  RegistryMatcher,
} from './registry-matcher.js';
import { replayDecisions, type UnitState } from './replay-decisions.js';

export type { EntryMatch } from './registry-matcher.js';
export { alternativeKeys, mentionKey } from './registry-matcher.js';

export interface MentionInput {
  id?: string;
  text: string;
  /**
   * When the mention arrived (the response's completion, ISO 8601). Entries and aliases that a
   * decision adds are matched only against mentions arriving after it; without `at`, against all.
   */
  at?: string;
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
  /** The last decision that moved this mention, if any. */
  decidedBy?: Decision['kind'];
}

export interface ReconcileOptions extends MatcherOptions {
  /** Lowest similarity at which two unmatched mentions are grouped (default 0.8). */
  groupThreshold?: number;
}

/** A decision of the log, with when it was taken (entries it adds are matched after that). */
export interface LoggedDecision {
  decision: Decision;
  at?: string;
}

export interface Reconciler {
  /** The registry with the entries and aliases added by decisions. */
  readonly registry: readonly RegistryEntry[];
  reconcile(mentions: readonly MentionInput[]): ReconciledMention[];
}

/** The registry after the first `count` decisions that change it (`create`, `alias`). */
function registryVersion(
  registry: readonly RegistryEntry[],
  changes: readonly LoggedDecision[],
  count: number,
): RegistryEntry[] {
  const entries = [...registry];
  const at = new Map(entries.map((e, i) => [e.id, i]));
  for (const { decision: d } of changes.slice(0, count)) {
    if (d.kind === 'create' && !at.has(d.entry.id)) {
      at.set(d.entry.id, entries.length);
      entries.push(d.entry);
    } else if (d.kind === 'alias') {
      const i = at.get(d.entryId);
      const e = i === undefined ? undefined : entries[i];
      if (e && i !== undefined && e.name !== d.mention && !e.aliases.includes(d.mention)) {
        entries[i] = { ...e, aliases: [...e.aliases, d.mention] };
      }
    }
  }
  return entries;
}

/** Builds the matchers once; `reconcile` can then be called on many batches. */
export function createReconciler(
  registry: readonly RegistryEntry[],
  decisions: readonly (Decision | LoggedDecision)[] = [],
  options: ReconcileOptions = {},
): Reconciler {
  const log: LoggedDecision[] = decisions.map((d) => ('decision' in d ? d : { decision: d }));
  const changes = log.filter((d) => d.decision.kind === 'create' || d.decision.kind === 'alias');
  const full = registryVersion(registry, changes, changes.length);
  const matchers = new Map<number, RegistryMatcher>();
  const matcher = (version: number) => {
    let m = matchers.get(version);
    if (!m) {
      m = new RegistryMatcher(
        version === changes.length ? full : registryVersion(registry, changes, version),
        options,
      );
      matchers.set(version, m);
    }
    return m;
  };
  matcher(changes.length); // built now, as a reconciler is built once for many batches
  /** How many registry changes a mention arriving at `at` is matched with. */
  const versions = new Map<string, number>();
  const versionAt = (at: string | undefined) => {
    if (at === undefined || changes.length === 0) return changes.length;
    let v = versions.get(at);
    if (v === undefined) {
      v = changes.filter((d) => d.at === undefined || d.at < at).length;
      versions.set(at, v);
    }
    return v;
  };
  const byIdFull = new Map(full.map((e) => [e.id, e]));
  const createdAt = new Map<string, number>();
  log.forEach((d, i) => {
    if (d.decision.kind === 'create' && !createdAt.has(d.decision.entry.id))
      createdAt.set(d.decision.entry.id, i);
  });
  const registryIds = new Set(registry.map((e) => e.id));

  return {
    registry: full,
    reconcile(mentions) {
      // Mentions repeat: each distinct (text, registry version) is a unit, matched once.
      const unitOf = new Map<string, number>();
      const units: { text: string; version: number; key: string; base: MatchResult }[] = [];
      const byText = new Map<string, MatchResult>();
      const unitIndex: number[] = [];
      const count = new Map<string, number>();
      for (const m of mentions) {
        const raw = m.text.slice(0, MAX_MENTION_LENGTH);
        const version = versionAt(m.at);
        // without registry changes there is one version: the text alone is the unit
        const id = changes.length === 0 ? raw : `${version}\u0000${raw}`;
        let u = unitOf.get(id);
        if (u === undefined) {
          const key = mentionKey(raw);
          const lower =
            changes.length === 0 ? raw.trim().toLowerCase() : `${version}\u0000${raw.trim().toLowerCase()}`;
          let base = byText.get(lower);
          if (!base) {
            base = key === '' ? { match: null, uncertain: false } : matcher(version).match(raw, key);
            byText.set(lower, base);
          }
          u = units.length;
          units.push({ text: raw, version, key, base });
          unitOf.set(id, u);
        }
        unitIndex.push(u);
        const key = units[u]?.key ?? '';
        count.set(key, (count.get(key) ?? 0) + 1);
      }
      const unmatched = [...new Set(units.filter((u) => u.key !== '' && !u.base.match).map((u) => u.key))];
      const roots = clusterUnmatched(unmatched, {
        base: matcher(0).index.documentFrequencies(),
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
      const homeGroup = (key: string) => groupOf.get(key) ?? `new:${fingerprint(key)}`;
      const states: UnitState[] = units.map((u) => ({
        key: u.key,
        match: u.base.match,
        group: u.base.match ? u.base.match.id : u.key === '' ? 'empty' : homeGroup(u.key),
        uncertain: u.base.uncertain,
      }));
      if (log.length > 0) {
        const unitsByKey = new Map<string, number[]>();
        units.forEach((u, i) => {
          if (u.key === '') return;
          const list = unitsByKey.get(u.key) ?? [];
          list.push(i);
          unitsByKey.set(u.key, list);
        });
        replayDecisions(
          states,
          log.map((d) => d.decision),
          {
            unitsByKey,
            entryAt: (position, id) => {
              const created = createdAt.get(id);
              if (!registryIds.has(id) && (created === undefined || created > position)) return undefined;
              return byIdFull.get(id);
            },
            homeGroup,
            rematch: (u, exclude) => {
              const unit = units[u];
              return unit ? matcher(unit.version).match(unit.text, unit.key, exclude).match : null;
            },
          },
        );
      }
      return mentions.map((m, i): ReconciledMention => {
        const s = states[unitIndex[i] ?? -1] as UnitState;
        const truncated = m.text.length > MAX_MENTION_LENGTH;
        return {
          id: m.id ?? String(i + 1),
          mention: truncated ? m.text.slice(0, MAX_MENTION_LENGTH) : m.text,
          key: s.key,
          group: s.group,
          match: s.match,
          uncertain: s.uncertain || truncated,
          truncated,
          ...(s.decidedBy ? { decidedBy: s.decidedBy } : {}),
        };
      });
    },
  };
}
