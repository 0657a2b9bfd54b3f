import { describe, expect, it } from 'vitest';
import type { IndicatorResult } from '../../src/plan/indicator-result.js';
import { indicatorSection } from '../../src/report/indicator-section.js';

/** A mean of years in post (23.08, interval 17.31–28.86) and a share (60 %, 40.7 %–76.6 %). */
const base = {
  label: { fr: 'Ancienneté', en: 'Years in post' },
  status: 'ok' as const,
  weighted: false,
  synthetic: false,
  n: 25,
  count: null,
  suppressed: false,
  fragile: false,
};
const mean: IndicatorResult = {
  ...base,
  id: 'years',
  kind: 'mean',
  method: 'mean (as svymean) with normal interval',
  estimate: 23.08,
  ci: [17.305, 28.855],
};
const share: IndicatorResult = {
  ...base,
  id: 'remote',
  kind: 'proportion',
  method: 'proportion with Wilson interval (as prop.test, correct = FALSE)',
  count: 15,
  estimate: 0.6,
  ci: [0.407, 0.766],
};
/** The cells of the table's first row (the indicator's own): estimate, interval, count, base. */
const cells = (html: string) => [...html.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]).slice(1);
const groupLabel = (_v: string, g: string) => g;

describe('the interval of an indicator in a table', () => {
  it('is a mean’s in the unit of its variable, never a percentage', () => {
    expect(cells(indicatorSection(mean, { lang: 'en', groupLabel })).slice(0, 2)).toEqual([
      '23.08',
      '17.31–28.86',
    ]);
    expect(cells(indicatorSection(mean, { lang: 'fr', groupLabel })).slice(0, 2)).toEqual([
      '23,08',
      '[17,31 ; 28,86]',
    ]);
    const plain = indicatorSection(mean, { lang: 'en', groupLabel, audience: 'plain' });
    expect(plain).toContain('between 17.31 and 28.86');
    expect(plain).not.toMatch(/1,730|%/);
  });

  it('is a share’s as percentages', () => {
    expect(cells(indicatorSection(share, { lang: 'en', groupLabel }))[1]).toBe('40.7%–76.6%');
  });
});
