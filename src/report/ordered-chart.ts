import type * as vl from 'vega-lite';
import type { IndicatorResult } from '../plan/indicator-result.js';
import type { OrderedChart } from '../plan/ordered-charts.js';
import { chartConfig, VEGA_LITE_SCHEMA, wrapLabel } from './chart-config.js';
import type { Lang } from './number-format.js';

/** One point of an ordered chart: a published share at its levels. */
export interface OrderedChartPoint {
  label: string;
  estimate: number;
  lo: number | null;
  hi: number | null;
}

/** The points of an ordered chart, in order: its indicators' shares, suppressed ones left out. */
export function orderedChartPoints(
  chart: OrderedChart,
  indicators: readonly IndicatorResult[],
  lang: Lang,
): OrderedChartPoint[] {
  return chart.points.flatMap((p) => {
    const ind = indicators.find((i) => i.id === p.indicator);
    if (ind?.status !== 'ok' || ind.suppressed || ind.estimate === null) return [];
    return [
      { label: p.label[lang], estimate: ind.estimate, lo: ind.ci?.[0] ?? null, hi: ind.ci?.[1] ?? null },
    ];
  });
}

/**
 * The Vega-Lite spec of shares across the levels of an ordered variable (the age gradient): the
 * levels left to right in their order, each share a point joined to the next by a line, with its
 * interval as a vertical bar and its value written beside it; a 0–100% axis.
 */
export function orderedChartSpec(points: readonly OrderedChartPoint[], lang: Lang): vl.TopLevelSpec {
  const labels = points.map((p) => wrapLabel(p.label, 10));
  const x = {
    field: 'label',
    type: 'ordinal' as const,
    sort: labels,
    title: null,
    axis: { labelAngle: 0, labelExpr: "split(datum.label, '\\n')", labelFontSize: 13, labelLimit: 0 },
    scale: { paddingOuter: 0.4 },
  };
  const y = {
    type: 'quantitative' as const,
    scale: { domain: [0, 1] },
    axis: {
      format: '.0%',
      values: [0, 0.25, 0.5, 0.75, 1],
      labelOverlap: false,
      title: lang === 'fr' ? 'estimation et intervalle' : 'estimate and interval',
    },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    width: 280,
    height: 170,
    data: { values: points.map((p, k) => ({ ...p, label: labels[k] })) },
    layer: [
      {
        mark: { type: 'rule', color: '#111', strokeWidth: 2 },
        encoding: { x, y: { field: 'lo', ...y }, y2: { field: 'hi' } },
      },
      {
        mark: {
          type: 'line',
          color: '#4477aa',
          strokeWidth: 2.5,
          point: { filled: true, size: 90, color: '#4477aa' },
        },
        encoding: { x, y: { field: 'estimate', ...y } },
      },
      {
        mark: { type: 'text', align: 'left', dx: 9, dy: -9, fontSize: 13, fontWeight: 600, color: '#1d2330' },
        encoding: {
          x,
          y: { field: 'estimate', ...y },
          text: { field: 'estimate', type: 'quantitative', format: '.0%' },
        },
      },
    ],
    config: chartConfig(lang),
  } as unknown as vl.TopLevelSpec;
}
