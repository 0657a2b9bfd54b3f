import { statsError } from './stats-error.js';
import type { Calibration, SurveyDesign } from './survey-design.js';

/**
 * Taylor-linearised covariance of the totals of influence columns `x` (each of length n), as
 * `survey:::svyrecvar` for one stage: residuals within post-strata or raking margins first, then
 * PSU totals centred within strata, scaled by n_h/(n_h − 1) and the fpc (N_h − n_h)/N_h.
 *
 * `present` marks the rows of the estimation subset (domain, non-missing): a stratum with a
 * single PSU only matters (fails, or is handled by the lonely-PSU rule) when it has such rows,
 * as survey only sees the rows left after subsetting. With the 'average' rule (survey's
 * `survey.lonely.psu = "average"`), such strata add nothing and the sum over the others is
 * multiplied by (strata with rows)/(those that are not lonely), as `survey:::onestage`.
 */
export function linearizedVariance(
  design: SurveyDesign,
  columns: readonly Float64Array[],
  present?: ArrayLike<boolean | number>,
): number[][] {
  const p = columns.length;
  let x: Float64Array[] = columns.map((c) => Float64Array.from(c));
  for (const cal of design.calibrations) x = residualize(x, cal);
  const nPsu = design.psuStratum.length;
  const totals = Array.from({ length: p }, () => new Float64Array(nPsu));
  for (let k = 0; k < p; k++) {
    const col = x[k]!;
    const t = totals[k]!;
    for (let i = 0; i < design.n; i++) t[design.psu[i]!]! += col[i]!;
  }
  const nStrata = design.strataLabels.length;
  const hasRows = new Uint8Array(nStrata);
  // A calibrated design keeps every row when subset (weights set to zero), as survey does.
  const subset = design.calibrations.length === 0 ? present : undefined;
  for (let i = 0; i < design.n; i++) if (!subset || subset[i]) hasRows[design.stratum[i]!] = 1;
  const psusOf: number[][] = Array.from({ length: nStrata }, () => []);
  for (let j = 0; j < design.psuStratum.length; j++) psusOf[design.psuStratum[j]!]!.push(j);
  const v = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  // 'average': lonely strata add nothing and the others are scaled by (strata)/(other strata).
  let seen = 0;
  let averaged = 0;
  for (let h = 0; h < nStrata; h++) {
    if (!hasRows[h]) continue;
    seen++;
    const nh = design.nPsuByStratum[h]!;
    const popSize = design.popSizeByStratum?.[h];
    const f = popSize === undefined ? 1 : (popSize - nh) / popSize;
    if (f < 1e-7) continue;
    const psus = psusOf[h]!;
    let scale: number;
    let center = true;
    if (nh > 1) {
      scale = (f * nh) / (nh - 1);
    } else {
      if (design.lonelyPsu === 'fail') {
        throw statsError(
          `Stratum "${design.strataLabels[h]}" has only one PSU: choose a lonely-PSU rule (certainty, adjust, remove, average)`,
        );
      }
      if (design.lonelyPsu === 'average') {
        averaged++;
        continue;
      }
      scale = f;
      center = design.lonelyPsu !== 'adjust';
    }
    const dev = totals.map((t) => {
      const vals = psus.map((j) => t[j]!);
      const mean = center ? vals.reduce((a, b) => a + b, 0) / nh : 0;
      return vals.map((val) => val - mean);
    });
    for (let a = 0; a < p; a++) {
      for (let b = a; b < p; b++) {
        const da = dev[a]!;
        const db = dev[b]!;
        let s = 0;
        for (let j = 0; j < da.length; j++) s += da[j]! * db[j]!;
        v[a]![b]! += s * scale;
      }
    }
  }
  if (averaged > 0) {
    const factor = seen === averaged ? Number.NaN : seen / (seen - averaged);
    for (let a = 0; a < p; a++) for (let b = a; b < p; b++) v[a]![b]! *= factor;
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) v[a]![b] = v[b]![a]!;
  return v;
}

function residualize(x: Float64Array[], cal: Calibration): Float64Array[] {
  if (cal.kind === 'postStratify') {
    const psw = Float64Array.from(cal.weights);
    const oldw = cal.oldWeights;
    for (let i = 0; i < psw.length; i++) if (psw[i] === 0 && oldw[i] === 0) psw[i] = 1;
    const nCells = Math.max(...cal.cell) + 1;
    return x.map((col) => {
      const num = new Float64Array(nCells);
      const den = new Float64Array(nCells);
      for (let i = 0; i < col.length; i++) {
        num[cal.cell[i]!]! += (col[i]! * oldw[i]!) / psw[i]!;
        den[cal.cell[i]!]! += oldw[i]!;
      }
      return col.map((v, i) => v - (num[cal.cell[i]!]! / den[cal.cell[i]!]!) * psw[i]!);
    });
  }
  let out = x;
  for (let iteration = 0; iteration < 10; iteration++) {
    for (const margin of cal.margins) {
      const nCells = Math.max(...margin.cell) + 1;
      out = out.map((col) => {
        const sum = new Float64Array(nCells);
        const count = new Float64Array(nCells);
        for (let i = 0; i < col.length; i++) {
          sum[margin.cell[i]!]! += col[i]! / margin.weights[i]!;
          count[margin.cell[i]!]!++;
        }
        return col.map((v, i) => v - margin.weights[i]! * (sum[margin.cell[i]!]! / count[margin.cell[i]!]!));
      });
    }
  }
  return out;
}

/**
 * Design degrees of freedom of a subset, as `degf()`: PSUs minus strata among the rows of the
 * subset that have a non-zero weight.
 */
export function designDf(design: SurveyDesign, subset?: ArrayLike<boolean | number>): number {
  const psus = new Set<number>();
  const strata = new Set<number>();
  for (let i = 0; i < design.n; i++) {
    if ((subset && !subset[i]) || design.weights[i] === 0) continue;
    psus.add(design.psu[i]!);
    strata.add(design.stratum[i]!);
  }
  return psus.size - strata.size;
}
