import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/dataset/index.js';
import { loadCairnetInstrument } from '../../src/instrument/index.js';
import { evaluatePlan } from '../../src/plan/evaluate-plan.js';
import { parsePlan } from '../../src/plan/parse-plan.js';

const { codebook } = loadCairnetInstrument();

const PLAN = parsePlan(`version: 1
instrument: cairnet
derived:
  - name: ongoing
    when: { var: relation, in: [ongoing] }
indicators:
  - id: relation
    label: { fr: "relation", en: "relation" }
    estimate: { distribution: relation }
    by: gender
  - id: ongoing
    label: { fr: "suivie", en: "ongoing" }
    estimate: { proportion: { flag: ongoing } }
    among: { answered: relation }
    by: age_band
`);

const answers = fc.record(
  {
    relation: fc.constantFrom('never', 'short_term', 'ongoing'),
    gender: fc.constantFrom('woman', 'man', 'undisclosed'),
    age_band: fc.constantFrom('lt30', '30_34', '50_54', '60plus'),
  },
  { requiredKeys: ['gender'] },
);

async function evaluate(rows: Record<string, unknown>[]) {
  const dataset = await buildDataset(
    codebook,
    rows.map((data) => ({ data })),
    { variables: ['relation', 'gender', 'age_band'] },
  );
  return evaluatePlan(PLAN, codebook, dataset);
}

describe('plan results, whatever the answers', () => {
  it('give level shares that sum to one, overall and in every non-empty group', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(answers, { minLength: 1, maxLength: 80 }), async (rows) => {
        fc.pre(rows.some((r) => r.relation !== undefined));
        const dist = (await evaluate(rows)).indicators[0]!;
        const sum = (levels: { estimate: number | null }[]) =>
          levels.reduce((s, l) => s + (l.estimate ?? 0), 0);
        expect(sum(dist.levels!)).toBeCloseTo(1, 12);
        for (const g of dist.groups!) if (g.n > 0) expect(sum(g.levels!)).toBeCloseTo(1, 12);
        expect(dist.groups!.reduce((s, g) => s + g.n, 0)).toBe(dist.n);
      }),
      { numRuns: 60 },
    );
  });

  it('do not depend on the order of the responses', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(answers, { minLength: 1, maxLength: 60 })
          .chain((rows) =>
            fc.tuple(
              fc.constant(rows),
              fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
            ),
          ),
        async ([rows, shuffled]) => {
          fc.pre(rows.some((r) => r.relation !== undefined));
          const a = await evaluate(rows);
          const b = await evaluate(shuffled);
          expect(b.indicators).toEqual(a.indicators);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('flag a cell as suppressed exactly when it or its complement counts fewer than 5', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(answers, { minLength: 1, maxLength: 80 }), async (rows) => {
        fc.pre(rows.some((r) => r.relation !== undefined));
        const p = (await evaluate(rows)).indicators[1]!;
        for (const c of [p, ...p.groups!]) {
          if (c.n === 0) continue;
          expect(c.suppressed).toBe(c.count! < 5 || c.n - c.count! < 5);
          expect(c.fragile).toBe(c.n < 30);
        }
      }),
      { numRuns: 60 },
    );
  });
});
