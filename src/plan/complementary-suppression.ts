import type { CellResult, GroupResult, IndicatorResult, ScaleDistribution } from './indicator-result.js';

/**
 * Complementary (secondary) suppression. When the total of a breakdown is published and a single
 * cell of it is suppressed, that cell can be recovered by subtraction (total minus the other
 * cells). So whenever one, and only one, cell of a set that adds up to a published total is
 * suppressed, the next smallest cell is suppressed too, and marked `secondary`.
 *
 * Applied to the groups of a breakdown (they add up to the indicator's base), and to the levels
 * of a distribution, overall and within each group. Across groups, level by level (the columns of
 * a two-way table), the same rule is applied once more so that no column has a single hidden cell.
 */
export function applyComplementarySuppression(result: IndicatorResult): IndicatorResult {
  if (result.levels && !result.suppressed) protect(result.levels);
  if (result.groups && !result.suppressed) {
    protect(result.groups);
    for (const g of result.groups) if (g.levels && !g.suppressed) protect(g.levels);
    const levelNames = new Set(result.groups.flatMap((g) => (g.levels ?? []).map((l) => l.level)));
    for (const level of levelNames) {
      const column = result.groups
        .filter((g) => !g.suppressed)
        .map((g) => g.levels?.find((l) => l.level === level))
        .filter((l): l is NonNullable<typeof l> => l !== undefined);
      protect(column);
    }
    protectScales(result.groups);
  }
  return result;
}

/**
 * The scales' distributions within groups add up, level by level, to the whole's: a group whose
 * scale is hidden (a small cell, or the group itself suppressed) could be recovered from the
 * whole and the others', so when exactly one is hidden, the next smallest is hidden too.
 */
function protectScales(groups: GroupResult[]): void {
  const scaled = groups.filter((g) => g.scale);
  for (const g of scaled) if (g.suppressed) hideScale(g.scale!);
  const hidden = scaled.filter((g) => g.scale!.suppressed);
  if (hidden.length !== 1) return;
  const next = scaled
    .filter((g) => !g.scale!.suppressed && g.scale!.n > 0)
    .sort((a, b) => a.scale!.n - b.scale!.n)[0];
  if (next) hideScale(next.scale!);
}

function hideScale(scale: ScaleDistribution): void {
  scale.suppressed = true;
  for (const c of [...scale.levels, ...(scale.missing ? [scale.missing] : [])]) c.suppressed = true;
}

/** Suppresses one more cell when exactly one cell of the set is suppressed. */
function protect(cells: (CellResult & { secondary?: boolean })[]): void {
  const hidden = cells.filter((c) => c.suppressed);
  if (hidden.length !== 1) return;
  const candidates = cells
    .filter((c) => !c.suppressed && c.n > 0)
    .sort((a, b) => (a.count ?? a.n) - (b.count ?? b.n) || a.n - b.n);
  const next = candidates[0];
  if (next) {
    next.suppressed = true;
    next.secondary = true;
  }
}
