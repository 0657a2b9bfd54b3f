import { describe, expect, it } from 'vitest';
import { postStratify } from '../../src/stats/post-stratify.js';
import { surveyDesign } from '../../src/stats/survey-design.js';
import { svyBy } from '../../src/stats/svy-by.js';
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

describe('quantiles in a domain match svyby(~y, ~g, design, svyquantile)', () => {
  const dstrat = surveyDesign({ strata: strat.stype, weights: numbers(strat.pw), fpc: numbers(strat.fpc) });
  const dclus1 = surveyDesign({ clusters: clus1.dnum, weights: numbers(clus1.pw), fpc: numbers(clus1.fpc) });
  const dgen = surveyDesign({
    strata: gen.h,
    clusters: gen.psu,
    weights: numbers(gen.w),
    fpc: numbers(gen.popsize),
  });
  const dps = postStratify(dclus1, clus1.stype!, { E: 4421, H: 755, M: 1018 });
  // biome-ignore lint/suspicious/noExplicitAny: R output
  const check = (design: any, y: number[], by: string[], want: any[], naRm = false) => {
    const ps: number[] = [want[0].p].flat();
    const got = svyBy(design, by, (domain) => ps.map((p) => svyQuantile(design, y, p, { domain, naRm })));
    expect(got.map((g) => g.group)).toEqual(want.map((w) => w.group));
    got.forEach(({ result }, k) => {
      const r = want[k];
      result.forEach((e, j) => {
        close(e.value, [r.values].flat()[j]);
        close(e.se, [r.se].flat()[j]);
        closeAll(e.ci, r.ci[j]);
        expect(e.df).toBe(r.df);
      });
    });
  };
  it('gives quantiles by group in stratified and cluster designs', () => {
    check(dstrat, numbers(strat.api00), strat.awards!, expected.quantileBy.stratAwards);
    check(dclus1, numbers(clus1.api00), clus1.stype!, expected.quantileBy.clus1Stype);
  });
  it('handles missing values and zero weights in the groups, with NaN where R gives NA', () => {
    check(dgen, numbers(gen.y), gen.g!, expected.quantileBy.genG, true);
  });
  it('gives quantiles by group in a post-stratified design', () => {
    check(dps, numbers(clus1.api00), clus1['sch.wide']!, expected.quantileBy.postStratifiedSchwide);
  });
});
