import { describe, expect, it } from 'vitest';
import type { IndicatorResult, ScaleDistribution } from '../../src/plan/indicator-result.js';
import type { OrderedChart } from '../../src/plan/ordered-charts.js';
import {
  chartWithOf,
  indicatorChart,
  narrowIndicatorChart,
  renderChartSvg,
} from '../../src/report/indicator-chart.js';
import {
  drawableScale,
  headlineInterval,
  likertChartSpec,
  likertRows,
  likertSegments,
  MISSING_COLOUR,
  SCALE_PALETTES,
} from '../../src/report/likert-chart.js';

const cell = (count: number, n: number) => ({
  n,
  count,
  estimate: count / n,
  ci: [count / n - 0.05, count / n + 0.05] as [number, number],
  suppressed: false,
  fragile: false,
});

// 6, 10, 18, 10 of 50, and 6 without an answer (as in test/plan/scale-distribution.test.ts)
const scale: ScaleDistribution = {
  variable: 'op_freedom',
  selected: ['a', 'sa'],
  n: 50,
  suppressed: false,
  levels: [
    { level: 'sd', label: { fr: 'Pas du tout d’accord', en: 'Strongly disagree' }, ...cell(6, 50) },
    { level: 'd', label: { fr: 'Pas d’accord', en: 'Disagree' }, ...cell(10, 50) },
    { level: 'a', label: { fr: 'D’accord', en: 'Agree' }, ...cell(18, 50) },
    { level: 'sa', label: { fr: 'Tout à fait d’accord', en: 'Strongly agree' }, ...cell(10, 50) },
  ],
  missing: cell(6, 50),
};

const share = (id: string, over: Partial<IndicatorResult> = {}): IndicatorResult => ({
  id,
  label: { fr: `part ${id}`, en: `share ${id}` },
  kind: 'proportion',
  status: 'ok',
  method: 'proportion with Wilson interval (as prop.test, correct = FALSE)',
  weighted: false,
  synthetic: false,
  ...cell(28, 50),
  ci: [0.42, 0.69],
  ...over,
});

const labels = { group: (_v: string, g: string) => `group ${g}`, level: (_i: string, l: string) => l };
const layersOf = (spec: unknown) => (spec as { layer: { mark: { type: string } | string }[] }).layer;
const marks = (spec: unknown) =>
  layersOf(spec).map((l) => (typeof l.mark === 'string' ? l.mark : l.mark.type));

describe('the chart of a Likert item', () => {
  it('places the lower levels left of zero, the upper ones right, and the unanswered after them', () => {
    const segs = likertSegments(scale, 'en').map((s) => [s.label, +s.start.toFixed(6), +s.end.toFixed(6)]);
    expect(segs).toEqual([
      ['Strongly disagree', -0.32, -0.2],
      ['Disagree', -0.2, 0],
      ['Agree', 0, 0.36],
      ['Strongly agree', 0.36, 0.56],
      ['No answer or not asked', 0.56, 0.68],
    ]);
  });

  it('draws the headline interval on the side the share counts (mirrored for a disagreement share)', () => {
    expect(headlineInterval(share('agree', { scale }))).toEqual({ lo: 0.42, hi: 0.69 });
    const disagree = share('disagree', { scale: { ...scale, selected: ['sd', 'd'] }, ci: [0.2, 0.45] });
    expect(headlineInterval(disagree)).toEqual({ lo: -0.45, hi: -0.2 });
    expect(headlineInterval(share('one', { scale: { ...scale, selected: ['sa'] } }))).toBeNull();
  });

  it('is the diverging bar for a share with its scale, the old bar for a snapshot without one', () => {
    const results = { indicators: [] };
    const withScale = indicatorChart(share('agree', { scale }), 'en', labels, results)!;
    expect(marks(withScale)).toEqual(['bar', 'text', 'rule', 'rule']);
    const old = indicatorChart(share('agree'), 'en', labels, results)!;
    expect(marks(old)).toEqual(['bar', 'rule']);
    // a suppressed scale (or one withheld from a published page) falls back to the bar too
    const hidden = indicatorChart(
      share('agree', { scale: { ...scale, suppressed: true } }),
      'en',
      labels,
      results,
    )!;
    expect(marks(hidden)).toEqual(['bar', 'rule']);
  });

  it('renders with every level named and shares in the language’s format', async () => {
    const fr = await renderChartSvg(likertChartSpec(share('agree', { scale }), 'fr'));
    for (const l of scale.levels) expect(fr).toContain(l.label.fr.replace(/’/g, '’'));
    expect(fr).toContain('Sans réponse ou non interrogé');
    expect(fr).toContain('36\u202f%');
    expect(fr).not.toMatch(/Strongly|No answer/);
    const en = await renderChartSvg(likertChartSpec(share('agree', { scale }), 'en'));
    expect(en).toContain('36%');
    expect(en).toContain('No answer or not asked');
  });

  it('stays within a 390 px phone’s width in both languages (a wider drawing would shrink its text)', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const svg = await renderChartSvg(likertChartSpec(share('agree', { scale }), lang));
      expect(Number(/width="([\d.]+)"/.exec(svg)![1]), lang).toBeLessThanOrEqual(366);
    }
  });

  it('draws a 7-point scale with its middle across zero, and keeps the plain bar from 8 levels', () => {
    const seven: ScaleDistribution = {
      ...scale,
      selected: ['5', '6', '7'],
      levels: ['1', '2', '3', '4', '5', '6', '7'].map((l) => ({
        level: l,
        label: { fr: `niveau ${l}`, en: `level ${l}` },
        ...cell(6, 50),
      })),
      missing: cell(8, 50),
    };
    expect(drawableScale(seven)).toBe(true);
    const segs = likertSegments(seven, 'en');
    // three levels left of zero, the middle (6 of 50) half each side, three right, then the unanswered
    expect(segs.map((s) => +s.start.toFixed(6))).toEqual([-0.42, -0.3, -0.18, -0.06, 0.06, 0.18, 0.3, 0.42]);
    expect(new Set(segs.map((s) => s.color)).size).toBe(8);
    const eight = { ...seven, levels: [...seven.levels, { ...seven.levels[0]!, level: '8' }] };
    expect(drawableScale(eight)).toBe(false);
  });

  it('draws a bar per group under its label when the item is broken down, leaving out a hidden group', () => {
    const ind = share('agree', {
      scale,
      by: 'grp',
      groups: [
        { group: 'x', ...cell(20, 30), scale },
        { group: 'y', ...cell(8, 20), scale: { ...scale, suppressed: true } },
        { group: 'z', ...cell(9, 20), scale: { ...scale, selected: ['a', 'sa'] } },
      ],
    });
    const rows = likertRows(ind, 'fr', (_v, g) => `groupe ${g}`);
    expect(rows.map((r) => r.label)).toEqual(['Ensemble', 'groupe x', 'groupe z']);
    const spec = likertChartSpec(ind, 'fr', (_v, g) => `groupe ${g}`) as unknown as {
      height: number;
      layer: { data?: { values: { name?: string }[] }; mark: { type: string } }[];
    };
    expect(spec.height).toBe(150);
    const names = spec.layer.find((l) => l.mark.type === 'text' && l.data)!.data!.values.map((v) => v.name);
    expect(names).toEqual(['Ensemble', 'groupe x', 'groupe z']);
    // without a breakdown: one bar, no label
    expect(likertRows(share('agree', { scale }), 'en').map((r) => r.label)).toEqual(['']);
  });

  it('uses colours whose grey values differ by at least 20 from level to level (greyscale print)', () => {
    const grey = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((k) => Number.parseInt(hex.slice(k, k + 2), 16));
      return 0.299 * r! + 0.587 * g! + 0.114 * b!;
    };
    for (const palette of Object.values(SCALE_PALETTES)) {
      const greys = [...palette, MISSING_COLOUR].map(grey).sort((a, b) => a - b);
      for (let k = 1; k < greys.length; k++) expect(greys[k]! - greys[k - 1]!).toBeGreaterThanOrEqual(20);
    }
  });
});

describe('ordered charts and breakdowns', () => {
  const chart: OrderedChart = {
    id: 'by_age',
    label: { fr: 'Relation suivie selon l’âge', en: 'Ongoing relation by age' },
    variable: 'age_band',
    points: [
      { indicator: 'F7', levels: ['lt30'], label: { fr: 'Moins de 30 ans', en: 'Under 30' } },
      { indicator: 'F8', levels: ['50_54'], label: { fr: '50 à 54 ans', en: '50–54' } },
      { indicator: 'F9', levels: ['55_59'], label: { fr: '55 à 59 ans', en: '55–59' } },
    ],
  };
  const indicators = [
    share('F7', { estimate: 0.11, ci: [0.05, 0.2] }),
    share('F8', { estimate: 0.57, ci: [0.47, 0.67] }),
    share('F9', { estimate: 0.5, ci: [0.4, 0.6] }),
  ];

  it('draws F7–F9 once, at F7, as points joined by a line with their intervals, in age order', async () => {
    const results = { indicators, charts: [chart] };
    const spec = indicatorChart(indicators[0]!, 'en', labels, results)!;
    expect(marks(spec)).toEqual(['rule', 'line', 'text']);
    expect((spec as { data: { values: { label: string }[] } }).data.values.map((v) => v.label)).toEqual([
      'Under 30',
      '50–54',
      '55–59',
    ]);
    expect(indicatorChart(indicators[1]!, 'en', labels, results)).toBeNull();
    expect(indicatorChart(indicators[2]!, 'en', labels, results)).toBeNull();
    expect(chartWithOf('F8', results, 'fr')).toEqual({ chartWith: 'Relation suivie selon l’âge' });
    expect(chartWithOf('F7', results, 'fr')).toEqual({});
    const svg = await renderChartSvg(spec);
    expect(Number(/width="([\d.]+)"/.exec(svg)![1])).toBeLessThanOrEqual(366);
    for (const t of ['Under 30', '50–54', '55–59', '11%', '57%', '50%']) expect(svg).toContain(t);
  });

  it('moves the chart to the next indicator shown when the first is not published, and leaves out a suppressed point', () => {
    const results = { indicators: indicators.slice(1), charts: [chart] };
    const spec = indicatorChart(indicators[1]!, 'en', labels, results)!;
    expect((spec as { data: { values: unknown[] } }).data.values).toHaveLength(2);
  });

  it('draws a share broken down as a bar per group beside a dashed line at the whole', () => {
    const ind = share('F10', {
      by: 'clinical',
      groups: [
        { group: 'yes', ...cell(67, 100) },
        { group: 'no', ...cell(199, 551) },
      ],
    });
    const spec = indicatorChart(ind, 'fr', labels, { indicators: [ind] })!;
    expect(marks(spec)).toEqual(['bar', 'rule', 'rule', 'text']);
    expect(JSON.stringify(spec)).toContain('"Ensemble"');
  });

  it('draws a distribution broken down as grouped bars, one per level within each group', () => {
    const ind = share('dist', {
      kind: 'distribution',
      estimate: null,
      ci: null,
      count: null,
      by: 'grp',
      groups: [
        {
          group: 'x',
          ...cell(10, 40),
          levels: [
            { level: 'a', ...cell(10, 40) },
            { level: 'b', ...cell(30, 40) },
          ],
        },
        {
          group: 'y',
          ...cell(10, 40),
          levels: [
            { level: 'a', ...cell(20, 40) },
            { level: 'b', ...cell(20, 40) },
          ],
        },
      ],
    });
    const spec = indicatorChart(ind, 'en', labels, { indicators: [ind] })!;
    const layer = layersOf(spec)[0] as unknown as { encoding: Record<string, { field: string }> };
    expect(layer.encoding.yOffset!.field).toBe('level');
    expect(layer.encoding.color!.field).toBe('level');
    expect((spec as { data: { values: unknown[] } }).data.values).toHaveLength(4);
  });

  // long French group names, as the demo's profiles: the left column of labels makes the chart too wide for a phone
  const longNames = {
    group: (_v: string, g: string) =>
      ({
        a: 'Chercheurs et enseignants-chercheurs des sciences fondamentales',
        b: 'Cliniciens hospitalo-universitaires',
        c: 'Ingénieurs, techniciens et personnels de soutien à la recherche',
      })[g] ?? g,
    level: (_i: string, l: string) => ({ p: 'Plutôt d’accord', q: 'Sans réponse ou non interrogé' })[l] ?? l,
  };
  const width = (svg: string) => Number(/^<svg[^>]*? width="([\d.]+)"/.exec(svg)![1]);
  const fontSizes = (svg: string) => {
    const sizes = [...svg.matchAll(/font-size="([\d.]+)px"/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(3);
    return sizes;
  };

  it('has a narrow variant of a breakdown, its labels above the bars, that fits a 390 px phone', async () => {
    const ind = share('F20', {
      by: 'profile',
      groups: ['a', 'b', 'c'].map((g, k) => ({ group: g, ...cell(10 + 10 * k, 60) })),
    });
    const results = { indicators: [ind] };
    const wide = await renderChartSvg(indicatorChart(ind, 'fr', longNames, results)!);
    expect(width(wide)).toBeGreaterThan(366); // the case the narrow variant is for
    const svg = await renderChartSvg(narrowIndicatorChart(ind, 'fr', longNames, results)!);
    expect(width(svg)).toBeLessThanOrEqual(366);
    expect(Math.min(...fontSizes(svg))).toBeGreaterThanOrEqual(11);
    // every name whole (wrapped over lines, never cut), and the whole's dashed line named
    const text = [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>|<text[^>]*>([^<]*)<\/text>/g)]
      .map((m) => m[1] ?? m[2])
      .join(' ');
    for (const word of ['fondamentales', 'hospitalo-universitaires', 'recherche', 'Ensemble'])
      expect(text).toContain(word);
    expect(svg).not.toContain('…');
  });

  it('has a narrow variant of grouped bars, a bar per level under each group, with the levels in a legend', async () => {
    const ind = share('dist', {
      kind: 'distribution',
      estimate: null,
      ci: null,
      count: null,
      by: 'grp',
      groups: ['a', 'b', 'c'].map((g) => ({
        group: g,
        ...cell(10, 40),
        levels: [
          { level: 'p', ...cell(10, 40) },
          { level: 'q', ...cell(30, 40) },
        ],
      })),
    });
    const spec = narrowIndicatorChart(ind, 'fr', longNames, { indicators: [ind] })!;
    const bars = (layersOf(spec)[0] as unknown as { data: { values: { level: string }[] } }).data.values;
    expect(bars.map((b) => b.level)).toEqual(
      Array(3).fill(['Plutôt d’accord', 'Sans réponse ou non interrogé']).flat(),
    );
    const svg = await renderChartSvg(spec);
    expect(width(svg)).toBeLessThanOrEqual(366);
    expect(Math.min(...fontSizes(svg))).toBeGreaterThanOrEqual(11);
    expect(svg).toContain('Sans réponse ou non interrogé');
  });

  it('has no narrow variant for the charts that fit already: a single share, a Likert item, an ordered chart', () => {
    const one = share('F1');
    expect(narrowIndicatorChart(one, 'fr', labels, { indicators: [one] })).toBeNull();
    const likert = share('F14', { scale });
    expect(narrowIndicatorChart(likert, 'fr', labels, { indicators: [likert] })).toBeNull();
    expect(narrowIndicatorChart(indicators[0]!, 'fr', labels, { indicators, charts: [chart] })).toBeNull();
  });
});
