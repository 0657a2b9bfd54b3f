import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/dataset/index.js';
import { deriveCodebook } from '../../src/instrument/index.js';
import type { InstrumentJson } from '../../src/instrument/types.js';
import { evaluatePlan } from '../../src/plan/evaluate-plan.js';
import { parsePlan } from '../../src/plan/parse-plan.js';

const instrument: InstrumentJson = {
  pages: [
    {
      name: 'p',
      elements: [
        { type: 'radiogroup', name: 'grp', choices: ['a', 'b'] },
        { type: 'radiogroup', name: 'amount', choices: ['lt10', '10_50', '50_100', 'gt100'] },
        { type: 'text', inputType: 'number', name: 'hours' },
      ],
    },
  ],
};
const codebook = deriveCodebook(instrument);

// 40 respondents: a fixed pattern, so that every count below is known by hand.
const rows = Array.from({ length: 40 }, (_, i) => ({
  data: {
    grp: i < 25 ? 'a' : 'b',
    ...(i % 10 === 9 ? {} : { amount: ['lt10', '10_50', '50_100', 'gt100'][i % 4] }),
    hours: i % 5,
  },
}));

const PLAN = `version: 1
instrument: fixture
indicators:
  - id: amounts
    label: { fr: "montants", en: "amounts" }
    estimate: { distribution: amount }
    by: grp
    test: chisq
  - id: small
    label: { fr: "moins de 50", en: "below 50" }
    estimate: { bracketShare: { var: amount, below: 50_100 } }
    by: grp
    test: [fisher, odds_ratio, ratio]
  - id: hours
    label: { fr: "heures", en: "hours" }
    estimate: { mean: hours }
    by: grp
`;

describe('distributions, bracket shares and means', async () => {
  const dataset = await buildDataset(codebook, rows);
  const results = await evaluatePlan(parsePlan(PLAN), codebook, dataset);
  const [amounts, small, hours] = results.indicators;

  it('gives each level its share of the answered base, in the instrument order, flagging small cells', () => {
    expect(amounts!.n).toBe(36);
    expect(amounts!.levels!.map((l) => [l.level, l.count])).toEqual([
      ['lt10', 10],
      ['10_50', 8],
      ['50_100', 10],
      ['gt100', 8],
    ]);
    expect(amounts!.levels![0]!.estimate).toBeCloseTo(10 / 36, 14);
    const b = amounts!.groups!.find((g) => g.group === 'b')!;
    expect(b.n).toBe(13);
    expect(b.fragile).toBe(true);
    expect(b.suppressed).toBe(true);
    expect(amounts!.test![0]!.df).toBe(3);
  });

  it('takes the share below a bracket bound among those who gave an amount', () => {
    expect(small!.kind).toBe('bracketShare');
    expect(small!.count).toBe(18);
    expect(small!.n).toBe(36);
    expect(small!.test!.map((t) => t.test)).toEqual(['fisher', 'odds_ratio', 'ratio']);
    expect(small!.test!.every((t) => t.error === undefined || /cell/.test(t.error))).toBe(true);
  });

  it('averages a numeric answer with the standard error of svymean (sd/√n without a design)', () => {
    const y = rows.map((r) => r.data.hours);
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    const sd = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / (y.length - 1));
    expect(hours!.estimate).toBeCloseTo(mean, 14);
    expect(hours!.se).toBeCloseTo(sd / Math.sqrt(y.length), 14);
    expect(hours!.groups!.map((g) => g.n)).toEqual([25, 15]);
  });
});
