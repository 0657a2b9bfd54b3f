import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { CellResult, IndicatorResult } from '../plan/indicator-result.js';
import type { Lang } from './number-format.js';

/** One bar of an indicator's chart: a published (not suppressed) cell. */
export interface ChartBar {
  label: string;
  estimate: number;
  lo: number | null;
  hi: number | null;
}

/** The labels of a breakdown's groups (profile names, yes/no…), by group code. */
export type GroupLabels = (variable: string, group: string) => string;

/** Cuts a label into lines of at most `width` characters (at spaces): labels are wrapped, never cut. */
export function wrapLabel(label: string, width = 28): string {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

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
export function indicatorChartSpec(bars: readonly ChartBar[], lang: Lang): vl.TopLevelSpec {
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
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 360,
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
    ],
    config: {
      // Numbers as the language writes them: "80 %" in French, "80%" in English.
      locale: {
        number:
          lang === 'fr'
            ? {
                decimal: ',',
                thousands: '\u202f',
                grouping: [3],
                currency: ['', '\u00a0€'],
                percent: '\u202f%',
              }
            : { decimal: '.', thousands: ',', grouping: [3], currency: ['£', ''] },
      },
      font: 'sans-serif',
      view: { stroke: null },
      axis: { labelColor: '#222', titleColor: '#222', labelFontSize: 12, titleFontSize: 12 },
    },
  };
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
