import type { Estimate } from './estimate.js';
import { logitInterval } from './logit-interval.js';
import { normalInterval } from './normal-interval.js';
import { statsError } from './stats-error.js';
import type { LonelyPsu } from './survey-design.js';

/**
 * Estimates of a stratified design without clusters (each row its own PSU) from grouped
 * sufficient statistics instead of rows, so that a SQL `GROUP BY stratum, domain[, level]` can
 * feed them (DESIGN.md principle 7). They give the same estimates and standard errors as the
 * row estimators (and as survey's svymean / svytotal / svyby).
 *
 * Every row of the design must be in some cell, including rows outside every domain or with a
 * missing value (give them `group: null` or `level: null`): the stratum sizes n_h count them.
 */
export interface GroupedDesign {
  /** Population size per stratum (fpc), if any. */
  popSize?: Readonly<Record<string, number>>;
  lonelyPsu?: LonelyPsu;
  confidence?: number;
}

/** Sufficient statistics of a numeric variable y with weights w in one (stratum, group) cell. */
export interface NumericCell {
  stratum: string;
  /** Domain label; null for rows outside every domain or with y missing. */
  group: string | null;
  /** Rows (COUNT(*)). */
  n: number;
  /** Rows with a non-zero weight; default n. */
  nWeighted?: number;
  sumW: number;
  sumWY: number;
  sumW2: number;
  sumW2Y: number;
  sumW2Y2: number;
}

/** Sufficient statistics of a categorical variable in one (stratum, group, level) cell. */
export interface CategoricalCell {
  stratum: string;
  group: string | null;
  /** Level; null when the value is missing. */
  level: string | null;
  n: number;
  nWeighted?: number;
  sumW: number;
  sumW2: number;
}

interface Part {
  a: number;
  b: number;
}

function stratumSizes(cells: readonly { stratum: string; n: number }[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const c of cells) sizes.set(c.stratum, (sizes.get(c.stratum) ?? 0) + c.n);
  return sizes;
}

/** Σ_h scale_h (S2_h − S1_h²/n_h) over strata with rows in the estimate. */
function varianceFromParts(
  parts: Map<string, Part>,
  sizes: Map<string, number>,
  design: GroupedDesign,
): number {
  let v = 0;
  for (const [h, { a, b }] of parts) {
    const nh = sizes.get(h)!;
    const N = design.popSize?.[h];
    if (design.popSize && N === undefined) throw statsError(`No population size for stratum "${h}"`);
    const f = N === undefined ? 1 : (N - nh) / N;
    if (N !== undefined && N < nh) throw statsError(`fpc implies more than 100% sampling in stratum "${h}"`);
    if (f < 1e-7) continue;
    if (nh > 1) {
      v += ((f * nh) / (nh - 1)) * (b - (a * a) / nh);
    } else {
      const rule = design.lonelyPsu ?? 'fail';
      if (rule === 'fail') throw statsError(`Stratum "${h}" has only one PSU: choose a lonely-PSU rule`);
      if (rule === 'adjust') v += f * b;
    }
  }
  return Math.max(v, 0);
}

function groupsOf(cells: readonly { group: string | null; sumW: number }[]): string[] {
  return [...new Set(cells.filter((c) => c.group !== null && c.sumW !== 0).map((c) => c.group!))].sort();
}

/** A numeric estimate for one group from grouped cells. */
export interface GroupedEstimate extends Estimate {
  group: string;
}

/** Means (or totals) of y in each group, as svyby(~y, ~group, design, svymean, na.rm = TRUE). */
export function groupedMeans(
  cells: readonly NumericCell[],
  design: GroupedDesign = {},
  statistic: 'mean' | 'total' = 'mean',
): GroupedEstimate[] {
  const sizes = stratumSizes(cells);
  const confidence = design.confidence ?? 0.95;
  return groupsOf(cells).map((group) => {
    const mine = cells.filter((c) => c.group === group);
    const W = mine.reduce((s, c) => s + c.sumW, 0);
    const total = mine.reduce((s, c) => s + c.sumWY, 0);
    const mean = total / W;
    const parts = new Map<string, Part>();
    for (const c of mine) {
      const p = parts.get(c.stratum) ?? { a: 0, b: 0 };
      if (statistic === 'mean') {
        p.a += (c.sumWY - mean * c.sumW) / W;
        p.b += (c.sumW2Y2 - 2 * mean * c.sumW2Y + mean * mean * c.sumW2) / (W * W);
      } else {
        p.a += c.sumWY;
        p.b += c.sumW2Y2;
      }
      parts.set(c.stratum, p);
    }
    const value = statistic === 'mean' ? mean : total;
    const se = Math.sqrt(varianceFromParts(parts, sizes, design));
    return {
      group,
      statistic,
      value,
      se,
      ci: normalInterval(value, se, confidence),
      confidence,
      ciMethod: 'normal',
      n: mine.reduce((s, c) => s + (c.nWeighted ?? c.n), 0),
      weightedN: W,
    };
  });
}

/**
 * Proportions of each level in each group, as svyby(~factor(x), ~group, design, svymean,
 * na.rm = TRUE), with svyciprop's logit interval (df = rows with non-zero weight in the group
 * minus its strata, as degf()).
 */
export function groupedProportions(
  cells: readonly CategoricalCell[],
  design: GroupedDesign = {},
  options: { levels?: readonly string[]; ciMethod?: 'logit' | 'normal' } = {},
): (GroupedEstimate & { level: string })[] {
  const sizes = stratumSizes(cells);
  const confidence = design.confidence ?? 0.95;
  const levels =
    options.levels ?? [...new Set(cells.filter((c) => c.level !== null).map((c) => c.level!))].sort();
  const out: (GroupedEstimate & { level: string })[] = [];
  for (const group of groupsOf(cells)) {
    const inGroup = cells.filter((c) => c.group === group);
    const mine = inGroup.filter((c) => c.level !== null);
    const W = mine.reduce((s, c) => s + c.sumW, 0);
    if (!(W > 0)) continue;
    const strataWithWeight = new Set(
      inGroup.filter((c) => (c.nWeighted ?? c.n) > 0 && c.sumW > 0).map((c) => c.stratum),
    );
    const df = inGroup.reduce((s, c) => s + (c.nWeighted ?? c.n), 0) - strataWithWeight.size;
    for (const level of levels) {
      const p = mine.filter((c) => c.level === level).reduce((s, c) => s + c.sumW, 0) / W;
      const parts = new Map<string, Part>();
      for (const c of mine) {
        const part = parts.get(c.stratum) ?? { a: 0, b: 0 };
        const d = (c.level === level ? 1 : 0) - p;
        part.a += (c.sumW * d) / W;
        part.b += (c.sumW2 * d * d) / (W * W);
        parts.set(c.stratum, part);
      }
      const se = Math.sqrt(varianceFromParts(parts, sizes, design));
      const method = options.ciMethod ?? 'logit';
      out.push({
        group,
        level,
        statistic: 'proportion',
        value: p,
        se,
        ci: method === 'logit' ? logitInterval(p, se, df, confidence) : normalInterval(p, se, confidence),
        confidence,
        ciMethod: method,
        n: mine.reduce((s, c) => s + (c.nWeighted ?? c.n), 0),
        weightedN: W,
        df,
      });
    }
  }
  return out;
}
