import { describe, expect, it } from 'vitest';
import { applyComplementarySuppression } from '../../src/plan/complementary-suppression.js';
import type { GroupResult, IndicatorResult } from '../../src/plan/indicator-result.js';

function cell(n: number, count: number, minCell = 5) {
  return {
    n,
    count,
    estimate: count / n,
    ci: null,
    suppressed: count < minCell || n - count < minCell,
    fragile: n < 30,
  };
}

/** A distribution's group: a base, no proportion of its own. */
function base(n: number) {
  return { n, count: null, estimate: null, ci: null, suppressed: false, fragile: false };
}

function indicator(groups: GroupResult[]): IndicatorResult {
  const n = groups.reduce((s, g) => s + g.n, 0);
  const count = groups.reduce((s, g) => s + (g.count ?? 0), 0);
  return {
    ...cell(n, count),
    id: 'X',
    label: { fr: 'x', en: 'x' },
    kind: 'proportion',
    status: 'ok',
    method: 'test',
    weighted: false,
    groups,
    synthetic: false,
  };
}

describe('complementary suppression', () => {
  it('hides a second group when a single group could be recovered from the published total', () => {
    const r = applyComplementarySuppression(
      indicator([
        { group: 'a', ...cell(40, 3) },
        { group: 'b', ...cell(60, 20) },
        { group: 'c', ...cell(80, 50) },
      ]),
    );
    expect(r.suppressed).toBe(false);
    expect(r.groups!.map((g) => g.suppressed)).toEqual([true, true, false]);
    expect(r.groups![1]!.secondary).toBe(true);
    // The published total less the shown group no longer gives either hidden count.
    const shown = r.groups!.filter((g) => !g.suppressed).reduce((s, g) => s + (g.count ?? 0), 0);
    expect(r.count! - shown).toBe(23);
  });

  it('leaves a breakdown alone when none, or already two, of its cells are suppressed', () => {
    const none = applyComplementarySuppression(
      indicator([
        { group: 'a', ...cell(40, 10) },
        { group: 'b', ...cell(60, 20) },
      ]),
    );
    expect(none.groups!.every((g) => !g.suppressed)).toBe(true);
    const two = applyComplementarySuppression(
      indicator([
        { group: 'a', ...cell(40, 2) },
        { group: 'b', ...cell(60, 1) },
        { group: 'c', ...cell(80, 50) },
      ]),
    );
    expect(two.groups!.map((g) => g.suppressed)).toEqual([true, true, false]);
    expect(two.groups!.some((g) => g.secondary)).toBe(false);
  });

  it('protects the levels of a distribution, and each column of a two-way table', () => {
    const level = (name: string, n: number, count: number) => ({ level: name, ...cell(n, count) });
    const r = applyComplementarySuppression({
      ...indicator([
        {
          group: 'g1',
          ...base(100),
          levels: [level('x', 100, 2), level('y', 100, 40), level('z', 100, 58)],
        },
        {
          group: 'g2',
          ...base(100),
          levels: [level('x', 100, 30), level('y', 100, 35), level('z', 100, 35)],
        },
      ]),
      ...base(200),
      kind: 'distribution',
    });
    // Row g1: x is hidden, so y (the next smallest) is hidden too; column x then has one hidden
    // cell (g1), so g2's x is hidden as well.
    expect(r.groups![0]!.levels!.map((l) => l.suppressed)).toEqual([true, true, false]);
    expect(r.groups![1]!.levels!.find((l) => l.level === 'x')!.suppressed).toBe(true);
  });
});
