import { describe, expect, it } from 'vitest';
import { loadCairnetInstrument } from '../../src/instrument/load-instrument.js';
import { readPlanFile } from '../../src/plan/parse-plan.js';
import { findUnboundNumbers } from '../../src/report/bound-numbers.js';
import { isPublishable, publicResults, withholdSuppressed } from '../../src/report/public-results.js';
import { renderReportHtml } from '../../src/report/report-html.js';
import { publicResultsBody } from '../../src/report/results-pages.js';
import type { PublishedResults } from '../../src/results/store-results.js';
import { planResults, proportion } from './plan-results-fixture.js';

const byProfile = proportion('F20', 0.41, [0.37, 0.45], 651, {
  by: 'profile',
  groups: [
    {
      group: 'engages',
      n: 184,
      count: 137,
      estimate: 0.7446,
      ci: [0.677, 0.802],
      suppressed: false,
      fragile: false,
    },
    {
      group: 'reticents',
      n: 6,
      count: 3,
      estimate: 0.5,
      ci: [0.188, 0.812],
      suppressed: true,
      fragile: true,
    },
  ],
  test: [{ test: 'chisq', method: "Pearson's chi-squared test", statistic: 9.87, df: 1, p: 0.0017 }],
});
const tiny = proportion('F7', 0.0313, [0.006, 0.157], 32, { suppressed: true, count: 1 });
const pending = {
  ...proportion('F6', 0, [0, 0], 0),
  kind: 'distinctNames' as const,
  status: 'pending' as const,
  estimate: null,
  ci: null,
};
const fine = proportion('F2', 0.8126, [0.7808, 0.8407], 651);

function published(): PublishedResults {
  const { plan } = readPlanFile();
  return {
    results: planResults([fine, tiny, pending, byProfile], true),
    plan,
    codebook: loadCairnetInstrument().codebook,
    computedAt: new Date('2026-11-29T10:00:00Z'),
  };
}

describe('what the public sees', () => {
  it('keeps only computed indicators whose overall cell is publishable', () => {
    expect([fine, tiny, pending, byProfile].map(isPublishable)).toEqual([true, false, false, true]);
    expect(publicResults(published().results).indicators.map((r) => r.id)).toEqual(['F2', 'F20']);
  });

  it('strips a suppressed group of its estimate, count and interval, and drops the tests that could reveal it', () => {
    const f20 = publicResults(published().results).indicators.find((r) => r.id === 'F20')!;
    expect(f20.groups![1]).toMatchObject({
      group: 'reticents',
      n: 6,
      estimate: null,
      count: null,
      ci: null,
      suppressed: true,
    });
    expect(f20.groups![0]!.estimate).toBe(0.7446);
    expect(f20.test).toBeUndefined();
  });

  it('leaves out a group’s Likert distribution when it is hidden, in public and for the team', () => {
    const level = (lv: string, count: number, n: number, suppressed = false) => ({
      level: lv,
      label: { fr: lv, en: lv },
      n,
      count,
      estimate: count / n,
      ci: [0, 1] as [number, number],
      suppressed,
      fragile: false,
    });
    const scale = (n: number, suppressed: boolean) => ({
      variable: 'opinion_freedom',
      selected: ['c'],
      n,
      suppressed,
      levels: [level('a', 2, n, suppressed), level('b', 1, n, suppressed), level('c', 3, n, suppressed)],
    });
    const item = proportion('L1', 0.5, [0.4, 0.6], 100, {
      by: 'gender',
      scale: scale(100, false),
      groups: [
        {
          group: 'f',
          n: 60,
          count: 30,
          estimate: 0.5,
          ci: [0.4, 0.6],
          suppressed: false,
          fragile: false,
          scale: scale(60, false),
        },
        {
          group: 'm',
          n: 40,
          count: 20,
          estimate: 0.5,
          ci: [0.3, 0.7],
          suppressed: false,
          fragile: false,
          scale: scale(40, true),
        },
      ],
    });
    for (const view of [publicResults, withholdSuppressed]) {
      const out = view(planResults([item], false)).indicators[0]!;
      expect(out.groups!.map((g) => g.scale !== undefined)).toEqual([true, false]);
      expect(out.scale).toBeDefined();
    }
  });

  it('gives the survey team every indicator, suppressed cells without their figures', () => {
    const all = withholdSuppressed(published().results).indicators;
    expect(all.map((r) => r.id)).toEqual(['F2', 'F7', 'F6', 'F20']);
    expect(all[1]).toMatchObject({
      id: 'F7',
      suppressed: true,
      estimate: null,
      count: null,
      ci: null,
      n: 32,
    });
    expect(all[3]!.groups![1]!.estimate).toBeNull();
    expect(all[0]!.estimate).toBe(0.8126);
  });

  it('renders the public page without any figure of a suppressed cell, every number bound', async () => {
    const p = published();
    const shown = { ...p, results: publicResults(p.results) };
    const body = publicResultsBody(shown, new Map(), 'en');
    expect(findUnboundNumbers(body, ['F2', 'F20'])).toEqual([]);
    const reticents = /<tr><th scope="row">Reluctant<\/th>(.*?)<\/tr>/.exec(body)![1]!;
    expect(reticents).not.toMatch(/50|188|81\.2|>3</);
    expect(reticents).toContain('suppressed');
    expect(body).not.toContain('data-indicator="F7"');
    expect(body).toContain('Synthetic data');
  });

  it('flags suppressed, fragile and pending indicators in the report, without printing their figures', async () => {
    const html = await renderReportHtml(published(), { lang: 'en' });
    const f7 = /id="ind-F7"[\s\S]*?<\/section>/.exec(html)![0];
    expect(f7).toContain('suppressed (small cell)');
    expect(f7).not.toMatch(/3\.1%|15\.7%/);
    expect(f7).not.toContain('<svg');
    const f6 = /id="ind-F6"[\s\S]*?<\/section>/.exec(html)![0];
    expect(f6).toContain('class="flag pending"');
    const f20 = /id="ind-F20"[\s\S]*?<\/section>/.exec(html)![0];
    expect(f20).toContain('fragile (small base)');
    expect(f20).not.toContain('50.0%');
    expect(f20).toContain('not published (a cell of the table is suppressed)');
    expect(f20).not.toContain('9.87');
  });
});
