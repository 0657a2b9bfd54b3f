import { describe, expect, it } from 'vitest';
import { kishDesignEffect } from '../../src/stats/kish.js';
import { postStratify } from '../../src/stats/post-stratify.js';
import { rake } from '../../src/stats/rake.js';
import { surveyDesign } from '../../src/stats/survey-design.js';
import { svyMean } from '../../src/stats/svy-mean.js';
import { svyProportions } from '../../src/stats/svy-proportions.js';
import { svyTotal } from '../../src/stats/svy-total.js';
import { trimWeights } from '../../src/stats/trim-weights.js';
import { close, closeAll, expected, numbers, table } from './r-fixtures.js';

const clus1 = table('apiclus1');
const strat = table('apistrat');
const dclus1 = surveyDesign({ clusters: clus1.dnum, weights: numbers(clus1.pw), fpc: numbers(clus1.fpc) });
const dstrat = surveyDesign({ strata: strat.stype, weights: numbers(strat.pw), fpc: numbers(strat.fpc) });
const popStype = { E: 4421, H: 755, M: 1018 };
const popSchwide = { No: 1072, Yes: 5122 };
const margins = [
  { name: 'stype', variable: clus1.stype!, population: popStype },
  { name: 'sch.wide', variable: clus1['sch.wide']!, population: popSchwide },
];

// biome-ignore lint/suspicious/noExplicitAny: R output
function same(e: { value: number; se: number; ci: [number, number] }, r: any): void {
  close(e.value, r.value);
  close(e.se, r.se);
  closeAll(e.ci, r.ci);
}

describe('post-stratification matches postStratify', () => {
  const d = postStratify(dclus1, clus1.stype!, popStype);
  it('gives the same weights and estimates with post-stratified standard errors', () => {
    closeAll(Array.from(d.weights), expected.postStratify.weights);
    same(svyMean(d, numbers(clus1.api00)), expected.postStratify.mean[0]);
    same(svyTotal(d, numbers(clus1.enroll)), expected.postStratify.total[0]);
    const p = svyProportions(d, clus1.awards!, { ciMethod: 'normal' });
    p.estimates.forEach((e, k) => {
      same(e, expected.postStratify.prop[k]);
    });
  });
  it('refuses a level missing from the population or from the sample', () => {
    expect(() => postStratify(dclus1, clus1.stype!, { E: 1, H: 2 })).toThrow(/not in the population/);
    expect(() => postStratify(dclus1, clus1.stype!, { ...popStype, X: 5 })).toThrow(/no weighted sample/);
  });
});

describe('raking matches survey::rake', () => {
  it('stops after the same number of sweeps with the default controls, with raked standard errors', () => {
    const r = rake(dclus1, margins);
    expect(r.converged).toBe(expected.rake.default.converged);
    expect(r.iterations).toBe(expected.rake.default.iterations);
    closeAll(Array.from(r.design.weights), expected.rake.default.weights);
    same(svyMean(r.design, numbers(clus1.api00)), expected.rake.default.mean[0]);
    same(svyTotal(r.design, numbers(clus1.enroll)), expected.rake.default.total[0]);
    svyProportions(r.design, clus1.awards!, { ciMethod: 'normal' }).estimates.forEach((e, k) => {
      same(e, expected.rake.default.prop[k]);
    });
  });
  it('follows epsilon as a fraction of the total weight and reports non-convergence', () => {
    const tight = rake(dclus1, margins, { epsilon: 1e-9, maxIter: 50 });
    expect(tight.iterations).toBe(expected.rake.tight.iterations);
    closeAll(Array.from(tight.design.weights), expected.rake.tight.weights);
    same(svyMean(tight.design, numbers(clus1.api00)), expected.rake.tight.mean[0]);
    const capped = rake(dclus1, margins, { epsilon: 1e-12, maxIter: 2 });
    expect(capped.converged).toBe(false);
    expect(expected.rake.capped.converged).toBe(false);
    closeAll(Array.from(capped.design.weights), expected.rake.capped.weights);
  });
  it('reports the weighted sums by margin', () => {
    const r = rake(dclus1, margins, { epsilon: 1e-9, maxIter: 50 });
    close(r.sumByMargin.stype!.E!, 4421);
    close(r.sumByMargin['sch.wide']!.Yes!, 5122);
  });
});

describe('trimming and Kish', () => {
  it('trims as trimWeights, once or strictly', () => {
    closeAll(Array.from(trimWeights(dstrat, { lower: 20, upper: 40 }).weights), expected.trim.weights);
    const strict = trimWeights(dstrat, { lower: 20, upper: 40, strict: true });
    closeAll(Array.from(strict.weights), expected.trim.strictWeights);
    same(svyMean(trimWeights(dstrat, { lower: 20, upper: 40 }), numbers(strat.api00)), expected.trim.mean[0]);
  });
  it('gives the Kish design effect and effective sample size', () => {
    const k = kishDesignEffect(numbers(strat.pw));
    close(k.deff, expected.kish.strat.deff);
    close(k.effectiveN, expected.kish.strat.neff);
    close(kishDesignEffect(numbers(table('gen').w)).deff, expected.kish.gen.deff);
  });
});
