import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { CellResult, IndicatorResult } from '../plan/indicator-result.js';
import type { OrderedChart } from '../plan/ordered-charts.js';
import { chartConfig, VEGA_LITE_SCHEMA, wrapLabel } from './chart-config.js';
import { drawableScale, likertChartSpec } from './likert-chart.js';
import { type NarrowGroup, narrowBarsSpec } from './narrow-chart.js';
import type { Lang } from './number-format.js';
import { orderedChartPoints, orderedChartSpec } from './ordered-chart.js';
import { TEXT } from './report-text.js';

export { wrapLabel };

/** One bar of an indicator's chart: a published (not suppressed) cell. */
export interface ChartBar {
  label: string;
  estimate: number;
  lo: number | null;
  hi: number | null;
}

/** The labels of a breakdown's groups (profile names, yes/no…), by group code. */
export type GroupLabels = (variable: string, group: string) => string;

/**
 * The bars of an indicator: the whole, or each group or level (by its wording, with
 * `levelLabel`); suppressed cells are left out.
 */
export function chartBars(
  ind: IndicatorResult,
  lang: Lang,
  groupLabel: GroupLabels,
  levelLabel: (id: string, level: string) => string = (_id, l) => l,
): ChartBar[] {
  const bar = (label: string, c: CellResult): ChartBar[] =>
    c.suppressed || c.estimate === null
      ? []
      : [{ label, estimate: c.estimate, lo: c.ci?.[0] ?? null, hi: c.ci?.[1] ?? null }];
  if (ind.groups && ind.groups.length > 0)
    return ind.groups.flatMap((g) => bar(groupLabel(ind.by ?? '', g.group), g));
  if (ind.levels && ind.levels.length > 0)
    return ind.levels.flatMap((l) => bar(levelLabel(ind.id, l.level), l));
  return bar(ind.label[lang], ind);
}

/**
 * The Vega-Lite spec of an indicator's chart: a bar per cell with its confidence interval, on a
 * 0–100% axis. The same spec serves the report (SVG rendered in Node) and the dashboard.
 */
export function indicatorChartSpec(
  bars: readonly ChartBar[],
  lang: Lang,
  reference?: { label: string; estimate: number },
): vl.TopLevelSpec {
  // Labels wrapped at spaces (never cut), one line per array item.
  const y = {
    field: 'label',
    type: 'nominal' as const,
    sort: null,
    title: null,
    axis: { labelLimit: 0, labelExpr: "split(datum.label, '\\n')", labelFontSize: 13, labelPadding: 6 },
  };
  const lines = Math.max(1, ...bars.map((b) => wrapLabel(b.label).split('\n').length));
  // One bar (the whole): its label is the chart's title already; the bar takes the whole width.
  const single = bars.length === 1;
  const yEnc = single ? { ...y, axis: null } : y;
  // a breakdown's groups beside the whole: a dashed line at the overall share, named at its foot
  const whole = reference
    ? [
        {
          data: { values: [reference] },
          mark: { type: 'rule', color: '#555', strokeDash: [5, 3], strokeWidth: 1.5 },
          encoding: { x: { field: 'estimate', type: 'quantitative' } },
        },
        {
          data: { values: [reference] },
          mark: {
            type: 'text',
            color: '#333',
            fontSize: 12,
            align: 'left',
            dx: 4,
            baseline: 'bottom',
            y: 0,
            dy: -3,
          },
          encoding: { x: { field: 'estimate', type: 'quantitative' }, text: { field: 'label' } },
        },
      ]
    : [];
  return {
    $schema: VEGA_LITE_SCHEMA,
    // one bar: no column of labels, the drawing fits a 390 px phone
    width: single ? 340 : 360,
    height: { step: single ? 34 : Math.max(30, 16 * lines + 8) },
    data: { values: bars.map((b) => ({ ...b, label: wrapLabel(b.label) })) },
    layer: [
      {
        mark: { type: 'bar', color: '#4477aa' },
        encoding: {
          y: yEnc,
          x: {
            field: 'estimate',
            type: 'quantitative',
            scale: { domain: [0, 1] },
            // Explicit ticks: no label is hidden for overlap (it would be text in the SVG, unseen).
            axis: {
              format: '.0%',
              values: [0, 0.2, 0.4, 0.6, 0.8, 1],
              labelOverlap: false,
              title: lang === 'fr' ? 'estimation et intervalle' : 'estimate and interval',
            },
          },
        },
      },
      {
        mark: { type: 'rule', color: '#111', strokeWidth: 2 },
        encoding: { y: yEnc, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
      },
      ...whole,
    ],
    config: chartConfig(lang),
  } as vl.TopLevelSpec;
}

/** Renders a Vega-Lite spec to a standalone SVG string in Node (no browser, no canvas). */
export async function renderChartSvg(spec: vl.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Colours of a distribution's levels: viridis (colour-blind safe, lightness rising level by level, so greyscale keeps them apart). */
const LEVEL_SCHEME = { scheme: 'viridis', extent: [0, 0.85] } as const;

/**
 * Grouped bars of a distribution broken down by groups: for each group, a bar per level (in the
 * levels' order, coloured by level) with its interval; suppressed cells left out.
 */
export function groupedBarsSpec(
  ind: IndicatorResult,
  lang: Lang,
  groupLabel: GroupLabels,
  levelLabel: (id: string, level: string) => string,
): vl.TopLevelSpec | null {
  const rows = (ind.groups ?? []).flatMap((g) =>
    (g.levels ?? []).flatMap((l) =>
      l.suppressed || l.estimate === null
        ? []
        : [
            {
              group: wrapLabel(groupLabel(ind.by ?? '', g.group), 20),
              level: levelLabel(ind.id, l.level),
              estimate: l.estimate,
              lo: l.ci?.[0] ?? null,
              hi: l.ci?.[1] ?? null,
            },
          ],
    ),
  );
  if (rows.length === 0) return null;
  const levels = [...new Set(rows.map((r) => r.level))];
  const groups = [...new Set(rows.map((r) => r.group))];
  const y = {
    field: 'group',
    type: 'nominal' as const,
    sort: groups,
    title: null,
    axis: { labelLimit: 0, labelExpr: "split(datum.label, '\\n')", labelFontSize: 13, labelPadding: 6 },
  };
  const yOffset = { field: 'level', type: 'nominal' as const, sort: levels };
  return {
    $schema: VEGA_LITE_SCHEMA,
    width: 360,
    height: { step: 14 },
    data: { values: rows },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y,
          yOffset,
          x: {
            field: 'estimate',
            type: 'quantitative',
            scale: { domain: [0, 1] },
            axis: {
              format: '.0%',
              values: [0, 0.25, 0.5, 0.75, 1],
              labelOverlap: false,
              title: lang === 'fr' ? 'estimation et intervalle' : 'estimate and interval',
            },
          },
          color: {
            field: 'level',
            type: 'nominal',
            sort: levels,
            scale: LEVEL_SCHEME,
            legend: { orient: 'bottom', direction: 'vertical', columns: 1, title: null },
          },
        },
      },
      {
        mark: { type: 'rule', color: '#111', strokeWidth: 1.5 },
        encoding: { y, yOffset, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
      },
    ],
    config: chartConfig(lang),
  } as unknown as vl.TopLevelSpec;
}

/** The labellers a chart needs, in one language. */
export interface ChartLabels {
  group: GroupLabels;
  level: (id: string, level: string) => string;
}

/**
 * The chart of an indicator, the one spec builder of the dashboard, the report and its PDF:
 * a Likert item's whole distribution as a diverging 100% bar with the headline share's interval
 * (a snapshot made before shares carried their scale: its bar, as before); a distribution
 * broken down as grouped bars; a breakdown of a share as a bar per group beside the whole; an
 * ordered chart (`charts` in the plan) where its first indicator is, and none for its others.
 * Null when there is nothing to draw (counts, means, withheld cells).
 */
export function indicatorChart(
  ind: IndicatorResult,
  lang: Lang,
  labels: ChartLabels,
  results: { indicators: readonly IndicatorResult[]; charts?: readonly OrderedChart[] },
): vl.TopLevelSpec | null {
  if (ind.status !== 'ok' || ind.kind === 'distinctNames' || ind.kind === 'mean' || ind.kind === 'quartiles')
    return null;
  const ordered = orderedChartOf(ind.id, results);
  if (ordered) {
    // drawn once, where the first of its indicators shown is
    const host = results.indicators.find((i) => ordered.points.some((p) => p.indicator === i.id));
    const points = orderedChartPoints(ordered, results.indicators, lang);
    return host?.id === ind.id && points.length > 0 ? orderedChartSpec(points, lang) : null;
  }
  if (drawableScale(ind.scale) && !ind.suppressed) return likertChartSpec(ind, lang, labels.group);
  if (ind.kind === 'distribution' && ind.groups && ind.groups.length > 0)
    return groupedBarsSpec(ind, lang, labels.group, labels.level);
  const bars = chartBars(ind, lang, labels.group, labels.level);
  if (bars.length === 0) return null;
  const whole =
    ind.groups && ind.groups.length > 0 && !ind.suppressed && ind.estimate !== null
      ? { label: TEXT[lang].all, estimate: ind.estimate }
      : undefined;
  return indicatorChartSpec(bars, lang, whole);
}

/**
 * The narrow variant of an indicator's chart, for phones, where its chart has a column of labels
 * left of its bars (a breakdown, grouped bars, levels): the labels above the bars instead, so
 * that the drawing fits a 390 px screen unshrunk. Null for the other charts (they fit already).
 */
export function narrowIndicatorChart(
  ind: IndicatorResult,
  lang: Lang,
  labels: ChartLabels,
  results: { indicators: readonly IndicatorResult[]; charts?: readonly OrderedChart[] },
): vl.TopLevelSpec | null {
  if (ind.status !== 'ok' || ind.kind === 'distinctNames' || ind.kind === 'mean' || ind.kind === 'quartiles')
    return null;
  if (orderedChartOf(ind.id, results) || (drawableScale(ind.scale) && !ind.suppressed)) return null;
  if (ind.kind === 'distribution' && ind.groups && ind.groups.length > 0) {
    const groups: NarrowGroup[] = ind.groups.map((g) => ({
      label: labels.group(ind.by ?? '', g.group),
      bars: (g.levels ?? []).flatMap((l) =>
        l.suppressed || l.estimate === null
          ? []
          : [
              {
                level: labels.level(ind.id, l.level),
                estimate: l.estimate,
                lo: l.ci?.[0] ?? null,
                hi: l.ci?.[1] ?? null,
              },
            ],
      ),
    }));
    const shown = groups.filter((g) => g.bars.length > 0);
    return shown.length > 0 ? narrowBarsSpec(shown, lang, { levelScale: LEVEL_SCHEME }) : null;
  }
  const bars = chartBars(ind, lang, labels.group, labels.level);
  if (bars.length < 2) return null;
  const reference =
    ind.groups && ind.groups.length > 0 && !ind.suppressed && ind.estimate !== null
      ? { label: TEXT[lang].all, estimate: ind.estimate }
      : undefined;
  return narrowBarsSpec(
    bars.map(({ label, ...bar }) => ({ label, bars: [bar] })),
    lang,
    reference ? { reference } : {},
  );
}

/** The ordered chart an indicator is drawn in, if any. */
export function orderedChartOf(
  id: string,
  results: { charts?: readonly OrderedChart[] },
): OrderedChart | undefined {
  return (results.charts ?? []).find((c) => c.points.some((p) => p.indicator === id));
}

/**
 * For an indicator drawn in an ordered chart hosted by another indicator, the chart's title (its
 * section says where its figure is drawn); nothing otherwise.
 */
export function chartWithOf(
  id: string,
  results: { indicators: readonly IndicatorResult[]; charts?: readonly OrderedChart[] },
  lang: Lang,
): { chartWith?: string } {
  const ordered = orderedChartOf(id, results);
  if (!ordered) return {};
  const host = results.indicators.find((i) => ordered.points.some((p) => p.indicator === i.id));
  return host && host.id !== id ? { chartWith: ordered.label[lang] } : {};
}
