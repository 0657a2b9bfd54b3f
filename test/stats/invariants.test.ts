import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rake } from '../../src/stats/rake.js';
import { surveyDesign } from '../../src/stats/survey-design.js';
import { svyMean } from '../../src/stats/svy-mean.js';
import { svyProportions } from '../../src/stats/svy-proportions.js';

const row = fc.record({
  h: fc.constantFrom('a', 'b'),
  w: fc.double({ min: 0.5, max: 20, noNaN: true }),
  x: fc.constantFrom('p', 'q', 'r'),
  g: fc.constantFrom('u', 'v'),
  y: fc.double({ min: -100, max: 100, noNaN: true }),
});
const sample = fc
  .array(row, { minLength: 12, maxLength: 40 })
  .filter((rows) => ['a', 'b'].every((h) => rows.filter((r) => r.h === h).length >= 2));

describe('invariants of the estimators', () => {
  it('gives proportions that sum to one', () => {
    fc.assert(
      fc.property(sample, (rows) => {
        const d = surveyDesign({ strata: rows.map((r) => r.h), weights: rows.map((r) => r.w) });
        const sum = svyProportions(
          d,
          rows.map((r) => r.x),
        ).estimates.reduce((s, e) => s + e.value, 0);
        expect(sum).toBeCloseTo(1, 12);
      }),
      { numRuns: 50 },
    );
  });
  it('does not change when rows are permuted', () => {
    fc.assert(
      fc.property(sample, fc.nat(), (rows, seed) => {
        const perm = rows
          .map((r, i) => ({ r, k: (i * 7919 + seed) % 104729 }))
          .sort((a, b) => a.k - b.k)
          .map((p) => p.r);
        const est = (rs: typeof rows) =>
          svyMean(
            surveyDesign({ strata: rs.map((r) => r.h), weights: rs.map((r) => r.w) }),
            rs.map((r) => r.y),
          );
        const a = est(rows);
        const b = est(perm);
        expect(b.value).toBeCloseTo(a.value, 9);
        expect(b.se).toBeCloseTo(a.se, 9);
      }),
      { numRuns: 50 },
    );
  });
  it('reproduces the margins after raking to convergence', () => {
    fc.assert(
      fc.property(
        // every (x, g) cell sampled, so that the margins can be met
        sample.filter((rows) =>
          ['u', 'v'].every((g) => ['p', 'q', 'r'].every((x) => rows.some((r) => r.g === g && r.x === x))),
        ),
        (rows) => {
          const d = surveyDesign({ weights: rows.map((r) => r.w) });
          const popX = { p: 500, q: 300, r: 200 };
          const popG = { u: 400, v: 600 };
          const r = rake(
            d,
            [
              { name: 'x', variable: rows.map((r) => r.x), population: popX },
              { name: 'g', variable: rows.map((r) => r.g), population: popG },
            ],
            { epsilon: 1e-10, maxIter: 500 },
          );
          if (!r.converged) return;
          for (const [k, v] of Object.entries(popX)) expect(r.sumByMargin.x![k]!).toBeCloseTo(v, 4);
          for (const [k, v] of Object.entries(popG)) expect(r.sumByMargin.g![k]!).toBeCloseTo(v, 4);
        },
      ),
      { numRuns: 30 },
    );
  });
});
