import { describe, expect, it } from 'vitest';
import { postStratify } from '../../src/stats/post-stratify.js';
import { raoScottTest } from '../../src/stats/rao-scott.js';
import { surveyDesign } from '../../src/stats/survey-design.js';
import { close, expected, numbers, table } from './r-fixtures.js';

const strat = table('apistrat');
const clus1 = table('apiclus1');
const gen = table('gen');

// biome-ignore lint/suspicious/noExplicitAny: R output
function same(r: { F: number; ndf: number; ddf: number; p: number }, want: any): void {
  close(r.F, want.F);
  close(r.ndf, want.ndf);
  close(r.ddf, want.ddf);
  close(r.p, want.p);
}

describe('Rao-Scott F matches svychisq (statistic "F")', () => {
  it('tests stype by awards in the stratified design', () => {
    const d = surveyDesign({ strata: strat.stype, weights: numbers(strat.pw), fpc: numbers(strat.fpc) });
    same(raoScottTest(d, strat.stype!, strat.awards!), expected.raoScott.stratStypeAwards);
  });
  it('tests two pairs in the cluster design', () => {
    const d = surveyDesign({ clusters: clus1.dnum, weights: numbers(clus1.pw), fpc: numbers(clus1.fpc) });
    same(raoScottTest(d, clus1['sch.wide']!, clus1.stype!), expected.raoScott.clus1SchwideStype);
    same(raoScottTest(d, clus1['comp.imp']!, clus1.stype!), expected.raoScott.clus1CompStype);
  });
  it('handles an empty cell, missing values and zero weights', () => {
    const d = surveyDesign({
      strata: gen.h,
      clusters: gen.psu,
      weights: numbers(gen.w),
      fpc: numbers(gen.popsize),
    });
    same(raoScottTest(d, gen.x!, gen.g!), expected.raoScott.genXG);
    same(raoScottTest(d, gen.x!, gen.h!), expected.raoScott.genXH);
  });
});

describe('Rao-Scott F with a domain matches svychisq on subset(design, …)', () => {
  const dstrat = surveyDesign({ strata: strat.stype, weights: numbers(strat.pw), fpc: numbers(strat.fpc) });
  const dclus1 = surveyDesign({ clusters: clus1.dnum, weights: numbers(clus1.pw), fpc: numbers(clus1.fpc) });
  const dgen = surveyDesign({
    strata: gen.h,
    clusters: gen.psu,
    weights: numbers(gen.w),
    fpc: numbers(gen.popsize),
  });
  const mask = (test: (i: number) => boolean, n: number) => Array.from({ length: n }, (_, i) => test(i));
  it('uses the domain design df when the domain drops PSUs and strata', () => {
    const meals = numbers(strat.meals);
    const d1 = mask((i) => meals[i]! > 40, dstrat.n);
    same(
      raoScottTest(dstrat, strat.stype!, strat.awards!, { domain: d1 }),
      expected.raoScottDomain.stratMeals,
    );
    const enroll = numbers(clus1.enroll);
    const d2 = mask((i) => enroll[i]! > 400, dclus1.n);
    same(
      raoScottTest(dclus1, clus1['sch.wide']!, clus1.stype!, { domain: d2 }),
      expected.raoScottDomain.clus1Enroll,
    );
    const notC = mask((i) => gen.h![i] !== 'C', dgen.n);
    same(raoScottTest(dgen, gen.x!, gen.g!, { domain: notC }), expected.raoScottDomain.genNotC);
  });
  it('counts zero-weight and missing rows of the domain in its df, and drops levels absent from it', () => {
    for (const [g, key] of [
      ['u', 'genU'],
      ['v', 'genV'],
    ] as const) {
      const domain = mask((i) => gen.g![i] === g, dgen.n);
      same(raoScottTest(dgen, gen.x!, gen.h!, { domain }), expected.raoScottDomain[key]);
    }
  });
  it('keeps the whole design df for a calibrated design, as subset() keeps its rows', () => {
    const dps = postStratify(dclus1, clus1.stype!, { E: 4421, H: 755, M: 1018 });
    const api99 = numbers(clus1.api99);
    const domain = mask((i) => api99[i]! > 600, dclus1.n);
    same(
      raoScottTest(dps, clus1['sch.wide']!, clus1.awards!, { domain }),
      expected.raoScottDomain.postStratified,
    );
  });
  it('refuses a domain of the wrong length', () => {
    expect(() => raoScottTest(dgen, gen.x!, gen.g!, { domain: [true] })).toThrow(/domain has 1 rows/);
  });
});
