import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/dataset/index.js';
import { deriveCodebook } from '../../src/instrument/index.js';
import type { InstrumentJson } from '../../src/instrument/types.js';
import { evaluatePlan } from '../../src/plan/evaluate-plan.js';
import { parsePlan } from '../../src/plan/parse-plan.js';

const dir = 'test/plan/fixtures';
const expected = JSON.parse(readFileSync(`${dir}/weighted-plan.json`, 'utf8'));
const rows = parse(readFileSync(`${dir}/weighted-plan.csv`), { columns: true }) as Record<string, string>[];

const instrument: InstrumentJson = {
  pages: [
    {
      name: 'p',
      elements: [
        { type: 'radiogroup', name: 'grp', choices: ['a', 'b', 'c'] },
        { type: 'radiogroup', name: 'y', choices: ['no', 'yes'] },
        { type: 'text', inputType: 'number', name: 'w' },
      ],
    },
  ],
};
const codebook = deriveCodebook(instrument);

const PLAN = `version: 1
instrument: fixture
indicators:
  - id: yes_by_group
    label: { fr: "oui", en: "yes" }
    estimate: { proportion: { var: y, in: ["yes"] } }
    among: { answered: y }
    by: grp
    weights: w
    test: rao_scott
`;

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('a weighted indicator', async () => {
  const dataset = await buildDataset(
    codebook,
    rows.map((r) => ({ data: { grp: r.grp, ...(r.y ? { y: r.y } : {}), w: Number(r.w) } })),
  );
  const results = await evaluatePlan(parsePlan(PLAN), codebook, dataset);
  const ind = results.indicators[0]!;

  it('estimates a design-based proportion with the logit interval of svyciprop, overall and by group', () => {
    expect(ind.weighted).toBe(true);
    expect(ind.method).toMatch(/logit/);
    const cells = [[ind, expected.overall], ...ind.groups!.map((g) => [g, expected[g.group]])] as const;
    for (const [mine, r] of cells) {
      expect(rel(mine.estimate!, r.estimate)).toBeLessThan(1e-9);
      expect(rel(mine.se!, r.se)).toBeLessThan(1e-9);
      expect(rel(mine.ci![0], r.ci[0])).toBeLessThan(1e-9);
      expect(rel(mine.ci![1], r.ci[1])).toBeLessThan(1e-9);
      expect(mine.n).toBe(r.n);
    }
  });

  it("compares the groups with svychisq's Rao-Scott F test", () => {
    const t = ind.test![0]!;
    expect(t.test).toBe('rao_scott');
    expect(rel(t.F!, expected.raoScott.F)).toBeLessThan(1e-9);
    expect(rel(t.ndf!, expected.raoScott.ndf)).toBeLessThan(1e-9);
    expect(rel(t.ddf!, expected.raoScott.ddf)).toBeLessThan(1e-9);
    expect(rel(t.p!, expected.raoScott.p)).toBeLessThan(1e-9);
  });
});
