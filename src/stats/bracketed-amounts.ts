import { statsError } from './stats-error.js';

/** Brackets [bounds[k], bounds[k+1]) with the (weighted) count of cases in each. */
export interface Brackets {
  bounds: readonly number[];
  counts: readonly number[];
}

function check({ bounds, counts }: Brackets): number {
  if (bounds.length !== counts.length + 1 || bounds.some((b, k) => k > 0 && !(b > bounds[k - 1]!))) {
    throw statsError('Brackets need increasing bounds, one more than the counts');
  }
  const total = counts.reduce((s, c) => s + c, 0);
  if (counts.some((c) => !(c >= 0)) || !(total > 0))
    throw statsError('Bracket counts must be ≥ 0 with a positive total');
  return total;
}

/** Share of cases below a bracket bound: exact, so the bound must be one of the bracket bounds. */
export function shareBelow(brackets: Brackets, bound: number): { value: number; interpolated: false } {
  const total = check(brackets);
  const k = brackets.bounds.indexOf(bound);
  if (k < 0) throw statsError(`${bound} is not a bracket bound: a share below it would be interpolated`);
  return { value: brackets.counts.slice(0, k).reduce((s, c) => s + c, 0) / total, interpolated: false };
}

/**
 * Quantile of a bracketed amount, interpolated linearly inside the bracket that holds it (the
 * grouped-data median formula L + (p − F_before)/f · width); labelled as interpolated.
 */
export function bracketQuantile(
  brackets: Brackets,
  p: number,
): { value: number; interpolated: true; bracket: [number, number] } {
  const total = check(brackets);
  if (!(p > 0 && p < 1)) throw statsError('A bracket quantile needs 0 < p < 1');
  let before = 0;
  for (let k = 0; k < brackets.counts.length; k++) {
    const share = brackets.counts[k]! / total;
    if (before + share >= p && share > 0) {
      const lo = brackets.bounds[k]!;
      const hi = brackets.bounds[k + 1]!;
      return { value: lo + ((p - before) / share) * (hi - lo), interpolated: true, bracket: [lo, hi] };
    }
    before += share;
  }
  throw statsError('No bracket holds this quantile');
}
