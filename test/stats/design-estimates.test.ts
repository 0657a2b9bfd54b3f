import { describe, expect, it } from 'vitest';
import { surveyDesign } from '../../src/stats/survey-design.js';
import { svyBy } from '../../src/stats/svy-by.js';
import { svyMean } from '../../src/stats/svy-mean.js';
import { svyProportions } from '../../src/stats/svy-proportions.js';
import { svyQuantile } from '../../src/stats/svy-quantile.js';
import { svyTotal } from '../../src/stats/svy-total.js';
import { close, closeAll, expected, numbers, table } from './r-fixtures.js';

const strat = table('apistrat');
const clus1 = table('apiclus1');
const clus2 = table('apiclus2');
const gen = table('gen');
const dstrat = surveyDesign({ strata: strat.stype, weights: numbers(strat.pw), fpc: numbers(strat.fpc) });
const dclus1 = surveyDesign({ clusters: clus1.dnum, weights: numbers(clus1.pw), fpc: numbers(clus1.fpc) });
const dclus2 = surveyDesign({ clusters: clus2.dnum, weights: numbers(clus2.pw) });
const dgen = surveyDesign({
  strata: gen.h,
  clusters: gen.psu,
  weights: numbers(gen.w),
  fpc: numbers(gen.popsize),
});

// biome-ignore lint/suspicious/noExplicitAny: R output
function same(actual: { value: number; se: number; ci: [number, number] }, r: any): boolean {
  close(actual.value, r.value);
  close(actual.se, r.se);
  closeAll(actual.ci, r.ci);
  return true;
}

describe('design-based means and totals match survey::svymean and svytotal', () => {
  it('gives the stratified mean of api00, api99 and enroll with fpc', () => {
    ['api00', 'api99', 'enroll'].map((v, k) =>
      same(svyMean(dstrat, numbers(strat[v])), expected.strat.mean[k]),
    );
  });
  it('gives the stratified total of enroll', () => {
    same(svyTotal(dstrat, numbers(strat.enroll)), expected.strat.total[0]);
  });
  it('gives the one-stage cluster mean and total with fpc', () => {
    same(svyMean(dclus1, numbers(clus1.api00)), expected.clus1.mean[0]);
    same(svyMean(dclus1, numbers(clus1.enroll)), expected.clus1.mean[1]);
    same(svyTotal(dclus1, numbers(clus1.enroll)), expected.clus1.total[0]);
  });
  it('gives cluster estimates without fpc, dropping missing values when asked', () => {
    same(svyMean(dclus2, numbers(clus2.api00)), expected.clus2.mean[0]);
    same(svyTotal(dclus2, numbers(clus2.enroll), { naRm: true }), expected.clus2.total[0]);
  });
  it('refuses a missing value unless naRm is set', () => {
    expect(() => svyTotal(dclus2, numbers(clus2.enroll))).toThrow(/missing in row/);
  });
  it('treats a design without columns as simple random sampling', () => {
    const srs = surveyDesign({ n: strat.stype!.length });
    same(svyMean(srs, numbers(strat.api00)), expected.srs.mean[0]);
    const p = svyProportions(srs, strat.awards!, { ciMethod: 'normal' });
    p.estimates.map((e, k) => same(e, expected.srs.prop[k]));
  });
  it('handles strata, clusters, zero weights, missing values and fpc on generated data', () => {
    same(svyMean(dgen, numbers(gen.y), { naRm: true }), expected.gen.mean[0]);
    same(svyTotal(dgen, numbers(gen.y), { naRm: true }), expected.gen.total[0]);
  });
  it('reads an fpc given as sampling fractions as survey does', () => {
    const fr = numbers(gen.popsize).map((N) => 30 / N);
    const d = surveyDesign({ strata: gen.h, weights: numbers(gen.w), fpc: fr });
    same(svyMean(d, numbers(gen.y), { naRm: true }), expected.gen.fracMean[0]);
  });
});

describe('proportions match svymean on a factor', () => {
  it('gives each level of awards and of stype in the stratified design', () => {
    svyProportions(dstrat, strat.awards!, { ciMethod: 'normal' }).estimates.map((e, k) =>
      same(e, expected.strat.prop[k]),
    );
    svyProportions(dstrat, strat.stype!, { ciMethod: 'normal' }).estimates.map((e, k) =>
      same(e, expected.strat.propStype[k]),
    );
  });
  it('gives cluster-design proportions and generated-data proportions with missing values', () => {
    svyProportions(dclus1, clus1.stype!, { ciMethod: 'normal' }).estimates.map((e, k) =>
      same(e, expected.clus1.prop[k]),
    );
    svyProportions(dgen, gen.x!, { ciMethod: 'normal', naRm: true }).estimates.map((e, k) =>
      same(e, expected.gen.prop[k]),
    );
  });
  it('gives 1 and 0 with a zero standard error for n/n and 0/n', () => {
    const yes = numbers(gen.all).map(() => 1);
    same(svyMean(dgen, yes), expected.gen.allProp[0]);
    same(
      svyMean(
        dgen,
        yes.map(() => 0),
      ),
      expected.gen.allProp[1],
    );
  });
  it('gives the logit interval of svyciprop in domains, with the domain design df', () => {
    for (const r of expected.strat.ciprop) {
      const domain = strat.stype!.map((s) => s === r.group);
      const e = svyProportions(dstrat, strat.awards!, { domain }).estimates[1]!;
      close(e.value, r.value);
      closeAll(e.ci, r.ci);
      expect(e.df).toBe(r.df);
    }
    const all = svyProportions(dclus1, clus1['sch.wide']!).estimates[1]!;
    closeAll(all.ci, expected.clus1.ciprop.ci);
    expect(all.df).toBe(expected.clus1.degf);
    const domain = gen.g!.map((g) => g === 'u');
    const c = svyProportions(dgen, gen.x!, { domain, naRm: true }).estimates[2]!;
    close(c.value, expected.gen.ciprop.value);
    closeAll(c.ci, expected.gen.ciprop.ci);
    expect(c.df).toBe(expected.gen.ciprop.df);
  });
  it('gives the degenerate interval for 0/n and n/n where R’s glm stops near the bound', () => {
    const [yes] = svyProportions(dgen, gen.all!).estimates;
    expect(yes!.ci).toEqual([1, 1]);
    closeAll(expected.gen.allCiprop[0].ci, [1, 1], 1e-10);
  });
});

describe('domains match svyby', () => {
  it('gives the mean of api00 by awards and the total of enroll by stype', () => {
    svyBy(dstrat, strat.awards!, (domain) => svyMean(dstrat, numbers(strat.api00), { domain })).forEach(
      (g, k) => {
        expect(g.group).toBe(expected.strat.byMean[k].group);
        same(g.result, expected.strat.byMean[k]);
      },
    );
    svyBy(dstrat, strat.stype!, (domain) => svyTotal(dstrat, numbers(strat.enroll), { domain })).forEach(
      (g, k) => {
        same(g.result, expected.strat.byTotal[k]);
      },
    );
  });
  it('gives cluster-design domain means and proportions', () => {
    svyBy(dclus1, clus1.stype!, (domain) => svyMean(dclus1, numbers(clus1.api00), { domain })).forEach(
      (g, k) => {
        same(g.result, expected.clus1.byMean[k]);
      },
    );
    svyBy(dclus2, clus2.stype!, (domain) => svyMean(dclus2, numbers(clus2.api00), { domain })).forEach(
      (g, k) => {
        same(g.result, expected.clus2.byMean[k]);
      },
    );
    const by = svyBy(dclus1, clus1.stype!, (domain) => svyProportions(dclus1, clus1.awards!, { domain }));
    expect(by.map((g) => g.group)).toEqual(expected.clus1.byProp.groups);
    by.forEach((g, k) => {
      closeAll(
        g.result.estimates.map((e) => e.value),
        expected.clus1.byProp.values[k],
      );
      closeAll(
        g.result.estimates.map((e) => e.se),
        expected.clus1.byProp.se[k],
      );
    });
  });
  it('keeps an empty level at zero in a domain, with missing values and zero weights', () => {
    svyBy(dgen, gen.g!, (domain) => svyMean(dgen, numbers(gen.y), { domain, naRm: true })).forEach((g, k) => {
      same(g.result, expected.gen.byMean[k]);
    });
    svyBy(dgen, gen.g!, (domain) => svyTotal(dgen, numbers(gen.y), { domain, naRm: true })).forEach(
      (g, k) => {
        same(g.result, expected.gen.byTotal[k]);
      },
    );
    const by = svyBy(dgen, gen.g!, (domain) => svyProportions(dgen, gen.x!, { domain, naRm: true }));
    by.forEach((g, k) => {
      closeAll(
        g.result.estimates.map((e) => e.value),
        expected.gen.byProp.values[k],
      );
      closeAll(
        g.result.estimates.map((e) => e.se),
        expected.gen.byProp.se[k],
        1e-9,
      );
    });
    expect(by[1]!.result.estimates[2]!.value).toBe(0);
  });
});

describe('lonely PSUs follow survey.lonely.psu', () => {
  const lonely = table('lonely');
  for (const rule of ['certainty', 'adjust', 'remove'] as const) {
    it(`applies the "${rule}" rule`, () => {
      const d = surveyDesign({
        strata: lonely.h,
        clusters: lonely.psu,
        weights: numbers(lonely.w),
        lonelyPsu: rule,
      });
      same(svyMean(d, numbers(lonely.y)), expected.lonely[rule].mean[0]);
      same(svyTotal(d, numbers(lonely.y)), expected.lonely[rule].total[0]);
    });
  }
  it('applies the "average" rule, also in domains and for quantiles', () => {
    const d = surveyDesign({
      strata: lonely.h,
      clusters: lonely.psu,
      weights: numbers(lonely.w),
      lonelyPsu: 'average',
    });
    const y = numbers(lonely.y);
    same(svyMean(d, y), expected.lonelyAverage.mean[0]);
    same(svyTotal(d, y), expected.lonelyAverage.total[0]);
    const by = svyBy(
      d,
      y.map((v) => String(v > 4).toUpperCase()),
      (domain) => svyMean(d, y, { domain }),
    );
    expect(by.map((g) => g.group)).toEqual(['FALSE', 'TRUE']);
    for (const [k, g] of by.entries()) same(g.result, expected.lonelyAverage.byMean[k]);
    const q = svyQuantile(d, y, 0.5);
    const r = expected.lonelyAverage.quantile;
    close(q.value, r.value);
    close(q.se, r.se);
    closeAll(q.ci, r.ci);
  });
  it('fails by default, naming the stratum, as survey does', () => {
    const d = surveyDesign({ strata: lonely.h, clusters: lonely.psu, weights: numbers(lonely.w) });
    expect(expected.lonely.failMessage).toContain('Stratum (2) has only one PSU');
    expect(() => svyMean(d, numbers(lonely.y))).toThrow(/Stratum "2" has only one PSU/);
  });
});

describe('bad designs fail clearly', () => {
  it('rejects negative weights, crossed clusters, mixed fpc and over-full strata', () => {
    expect(() => surveyDesign({ weights: [1, -2] })).toThrow(/finite and ≥ 0/);
    expect(() => surveyDesign({ strata: ['a', 'b'], clusters: [1, 1] })).toThrow(/nested in strata/);
    expect(() => surveyDesign({ fpc: [0.5, 10] })).toThrow(/all ≥ 1/);
    expect(() => surveyDesign({ strata: ['a', 'a', 'a'], fpc: [2, 2, 2] })).toThrow(/more than 100%/);
    expect(() => surveyDesign({ strata: ['a', ''] })).toThrow(/no stratum/);
  });
});
