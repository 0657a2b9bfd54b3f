import { describe, expect, it } from 'vitest';
import type { CellResult, IndicatorResult } from '../../src/plan/indicator-result.js';
import type { Snapshot } from '../../src/results/snapshot.js';
import { publishChecks } from '../../src/server/studio/publish-page.js';

const cell = (over: Partial<CellResult> = {}): CellResult => ({
  n: 40,
  count: 10,
  estimate: 0.25,
  ci: [0.1, 0.4],
  suppressed: false,
  fragile: false,
  ...over,
});

function indicator(id: string, over: Partial<IndicatorResult> = {}): IndicatorResult {
  return {
    ...cell(),
    id,
    label: { fr: id, en: id },
    kind: 'proportion',
    status: 'ok',
    method: 'wilson',
    weighted: false,
    synthetic: false,
    ...over,
  };
}

describe('publishChecks', () => {
  it('counts the indicators with a fragile base anywhere, and the suppressed cells and their indicators; pending ones are not shown', () => {
    const snap = {
      results: {
        indicators: [
          indicator('A'),
          indicator('B', { fragile: true }),
          indicator('C', {
            groups: [
              { ...cell({ suppressed: true, fragile: true }), group: 'g1' },
              { ...cell(), group: 'g2', levels: [{ ...cell({ suppressed: true }), level: 'x' }] },
            ],
          }),
          indicator('D', { levels: [{ ...cell({ suppressed: true }), level: 'y' }] }),
          indicator('E', { status: 'pending', fragile: true, suppressed: true }),
        ],
      },
    } as unknown as Snapshot;
    expect(publishChecks(snap)).toEqual({ fragile: 2, suppressedIndicators: 2, suppressedCells: 3 });
  });
});
