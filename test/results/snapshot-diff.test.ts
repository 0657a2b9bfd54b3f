import { describe, expect, it } from 'vitest';
import type { PlanResults } from '../../src/plan/evaluate-plan.js';
import type { IndicatorResult } from '../../src/plan/indicator-result.js';
import { diffResults } from '../../src/results/snapshot-diff.js';

function indicator(
  id: string,
  estimate: number,
  ci: [number, number],
  n: number,
  extra: Partial<IndicatorResult> = {},
) {
  return {
    id,
    label: { fr: id, en: id },
    kind: 'proportion',
    status: 'ok',
    method: 'm',
    weighted: false,
    synthetic: false,
    n,
    count: Math.round(estimate * n),
    estimate,
    ci,
    suppressed: false,
    fragile: false,
    ...extra,
  } as IndicatorResult;
}

const results = (n: number, indicators: IndicatorResult[]): PlanResults => ({
  instrument: 'x',
  n,
  synthetic: false,
  indicators,
});

describe('the difference between two snapshots', () => {
  const a = results(100, [
    indicator('A', 0.5, [0.4, 0.6], 100),
    indicator('B', 0.3, [0.2, 0.4], 100, {
      by: 'g',
      groups: [
        { group: 'u', n: 50, count: 10, estimate: 0.2, ci: [0.1, 0.33], suppressed: false, fragile: false },
        { group: 'v', n: 50, count: 20, estimate: 0.4, ci: [0.27, 0.54], suppressed: false, fragile: false },
      ],
    }),
    indicator('C', 0.7, [0.6, 0.8], 100),
    indicator('Gone', 0.1, [0.05, 0.2], 100),
  ]);
  const b = results(110, [
    indicator('A', 0.55, [0.45, 0.64], 110),
    indicator('B', 0.3, [0.2, 0.4], 100, {
      by: 'g',
      groups: [
        { group: 'u', n: 50, count: 10, estimate: 0.2, ci: [0.1, 0.33], suppressed: false, fragile: false },
        { group: 'v', n: 50, count: 30, estimate: 0.6, ci: [0.46, 0.72], suppressed: false, fragile: false },
      ],
    }),
    indicator('C', 0.7, [0.6, 0.8], 100),
    indicator('New', 0.9, [0.8, 0.95], 110),
  ]);
  const d = diffResults(a, b, 'sa', 'sb');
  const get = (id: string) => d.indicators.find((i) => i.id === id)!;

  it('gives each moved figure its change, and whether it left the earlier interval', () => {
    expect(get('A').state).toBe('moved');
    expect(get('A').beyondInterval).toBe(false);
    const own = get('A').changes[0]!;
    expect(own).toMatchObject({
      cell: '',
      before: 0.5,
      after: 0.55,
      nBefore: 100,
      nAfter: 110,
      beyondInterval: false,
    });
    expect(own.change).toBeCloseTo(0.05, 12);
    expect(get('B').state).toBe('moved');
    expect(get('B').beyondInterval).toBe(true);
    expect(get('B').changes).toEqual([
      expect.objectContaining({ cell: 'group=v', group: 'v', before: 0.4, after: 0.6, beyondInterval: true }),
    ]);
  });

  it('names the indicators that did not move, and those in one snapshot only', () => {
    expect(get('C')).toMatchObject({ state: 'unchanged', changes: [] });
    expect(get('New').state).toBe('added');
    expect(get('Gone').state).toBe('removed');
    expect(d).toMatchObject({
      from: 'sa',
      to: 'sb',
      n: { before: 100, after: 110 },
      moved: 4,
      beyondInterval: 1,
    });
  });

  it('finds nothing between a snapshot and itself', () => {
    const same = diffResults(a, a, 'sa', 'sa');
    expect(same.moved).toBe(0);
    expect(same.indicators.every((i) => i.state === 'unchanged')).toBe(true);
  });
});
