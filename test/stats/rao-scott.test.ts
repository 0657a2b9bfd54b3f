import { describe, it } from 'vitest';
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
