import { describe, expect, it } from 'vitest';
import { chiSquareTest } from '../../src/stats/chi-square-test.js';
import { oddsRatioWoolf, proportionRatio } from '../../src/stats/odds-ratio.js';
import { wilsonInterval } from '../../src/stats/wilson-interval.js';
import { close, closeAll, expected } from './r-fixtures.js';

describe('Pearson chi-square matches chisq.test', () => {
  for (const r of expected.chisq) {
    it(`gives the statistic, df and p of ${JSON.stringify(r.table)}, with and without Yates`, () => {
      const t = chiSquareTest(r.table);
      close(t.statistic, r.statistic);
      expect(t.df).toBe(r.df);
      close(t.p, r.p);
      const y = chiSquareTest(r.table, true);
      close(y.statistic, r.yatesStatistic);
      close(y.p, r.yatesP);
    });
  }
  it('rejects a table with an empty margin', () => {
    expect(() =>
      chiSquareTest([
        [0, 0],
        [1, 2],
      ]),
    ).toThrow(/every row and column/);
  });
});

describe('ratios match their textbook formulas computed in R', () => {
  it('gives the odds ratio with the Woolf interval', () => {
    for (const r of expected.woolf) {
      const o = oddsRatioWoolf(r.table);
      close(o.estimate, r.estimate);
      closeAll(o.ci, r.ci);
    }
    expect(() =>
      oddsRatioWoolf([
        [0, 1],
        [2, 3],
      ]),
    ).toThrow(/no empty cell/);
  });
  it('gives the ratio of two proportions with its log interval', () => {
    for (const r of expected.riskRatio) {
      const o = proportionRatio(r.x1, r.n1, r.x2, r.n2);
      close(o.estimate, r.estimate);
      closeAll(o.ci, r.ci);
    }
  });
});

describe('Wilson interval matches prop.test(correct = FALSE)', () => {
  for (const r of expected.wilson) {
    it(`gives ${r.x}/${r.n}`, () => closeAll(wilsonInterval(r.x, r.n), r.ci));
  }
});
