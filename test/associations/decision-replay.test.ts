import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { namedMentions } from '../../src/associations/decision.js';
import {
  createReconciler,
  type LoggedDecision,
  type MentionInput,
  mentionKey,
  type ReconciledMention,
} from '../../src/associations/reconcile.js';
import type { RegistryEntry } from '../../src/associations/registry-entry.js';
import { checkDecision } from '../../src/store/repositories/association-decisions.js';
import { assignment, mentionSets, registry, steps } from './decision-arbitraries.js';

function reconcile(mentions: MentionInput[], log: readonly LoggedDecision[]) {
  const rec = createReconciler(registry, log);
  return { out: rec.reconcile(mentions), registry: rec.registry };
}

/** The invariants that hold after every step, whatever the log. */
function checkInvariants(
  mentions: MentionInput[],
  log: readonly LoggedDecision[],
  out: readonly ReconciledMention[],
  full: readonly RegistryEntry[],
  base: readonly ReconciledMention[],
): void {
  const ids = new Set(full.map((e) => e.id));
  const named = new Set(log.flatMap((d) => namedMentions(d.decision).map(mentionKey)));
  out.forEach((m, i) => {
    // exactly one entry or group
    if (m.match) {
      expect(m.group).toBe(m.match.id);
      expect(ids.has(m.match.id)).toBe(true);
    } else {
      expect(ids.has(m.group)).toBe(false);
    }
    // an entry only through the matcher or a decision naming the mention
    if (m.match && m.match.id !== base[i]?.match?.id) expect(named.has(m.key), mentions[i]?.text).toBe(true);
  });
}

describe('decisions replayed from the start', () => {
  it('keep the invariants after every accept, reject, merge, split, create, alias and undo', () => {
    fc.assert(
      fc.property(mentionSets, steps, (mentions, plan) => {
        const base = reconcile(mentions, []).out;
        const log: LoggedDecision[] = [];
        const history: string[][] = [assignment(base)];
        let clock = 0;
        for (const step of plan) {
          const before = history.at(-1) as string[];
          if ('undo' in step) {
            const k = Math.min(step.undo, log.length);
            log.splice(log.length - k, k);
            history.splice(history.length - k, k);
            const { out } = reconcile(mentions, log);
            // undoing the last k decisions gives what never making them gave
            expect(assignment(out)).toEqual(history.at(-1));
            continue;
          }
          const d = step.decision;
          const current = reconcile(mentions, log);
          try {
            checkDecision(d, {
              entryIds: new Set(current.registry.map((e) => e.id)),
              mentionKeys: new Set(current.out.map((m) => m.key).filter((k) => k !== '')),
            });
          } catch {
            continue; // refused at the boundary: nothing stored
          }
          clock++;
          log.push({ decision: d, at: `2026-01-01T00:00:${String(clock).padStart(2, '0')}.000Z` });
          const { out, registry: full } = reconcile(mentions, log);
          const after = assignment(out);
          checkInvariants(mentions, log, out, full, base);
          const keys = new Set(namedMentions(d).map(mentionKey));
          // a decision moves only the mentions it names
          out.forEach((m, i) => {
            if (after[i] !== before[i]) expect(keys.has(m.key)).toBe(true);
          });
          if (d.kind === 'create' || d.kind === 'accept' || d.kind === 'alias') {
            const id = d.kind === 'create' ? d.entry.id : d.entryId;
            // the named mentions, and only they, are at the entry now
            for (const m of out) if (keys.has(m.key)) expect(m.match?.id).toBe(id);
          }
          if (d.kind === 'split') {
            // each listed mention stands alone: its group holds no other text
            for (const m of out) {
              if (!keys.has(m.key)) continue;
              expect(m.match).toBeNull();
              expect(out.filter((o) => o.group === m.group).every((o) => o.key === m.key)).toBe(true);
            }
          }
          if (d.kind === 'merge') {
            const [a, b] = d.mentions.map(mentionKey);
            const ga = out.find((m) => m.key === a)?.group;
            expect(out.find((m) => m.key === b)?.group).toBe(ga);
          }
          history.push(after);
        }
        // the log replayed again, by a new reconciler, gives the same assignment
        expect(
          assignment(
            reconcile(
              mentions,
              log.map((d) => ({ ...d })),
            ).out,
          ),
        ).toEqual(history.at(-1));
      }),
      { numRuns: Number(process.env.CAIRNET_FUZZ_RUNS ?? 150) },
    );
  });

  it('reproduces issue 12: merge, split, then create moves exactly the listed mention', () => {
    const mentions: MentionInput[] = [
      { id: 'a1#1', text: 'Ligue contre le cancer comité 75', at: '2012-01-01T00:00:00.000Z' },
      { id: 'a2#1', text: 'Ligue contre le cancer comité 75', at: '2012-01-01T00:00:00.000Z' },
      { id: 'x1#1', text: 'Association X', at: '2012-01-01T00:00:00.000Z' },
    ];
    const A = 'Ligue contre le cancer comité 75';
    const X = 'Association X';
    const entry: RegistryEntry = {
      id: 'NX',
      name: 'Association X',
      acronyms: [],
      aliases: [],
      area: '',
      origin: 'real',
    };
    const log: LoggedDecision[] = [
      { decision: { kind: 'merge', mentions: [A, X] }, at: '2026-01-01T00:00:01Z' },
      { decision: { kind: 'split', mentions: [A, X] }, at: '2026-01-01T00:00:02Z' },
      { decision: { kind: 'create', entry, mentions: [X] }, at: '2026-01-01T00:00:03Z' },
    ];
    const out = createReconciler(registry, log).reconcile(mentions);
    expect(out[2]).toMatchObject({ group: 'NX', match: { id: 'NX' }, decidedBy: 'create' });
    // A's respondents stay where the split left them: alone, apart from X
    expect(out[0]?.match).toBeNull();
    expect(out[0]?.group).toBe(`split:${mentionKey(A)}`);
    expect(out[1]?.group).toBe(out[0]?.group);
  });

  it('matches mentions arriving after a create or an alias against them, and earlier ones not', () => {
    const entry: RegistryEntry = {
      id: 'N9',
      name: 'Les Petits Bourdons',
      acronyms: [],
      aliases: [],
      area: '',
      origin: 'real',
    };
    const log: LoggedDecision[] = [
      { decision: { kind: 'create', entry, mentions: ['les petits bourdons'] }, at: '2026-01-01T00:00:00Z' },
      {
        decision: { kind: 'alias', mention: 'Bourdonnerie de Lyon', entryId: 'N9' },
        at: '2026-01-02T00:00:00Z',
      },
    ];
    const rec = createReconciler(registry, log);
    const out = rec.reconcile([
      { text: 'Petits Bourdons (asso)', at: '2025-12-01T00:00:00Z' },
      { text: 'Petits Bourdons (asso)', at: '2026-01-03T00:00:00Z' },
      { text: 'bourdonnerie de lyon', at: '2026-01-01T12:00:00Z' },
      { text: 'La Bourdonnerie de Lyon', at: '2026-01-03T00:00:00Z' },
    ]);
    expect(out[0]?.match).toBeNull();
    expect(out[1]?.match?.id).toBe('N9');
    expect(out[2]?.match?.id).toBe('N9'); // named by the alias decision itself
    expect(out[3]?.match?.id).toBe('N9');
    expect(rec.registry.find((e) => e.id === 'N9')?.aliases).toEqual(['Bourdonnerie de Lyon']);
  });
});
