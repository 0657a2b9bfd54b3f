import fc from 'fast-check';
import type { Decision } from '../../src/associations/decision.js';
import type { MentionInput, ReconciledMention } from '../../src/associations/reconcile.js';
import { loadSeedRegistry } from '../../src/associations/seed-registry.js';

/** Random mention sets and random sequences of decisions and undos (test/associations). */
export const registry = loadSeedRegistry().slice(0, 40);
/** Texts that match an entry, nearly match one, or match none (some alike, some not). */
export const POOL = [
  'AFM',
  'afm telethon',
  'Vaincre la muco',
  'Vaincre la Mucoviscidose',
  'Ligue contre le cancer comité 75',
  'ligue contre le cancer',
  'Les Petits Bourdons',
  'les petits bourdons paris',
  'Kourir',
  'Association des amis de Kourir',
  'France Alzheimer et maladies apparentées',
  'Renaloo',
  'Association X',
  'Zébulon contre tout',
];
export const CREATED = ['N1', 'N2', 'N3'];

export type Step = { undo: number } | { decision: Decision };

const text = fc.constantFrom(...POOL);
const entryId = fc.constantFrom(...registry.slice(0, 12).map((e) => e.id), ...CREATED);
const decision: fc.Arbitrary<Decision> = fc.oneof(
  fc.record({ kind: fc.constant('accept' as const), mention: text, entryId }),
  fc.record({
    kind: fc.constant('accept' as const),
    mentions: fc.uniqueArray(text, { minLength: 1, maxLength: 3 }),
    entryId,
  }),
  fc.record({ kind: fc.constant('reject' as const), mention: text, entryId }),
  fc.record({ kind: fc.constant('alias' as const), mention: text, entryId }),
  fc.tuple(text, text).map(([a, b]): Decision => ({ kind: 'merge', mentions: [a, b] })),
  fc.record({
    kind: fc.constant('split' as const),
    mentions: fc.uniqueArray(text, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ id: fc.constantFrom(...CREATED), mentions: fc.uniqueArray(text, { maxLength: 3 }) }).map(
    ({ id, mentions }): Decision => ({
      kind: 'create',
      entry: { id, name: `Entrée ${id} créée`, acronyms: [], aliases: [], area: '', origin: 'real' },
      mentions,
    }),
  ),
);
export const steps: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: decision.map((d) => ({ decision: d })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }).map((k) => ({ undo: k })) },
  ),
  { minLength: 1, maxLength: 14 },
);
export const mentionSets: fc.Arbitrary<MentionInput[]> = fc
  .array(
    fc.tuple(
      text,
      fc.constantFrom(
        (s: string) => s,
        (s: string) => s.toUpperCase(),
        (s: string) => ` ${s} `,
      ),
    ),
    {
      minLength: 1,
      maxLength: 25,
    },
  )
  .map((list) =>
    list.map(([t, f], i) => ({ id: `r${i % 9}#${i}`, text: f(t), at: '2012-06-01T00:00:00.000Z' })),
  );

/** An assignment: each mention's entry (`E:id`) or group (`G:id`). */
export function assignment(out: readonly ReconciledMention[]): string[] {
  return out.map((m) => (m.match ? `E:${m.match.id}` : `G:${m.group}`));
}
