import type * as vl from 'vega-lite';
import { chartConfig, VEGA_LITE_SCHEMA, wrapLabel } from './chart-config.js';
import type { Lang } from './number-format.js';

/**
 * The width of a chart's narrow variant (its whole drawing): what a 390 px phone leaves inside
 * the page's margins (366 px), with room to spare. Wider drawings are shrunk by the browser, and
 * their text with them.
 */
export const NARROW_WIDTH = 350;

/** One bar of a narrow chart: a share with its interval, and its level when bars are coloured. */
export interface NarrowBar {
  level?: string;
  estimate: number;
  lo: number | null;
  hi: number | null;
}

/** A group of bars under its label (a breakdown's group), or a bar alone (no label). */
export interface NarrowGroup {
  label: string;
  bars: readonly NarrowBar[];
}

/** The widest drawing a 390 px phone shows unshrunk: the width inside the pages' margins. */
export const FITS_PHONE = 366;

const LINE = 16; // a label's line, 13 px text
const BAR = 14; // a bar's height
const GAP = 10; // between groups
// Vega sizes text without a browser at 0.8 × font size per character: 30 characters of 13 px
// text are reckoned 312 px, which the plot (about 330 px) holds, so the drawing is never widened.
const WRAP = 30;

/**
 * The rows of a narrow chart, top to bottom in pixels: each group's label (wrapped), then its
 * bars one under the other.
 */
function narrowRows(groups: readonly NarrowGroup[]) {
  const labels: { text: string; top: number }[] = [];
  const bars: (NarrowBar & { top: number; bottom: number; mid: number; group: string })[] = [];
  let y = 0;
  for (const g of groups) {
    if (g.label) {
      const text = wrapLabel(g.label, WRAP);
      labels.push({ text, top: y });
      y += text.split('\n').length * LINE + 2;
    }
    for (const b of g.bars) {
      bars.push({ ...b, group: g.label, top: y, bottom: y + BAR, mid: y + BAR / 2 });
      y += BAR + 2;
    }
    y += GAP;
  }
  return { labels, bars, height: Math.max(BAR, y - GAP) };
}

/**
 * The narrow variant of a breakdown's chart, for phones: each group's label written above its
 * bars across the whole width (instead of a column of labels left of them, which leaves the bars
 * too little room), bars with their interval on a 0–100% axis, the whole as a dashed line when
 * given, levels coloured with their legend below when the bars have levels. The drawing is
 * `NARROW_WIDTH` wide whatever the labels.
 */
export function narrowBarsSpec(
  groups: readonly NarrowGroup[],
  lang: Lang,
  options: { reference?: { label: string; estimate: number }; levelScale?: Record<string, unknown> } = {},
): vl.TopLevelSpec {
  const { labels, bars, height } = narrowRows(groups);
  const y = (field: string) => ({
    field,
    type: 'quantitative' as const,
    scale: { domain: [0, height], reverse: true, nice: false, zero: false },
    axis: null,
  });
  const x = {
    field: 'estimate',
    type: 'quantitative' as const,
    scale: { domain: [0, 1] },
    axis: {
      format: '.0%',
      values: [0, 0.25, 0.5, 0.75, 1],
      labelOverlap: false,
      title: lang === 'fr' ? 'estimation et intervalle' : 'estimate and interval',
    },
  };
  const levels = [...new Set(bars.flatMap((b) => (b.level ? [b.level] : [])))];
  const color =
    levels.length > 0
      ? {
          color: {
            field: 'level',
            type: 'nominal',
            sort: levels,
            scale: options.levelScale ?? {},
            legend: { orient: 'bottom', direction: 'vertical', columns: 1, title: null },
          },
        }
      : {};
  const ref = options.reference;
  const layers: Record<string, unknown>[] = [
    {
      data: { values: bars },
      mark: { type: 'bar', ...(levels.length > 0 ? {} : { color: '#4477aa' }) },
      encoding: { x, x2: { datum: 0 }, y: y('top'), y2: { field: 'bottom' }, ...color },
    },
    {
      data: { values: bars.filter((b) => b.lo !== null && b.hi !== null) },
      mark: { type: 'rule', color: '#111', strokeWidth: 2 },
      encoding: { x: { ...x, field: 'lo' }, x2: { field: 'hi' }, y: y('mid') },
    },
    {
      data: { values: labels },
      mark: {
        type: 'text',
        align: 'left',
        baseline: 'top',
        fontSize: 13,
        lineHeight: LINE,
        lineBreak: '\n',
        color: '#222',
      },
      encoding: { x: { datum: 0, type: 'quantitative' }, y: y('top'), text: { field: 'text' } },
    },
  ];
  if (ref)
    layers.push(
      {
        data: { values: [ref] },
        mark: { type: 'rule', color: '#555', strokeDash: [5, 3], strokeWidth: 1.5, y: 0, y2: height },
        encoding: { x: { ...x, field: 'estimate' } },
      },
      {
        data: { values: [ref] },
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
        encoding: { x: { ...x, field: 'estimate' }, text: { field: 'label' } },
      },
    );
  return {
    $schema: VEGA_LITE_SCHEMA,
    width: NARROW_WIDTH,
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    layer: layers,
    config: chartConfig(lang),
  } as unknown as vl.TopLevelSpec;
}
