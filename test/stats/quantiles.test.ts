import { describe, it } from 'vitest';
import { surveyDesign } from '../../src/stats/survey-design.js';
import { svyQuantile } from '../../src/stats/svy-quantile.js';
import { close, closeAll, expected, numbers, table } from './r-fixtures.js';

const strat = table('apistrat');
const clus1 = table('apiclus1');
const gen = table('gen');

describe('quantiles match svyquantile (qrule "math" and "school", Woodruff interval)', () => {
  // biome-ignore lint/suspicious/noExplicitAny: R output
  const check = (e: { value: number; se: number; ci: [number, number] }, r: any) => {
    close(e.value, r.value);
    closeAll(e.ci, r.ci);
    close(e.se, r.se);
  };
  it('gives quartiles and the 90th percentile of api00 in the stratified design', () => {
    const d = surveyDesign({ strata: strat.stype, weights: numbers(strat.pw), fpc: numbers(strat.fpc) });
    for (const r of expected.strat.quantile) check(svyQuantile(d, numbers(strat.api00), r.p), r);
    for (const r of expected.strat.quantileSchool) {
      check(svyQuantile(d, numbers(strat.api00), r.p, { rule: 'school' }), r);
    }
  });
  it('gives the median in a cluster design and quantiles with missing values and zero weights', () => {
    const d1 = surveyDesign({ clusters: clus1.dnum, weights: numbers(clus1.pw), fpc: numbers(clus1.fpc) });
    for (const r of expected.clus1.quantile) check(svyQuantile(d1, numbers(clus1.api00), r.p), r);
    const dg = surveyDesign({
      strata: gen.h,
      clusters: gen.psu,
      weights: numbers(gen.w),
      fpc: numbers(gen.popsize),
    });
    for (const r of expected.gen.quantile) check(svyQuantile(dg, numbers(gen.y), r.p, { naRm: true }), r);
  });
});
