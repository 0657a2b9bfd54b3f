import type { Dataset } from '../dataset/dataset.js';
import type { LocalisedText } from '../instrument/types.js';
import type { CellResult, ScaleDistribution } from './indicator-result.js';
import type { Indicator } from './plan-schema.js';

/** The levels of an ordered scale with their wording, in order; null for another variable. */
export type ScaleLevels = (variable: string) => { level: string; label: LocalisedText }[] | null;

/** A share's ordered scale: the variable, the levels the share counts, every level. */
export interface Scale {
  variable: string;
  selected: string[];
  levels: { level: string; label: LocalisedText }[];
}

/** The ordered scale a share is read from (`proportion: {var: V, in: […]}` on an ordinal V), or null. */
export function scaleOf(ind: Indicator, scaleLevels: ScaleLevels | undefined): Scale | null {
  const e = ind.estimate;
  if (!('proportion' in e) || !('var' in e.proportion) || !scaleLevels) return null;
  const levels = scaleLevels(e.proportion.var);
  if (!levels || levels.length < 3) return null;
  return { variable: e.proportion.var, selected: e.proportion.in.map(String), levels };
}

/**
 * A scale's distribution on the headline's base `n`: each level's cell, and the cell of those who
 * did not answer (when any); suppressed whole when any cell is.
 */
export function scaleDistribution(
  scale: Scale,
  n: number,
  cellOf: (level: string | null) => CellResult,
): ScaleDistribution {
  const levels = scale.levels.map(({ level, label }) => ({ level, label, ...cellOf(level) }));
  const missing = cellOf(null);
  const cells: CellResult[] = [...levels, ...(missing.count ? [missing] : [])];
  const suppressed = cells.some((l) => l.suppressed);
  if (suppressed) for (const c of cells) c.suppressed = true;
  return {
    variable: scale.variable,
    selected: scale.selected,
    levels,
    ...(missing.count ? { missing } : {}),
    n,
    suppressed,
  };
}

/**
 * A scale's distribution in a (weighted) design: each level's share of the indicator's base as
 * the headline share is estimated (`svyciprop(~I(x == level), subset(design, among))`).
 */
export function scaleFromRows(
  scale: Scale,
  dataset: Dataset,
  proportion: (domain: Uint8Array, outcome: Uint8Array) => CellResult,
  among: Uint8Array,
): ScaleDistribution | null {
  const col = dataset.columns.get(scale.variable);
  if (col?.kind !== 'categorical') return null;
  let n = 0;
  for (let i = 0; i < among.length; i++) if (among[i]) n++;
  if (n === 0) return null;
  return scaleDistribution(scale, n, (level) => {
    const k = level === null ? -1 : col.levels.indexOf(level);
    const outcome = new Uint8Array(dataset.n);
    for (let i = 0; i < dataset.n; i++)
      outcome[i] = col.codes[i] === k || (k < 0 && col.codes[i]! < 0) ? 1 : 0;
    return proportion(among, outcome);
  });
}
