import { describe, expect, it } from 'vitest';
import { encodeVariable } from '../../../src/stats/mca/categorical-variable.js';
import type { DenseMatrix } from '../../../src/stats/mca/dense-matrix.js';
import { multipleCorrespondenceAnalysis } from '../../../src/stats/mca/multiple-correspondence-analysis.js';
import { FIXTURE_NAMES, loadFixture } from './fixtures.js';

const TOL = 1e-9;

/** Max relative difference between our column s and R's, after aligning the axis sign. */
function columnDifference(
  ours: DenseMatrix,
  rows: number[],
  theirs: number[][],
  s: number,
  sign: number,
): number {
  let scale = 0;
  for (const r of theirs) scale = Math.max(scale, Math.abs(r[s]!));
  let worst = 0;
  rows.forEach((i, k) => {
    const a = sign * ours.data[i * ours.cols + s]!;
    const b = theirs[k]![s]!;
    // Relative to the value, with a floor at 1e-6 of the column's scale for entries near zero.
    worst = Math.max(worst, Math.abs(a - b) / Math.max(Math.abs(b), 1e-6 * scale));
  });
  return worst;
}

function axisSigns(ours: DenseMatrix, theirs: number[][]): number[] {
  return Array.from({ length: ours.cols }, (_, s) => {
    let dot = 0;
    theirs.forEach((r, i) => {
      dot += r[s]! * ours.data[i * ours.cols + s]!;
    });
    return dot < 0 ? -1 : 1;
  });
}

describe.each(FIXTURE_NAMES)('MCA on %s matches FactoMineR', (name) => {
  const fx = loadFixture(name);
  const res = multipleCorrespondenceAnalysis({
    active: fx.active,
    supplementary: fx.supplementary,
    rowWeights: fx.weights,
    dimensions: fx.r.ncp,
  });
  const n = fx.r.indCoord.length;
  const signs = axisSigns(res.ind.coord, fx.r.indCoord);
  const catIndex = fx.r.varLabels.map((lab, k) =>
    res.var.categories.findIndex(
      (c) => c.variable === fx.r.varVariables[k] && fx.label(c.variable, c.level) === lab,
    ),
  );

  it('gives every non-trivial eigenvalue and its percent of inertia', () => {
    expect(res.eigenvalues.length).toBe(fx.r.eig.length);
    res.eigenvalues.forEach((e, k) => {
      expect(Math.abs(e - fx.r.eig[k]![0]!) / fx.r.eig[k]![0]!).toBeLessThan(TOL);
      expect(Math.abs(res.inertiaPercent[k]! - fx.r.eig[k]![1]!) / fx.r.eig[k]![1]!).toBeLessThan(TOL);
      expect(Math.abs(res.cumulativePercent[k]! - fx.r.eig[k]![2]!) / fx.r.eig[k]![2]!).toBeLessThan(TOL);
    });
  });

  it('orients the axes as FactoMineR does', () => {
    expect(signs).toEqual(signs.map(() => 1));
  });

  it('gives the rows’ coordinates, contributions and cos² (up to the sign of each axis)', () => {
    expect(res.ind.coord.rows).toBe(n);
    expect(res.dimensions).toBe(fx.r.indCoord[0]!.length);
    const rows = Array.from({ length: n }, (_, i) => i);
    for (let s = 0; s < res.dimensions; s++) {
      expect(columnDifference(res.ind.coord, rows, fx.r.indCoord, s, signs[s]!)).toBeLessThan(TOL);
      expect(columnDifference(res.ind.contrib!, rows, fx.r.indContrib, s, 1)).toBeLessThan(TOL);
      expect(columnDifference(res.ind.cos2!, rows, fx.r.indCos2, s, 1)).toBeLessThan(TOL);
    }
  });

  it('gives the categories’ coordinates, contributions, cos², v-tests and the variables’ eta²', () => {
    expect(catIndex).not.toContain(-1);
    expect(res.var.categories.length).toBe(fx.r.varLabels.length);
    for (let s = 0; s < res.dimensions; s++) {
      expect(columnDifference(res.var.coord, catIndex, fx.r.varCoord, s, signs[s]!)).toBeLessThan(TOL);
      expect(columnDifference(res.var.contrib!, catIndex, fx.r.varContrib, s, 1)).toBeLessThan(TOL);
      expect(columnDifference(res.var.cos2, catIndex, fx.r.varCos2, s, 1)).toBeLessThan(TOL);
      expect(columnDifference(res.var.vtest, catIndex, fx.r.varVtest, s, signs[s]!)).toBeLessThan(TOL);
      const etaRows = fx.r.eta2Variables.map((v) => res.var.variables.indexOf(v));
      expect(columnDifference(res.var.eta2, etaRows, fx.r.eta2, s, 1)).toBeLessThan(TOL);
    }
  });

  it('projects the supplementary categories', () => {
    const sup = res.qualiSup!;
    const idx = fx.r.supLabels!.map((lab, k) =>
      sup.categories.findIndex(
        (c) => c.variable === fx.r.supVariables![k] && fx.label(c.variable, c.level) === lab,
      ),
    );
    expect(idx).not.toContain(-1);
    for (let s = 0; s < res.dimensions; s++) {
      expect(columnDifference(sup.coord, idx, fx.r.supCoord!, s, signs[s]!)).toBeLessThan(TOL);
      expect(columnDifference(sup.cos2, idx, fx.r.supCos2!, s, 1)).toBeLessThan(TOL);
      expect(columnDifference(sup.vtest, idx, fx.r.supVtest!, s, signs[s]!)).toBeLessThan(TOL);
      const etaRows = fx.r.supplementary.map((v) => sup.variables.indexOf(v));
      expect(columnDifference(sup.eta2, etaRows, fx.r.supEta2!, s, 1)).toBeLessThan(TOL);
    }
  });
});

describe('MCA input checks', () => {
  const a = encodeVariable({ name: 'a', values: ['x', 'y', 'x', 'y'] });
  const b = encodeVariable({ name: 'b', values: ['u', 'u', 'v', null] });
  const k = encodeVariable({ name: 'k', values: ['z', 'z', 'z', 'z'] });

  it('makes missing answers a category of their own, named NA', () => {
    expect(b.levels).toEqual(['u', 'v', 'NA']);
    expect(Array.from(b.codes)).toEqual([0, 0, 1, 2]);
    const res = multipleCorrespondenceAnalysis({ active: [a, b] });
    expect(res.var.categories.filter((c) => c.missing).map((c) => `${c.variable}=${c.level}`)).toEqual([
      'b=NA',
    ]);
  });

  it('refuses fewer than two active variables, a constant variable and bad weights', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return 'no error';
    };
    expect(code(() => multipleCorrespondenceAnalysis({ active: [a] }))).toBe('CAIRNET_TYPOLOGY_INVALID');
    expect(code(() => multipleCorrespondenceAnalysis({ active: [a, k] }))).toBe('CAIRNET_TYPOLOGY_INVALID');
    expect(code(() => multipleCorrespondenceAnalysis({ active: [a, b], rowWeights: [1, 1, 0, 1] }))).toBe(
      'CAIRNET_TYPOLOGY_INVALID',
    );
    expect(code(() => multipleCorrespondenceAnalysis({ active: [a, b], rowWeights: [1, 1] }))).toBe(
      'CAIRNET_TYPOLOGY_INVALID',
    );
  });
});
