import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/dataset/index.js';
import { deriveCodebook } from '../../src/instrument/index.js';
import type { InstrumentJson } from '../../src/instrument/types.js';
import { evaluatePlan } from '../../src/plan/evaluate-plan.js';
import { parsePlan } from '../../src/plan/parse-plan.js';

// A four-level Likert item (a matrix row: an ordinal variable of the codebook) and a group.
const instrument: InstrumentJson = {
  pages: [
    {
      name: 'p',
      elements: [
        { type: 'radiogroup', name: 'grp', choices: ['x', 'y'] },
        {
          type: 'matrix',
          name: 'op',
          rows: [{ value: 'freedom', text: { default: 'Freedom', fr: 'Liberté' } }],
          columns: [
            { value: 'sd', text: { default: 'Strongly disagree', fr: 'Pas du tout d’accord' } },
            { value: 'd', text: { default: 'Disagree', fr: 'Pas d’accord' } },
            { value: 'a', text: { default: 'Agree', fr: 'D’accord' } },
            { value: 'sa', text: { default: 'Strongly agree', fr: 'Tout à fait d’accord' } },
          ],
        },
        { type: 'text', inputType: 'number', name: 'w' },
      ],
    },
  ],
};
const codebook = deriveCodebook(instrument);

// 50 respondents, counted by hand: 6 strongly disagree, 10 disagree, 18 agree, 10 strongly agree,
// 6 without an answer; group y is respondents 40–49 (4 strongly agree, 6 without an answer).
const level = (i: number) => (i < 6 ? 'sd' : i < 16 ? 'd' : i < 34 ? 'a' : i < 44 ? 'sa' : null);
const rows = Array.from({ length: 50 }, (_, i) => ({
  data: {
    grp: i < 40 ? 'x' : 'y',
    ...(level(i) ? { op: { freedom: level(i) } } : {}),
    w: 1,
  },
}));

const PLAN = `version: 1
instrument: fixture
indicators:
  - id: agree
    label: { fr: "d'accord", en: "agree" }
    estimate: { proportion: { var: op_freedom, in: [a, sa] } }
  - id: disagree
    label: { fr: "pas d'accord", en: "disagree" }
    estimate: { proportion: { var: op_freedom, in: [sd, d] } }
    among: { var: grp, in: [x] }
  - id: small
    label: { fr: "petit groupe", en: "small group" }
    estimate: { proportion: { var: op_freedom, in: [a, sa] } }
    among: { var: grp, in: [y] }
  - id: weighted
    label: { fr: "pondéré", en: "weighted" }
    estimate: { proportion: { var: op_freedom, in: [a, sa] } }
    weights: w
  - id: not_ordered
    label: { fr: "groupe x", en: "group x" }
    estimate: { proportion: { var: grp, in: [x] } }
`;

describe('the whole distribution of a Likert item behind its headline share', async () => {
  const dataset = await buildDataset(codebook, rows);
  const results = await evaluatePlan(parsePlan(PLAN), codebook, dataset);
  const byId = (id: string) => results.indicators.find((i) => i.id === id)!;

  it('gives every level in the codebook order with its wording, counts and shares on the headline base', () => {
    const agree = byId('agree');
    expect([agree.n, agree.count, agree.estimate]).toEqual([50, 28, 0.56]);
    const scale = agree.scale!;
    expect(scale.variable).toBe('op_freedom');
    expect(scale.selected).toEqual(['a', 'sa']);
    expect(scale.n).toBe(50);
    expect(scale.suppressed).toBe(false);
    expect(scale.levels.map((l) => [l.level, l.label.en, l.label.fr, l.count, l.n, l.estimate])).toEqual([
      ['sd', 'Strongly disagree', 'Pas du tout d’accord', 6, 50, 0.12],
      ['d', 'Disagree', 'Pas d’accord', 10, 50, 0.2],
      ['a', 'Agree', 'D’accord', 18, 50, 0.36],
      ['sa', 'Strongly agree', 'Tout à fait d’accord', 10, 50, 0.2],
    ]);
    expect([scale.missing?.count, scale.missing?.estimate]).toEqual([6, 0.12]);
    // the selected levels add up to the headline share
    const selected = scale.levels.filter((l) => scale.selected.includes(l.level));
    expect(selected.reduce((s, l) => s + l.count!, 0)).toBe(agree.count);
  });

  it("gives each level R's prop.test(x, n, correct = FALSE) interval", () => {
    // test/fixtures/r/plan/scale-distribution.R: prop.test(18, 50, correct = FALSE)$conf.int; (6, 50); (10, 50)
    const [sd, d, a] = byId('agree').scale!.levels;
    expect(a!.ci![0]).toBeCloseTo(0.241387496518, 9);
    expect(a!.ci![1]).toBeCloseTo(0.498589831239, 9);
    expect(sd!.ci![0]).toBeCloseTo(0.056176001509, 9);
    expect(sd!.ci![1]).toBeCloseTo(0.238048173832, 9);
    expect(d!.ci![0]).toBeCloseTo(0.112437500158, 9);
  });

  it('counts among the indicator’s base only', () => {
    const scale = byId('disagree').scale!;
    expect(scale.n).toBe(40);
    expect(scale.levels.map((l) => l.count)).toEqual([6, 10, 18, 6]);
    expect(scale.missing).toBeUndefined();
  });

  it('suppresses the whole distribution when one of its cells is under the threshold', () => {
    const small = byId('small');
    // group y: 4 strongly agree, 6 without an answer, no other level
    expect(small.scale!.suppressed).toBe(true);
    expect(small.scale!.levels.every((l) => l.suppressed)).toBe(true);
    expect(small.scale!.missing!.suppressed).toBe(true);
  });

  it('gives the same shares from a weighted design whose weights are all 1', () => {
    const w = byId('weighted').scale!;
    const u = byId('agree').scale!;
    expect(w.levels.map((l) => l.count)).toEqual(u.levels.map((l) => l.count));
    for (const [k, l] of w.levels.entries()) expect(l.estimate).toBeCloseTo(u.levels[k]!.estimate!, 12);
    expect(w.missing!.estimate).toBeCloseTo(0.12, 12);
  });

  it('carries no scale for a share of a variable that is not ordered', () => {
    expect(byId('not_ordered').scale).toBeUndefined();
  });
});

// Three groups of 30, every level of every group at least 5: the distributions within groups
// are published. Counts by hand: x 5/10/10/5, y 6/6/12/6, z 8/7/7/8 (no missing answer).
const GROUP_LEVELS: Record<string, number[]> = { x: [5, 10, 10, 5], y: [6, 6, 12, 6], z: [8, 7, 7, 8] };
const withGroups = (choices: string[]) =>
  ({
    pages: [
      {
        name: 'p',
        elements: [
          { type: 'radiogroup', name: 'grp', choices },
          ...(instrument.pages![0]!.elements as unknown[]).slice(1),
        ],
      },
    ],
  }) as InstrumentJson;
const CODES = ['sd', 'd', 'a', 'sa'];
const groupRows = Object.entries(GROUP_LEVELS).flatMap(([grp, counts]) =>
  counts.flatMap((c, k) =>
    Array.from({ length: c }, () => ({ data: { grp, op: { freedom: CODES[k] }, w: 1 } })),
  ),
);
/** Wilson's score interval at 95% (prop.test without continuity correction), written out. */
const wilson = (x: number, n: number): [number, number] => {
  const z = 1.959963984540054;
  const p = x / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [centre - half, centre + half];
};
const BY_PLAN = `version: 1
instrument: fixture
indicators:
  - id: agree_by
    label: { fr: "d'accord", en: "agree" }
    estimate: { proportion: { var: op_freedom, in: [a, sa] } }
    by: grp
  - id: weighted_by
    label: { fr: "pondéré", en: "weighted" }
    estimate: { proportion: { var: op_freedom, in: [a, sa] } }
    by: grp
    weights: w
`;

describe('the distribution of a Likert item within each group of its breakdown', async () => {
  const cb = deriveCodebook(withGroups(['x', 'y', 'z']));
  const results = await evaluatePlan(parsePlan(BY_PLAN), cb, await buildDataset(cb, groupRows));
  const byId = (id: string) => results.indicators.find((i) => i.id === id)!;

  it('gives each group its levels’ counts and shares on the group’s base, with Wilson intervals', () => {
    const ind = byId('agree_by');
    expect(ind.scale!.levels.map((l) => l.count)).toEqual([19, 23, 29, 19]);
    for (const [grp, counts] of Object.entries(GROUP_LEVELS)) {
      const g = ind.groups!.find((x) => x.group === grp)!;
      expect(g.scale!.n).toBe(30);
      expect(g.scale!.suppressed).toBe(false);
      expect(g.scale!.levels.map((l) => [l.level, l.count])).toEqual(CODES.map((c, k) => [c, counts[k]]));
      for (const [k, l] of g.scale!.levels.entries()) {
        expect(l.estimate).toBeCloseTo(counts[k]! / 30, 12);
        const [lo, hi] = wilson(counts[k]!, 30);
        expect(l.ci![0]).toBeCloseTo(lo, 9);
        expect(l.ci![1]).toBeCloseTo(hi, 9);
      }
      // the group's selected levels add up to its share
      expect(g.scale!.levels[2]!.count! + g.scale!.levels[3]!.count!).toBe(g.count);
    }
  });

  it('gives the same distributions from a weighted design whose weights are all 1', () => {
    const u = byId('agree_by').groups!;
    const w = byId('weighted_by').groups!;
    for (const [k, g] of w.entries()) {
      expect(g.scale!.levels.map((l) => l.count)).toEqual(u[k]!.scale!.levels.map((l) => l.count));
      for (const [j, l] of g.scale!.levels.entries())
        expect(l.estimate).toBeCloseTo(u[k]!.scale!.levels[j]!.estimate!, 12);
    }
  });

  it('hides a second group’s distribution when one is hidden, so that none is found by subtraction', async () => {
    // a fourth group of 6: its distribution has cells under 5, and the whole minus x, y and z would give it
    const tiny = Array.from({ length: 6 }, (_, i) => ({
      data: { grp: 'tiny', op: { freedom: CODES[i % 4] }, w: 1 },
    }));
    const cb2 = deriveCodebook(withGroups(['x', 'y', 'z', 'tiny']));
    const r = await evaluatePlan(parsePlan(BY_PLAN), cb2, await buildDataset(cb2, [...groupRows, ...tiny]));
    const groups = r.indicators.find((i) => i.id === 'agree_by')!.groups!;
    const hidden = groups.filter((g) => g.scale?.suppressed).map((g) => g.group);
    expect(hidden).toContain('tiny');
    expect(hidden).toHaveLength(2);
    for (const g of groups.filter((x) => x.scale?.suppressed))
      expect(g.scale!.levels.every((l) => l.suppressed)).toBe(true);
  });
});
