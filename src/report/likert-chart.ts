import type * as vl from 'vega-lite';
import type { IndicatorResult, ScaleDistribution } from '../plan/indicator-result.js';
import { chartConfig, percentExpr, VEGA_LITE_SCHEMA } from './chart-config.js';
import type { Lang } from './number-format.js';
import { TEXT } from './report-text.js';

/**
 * Colours of a scale's levels, from the lower end to the upper one: ColorBrewer's PuOr (orange
 * for the lower side, purple for the upper one), safe for colour-blind readers, chosen so that
 * their grey values (and that of "no answer") differ by at least 20 from one another: the levels
 * stay apart in greyscale print. Scales of 3 to 7 levels (the 7-level middle is a mid grey, the
 * only grey that keeps 20 from its neighbours); longer ones cannot keep that rule with PuOr and
 * keep the plain bar.
 */
export const SCALE_PALETTES: Record<number, string[]> = {
  3: ['#b35806', '#a0a0a0', '#2d004b'],
  4: ['#7f3b08', '#fdb863', '#8073ac', '#2d004b'],
  5: ['#b35806', '#fdb863', '#969696', '#542788', '#2d004b'],
  6: ['#7f3b08', '#b35806', '#e08214', '#d8daeb', '#b2abd2', '#2d004b'],
  7: ['#7f3b08', '#e08214', '#fdb863', '#646464', '#d8daeb', '#8073ac', '#2d004b'],
};
export const MISSING_COLOUR = '#f0f0f0';
/** Levels whose colour is dark enough for white text. */
const DARK = new Set(['#7f3b08', '#b35806', '#8073ac', '#542788', '#2d004b', '#646464']);

const WORDS = {
  fr: { missing: 'Sans réponse ou non interrogé', or: ' ou ' },
  en: { missing: 'No answer or not asked', or: ' or ' },
} as const;

/** The words the Likert chart writes, for the language-leak test. */
export const LIKERT_WORDS = WORDS;

/** One segment of the diverging bar: a level (or those who did not answer) placed around zero. */
export interface LikertSegment {
  label: string;
  share: number;
  start: number;
  end: number;
  color: string;
  text: string;
  /** The segment's outline: white between levels, grey around the pale "no answer". */
  edge: string;
}

/** Whether a scale's distribution can be drawn (published whole, every level estimated). */
export function drawableScale(scale: ScaleDistribution | undefined): scale is ScaleDistribution {
  return (
    scale !== undefined &&
    !scale.suppressed &&
    SCALE_PALETTES[scale.levels.length] !== undefined &&
    scale.levels.every((l) => l.estimate !== null)
  );
}

/**
 * The segments of a 100% diverging bar: the lower half of the levels left of zero (the level
 * nearest the middle next to zero), the upper half right of it, the middle level of an odd scale
 * across zero, and those who did not answer after the upper end, apart in grey.
 */
export function likertSegments(scale: ScaleDistribution, lang: Lang): LikertSegment[] {
  const L = scale.levels.length;
  const colors = SCALE_PALETTES[L]!;
  const half = Math.floor(L / 2);
  const share = (k: number) => scale.levels[k]!.estimate ?? 0;
  const neutral = L % 2 === 1 ? share(half) : 0;
  const out: LikertSegment[] = [];
  const seg = (k: number, start: number, end: number) => {
    const l = scale.levels[k]!;
    out.push({
      label: l.label[lang],
      share: share(k),
      start,
      end,
      color: colors[k]!,
      text: DARK.has(colors[k]!) ? 'white' : '#111',
      edge: 'white',
    });
  };
  let x = -neutral / 2;
  for (let k = half - 1; k >= 0; k--) {
    seg(k, x - share(k), x);
    x -= share(k);
  }
  if (neutral > 0) seg(half, -neutral / 2, neutral / 2);
  x = neutral / 2;
  for (let k = L - half; k < L; k++) {
    seg(k, x, x + share(k));
    x += share(k);
  }
  const m = scale.missing;
  if (m && !m.suppressed && m.estimate !== null && m.estimate > 0)
    out.push({
      label: WORDS[lang].missing,
      share: m.estimate,
      start: x,
      end: x + m.estimate,
      color: MISSING_COLOUR,
      text: '#111',
      edge: '#8a8a8a',
    });
  // in the legend's (and the reader's) order: from the lower end of the scale to the upper one
  const order = [...scale.levels.map((l) => l.label[lang]), WORDS[lang].missing];
  return out.sort((a, b) => order.indexOf(a.label) - order.indexOf(b.label));
}

/**
 * The headline share's interval on the diverging axis, when the share counts one whole side of the
 * scale (agree or strongly agree: right of zero; disagree or strongly disagree: left of it),
 * where the bar's end is the estimate; null otherwise (the table gives it).
 */
export function headlineInterval(
  ind: Pick<IndicatorResult, 'scale' | 'ci' | 'suppressed'>,
): { lo: number; hi: number } | null {
  const scale = ind.scale;
  if (!scale || !ind.ci || ind.suppressed) return null;
  const L = scale.levels.length;
  const half = Math.floor(L / 2);
  const codes = scale.levels.map((l) => l.level);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
  if (L % 2 === 0 && same(scale.selected, codes.slice(L - half))) return { lo: ind.ci[0], hi: ind.ci[1] };
  if (L % 2 === 0 && same(scale.selected, codes.slice(0, half))) return { lo: -ind.ci[1], hi: -ind.ci[0] };
  return null;
}

/** One diverging bar of a Likert chart: the whole (no label when alone) or a group of a breakdown. */
export interface LikertRow {
  label: string;
  segments: LikertSegment[];
  interval: { lo: number; hi: number } | null;
}

/**
 * The bars of a Likert item's chart: the whole, then each group of its breakdown whose
 * distribution is published (a group with a hidden cell is left out; the table has its share).
 */
export function likertRows(
  ind: IndicatorResult,
  lang: Lang,
  groupLabel?: (v: string, g: string) => string,
): LikertRow[] {
  const whole: LikertRow = {
    label: '',
    segments: likertSegments(ind.scale!, lang),
    interval: headlineInterval(ind),
  };
  const groups = (ind.groups ?? []).filter((g) => !g.suppressed && drawableScale(g.scale));
  if (groups.length === 0 || !ind.by) return [whole];
  return [
    { ...whole, label: TEXT[lang].all },
    ...groups.map((g) => ({
      label: groupLabel ? groupLabel(ind.by!, g.group) : g.group,
      segments: likertSegments(g.scale!, lang),
      interval: headlineInterval(g),
    })),
  ];
}

/** The headline share's name from its levels ("Agree or Strongly agree"). */
export function headlineName(scale: ScaleDistribution, lang: Lang): string {
  return scale.levels
    .filter((l) => scale.selected.includes(l.level))
    .map((l) => l.label[lang])
    .join(WORDS[lang].or);
}

/** The diverging axis: symmetric, from a quarter to the whole, at most seven ticks. */
function divergingAxis(rows: readonly LikertRow[], lang: Lang) {
  const reach = Math.max(
    0.25,
    ...rows.flatMap((r) => r.segments.flatMap((s) => [Math.abs(s.start), Math.abs(s.end)])),
    ...rows.flatMap((r) => (r.interval ? [Math.abs(r.interval.lo), Math.abs(r.interval.hi)] : [])),
  );
  const m = Math.min(1, Math.ceil(reach * 4 - 1e-9) / 4);
  const ticks: number[] = [];
  // at most seven ticks, so that "100 %" and its neighbours never touch at 360 px
  const step = m > 0.75 ? 0.5 : m > 0.5 ? 0.25 : 0.125;
  for (let v = -m; v <= m + 1e-9; v += step) ticks.push(Math.round(v * 1000) / 1000);
  return {
    m,
    x: {
      type: 'quantitative' as const,
      scale: { domain: [-m, m], nice: false },
      axis: {
        values: ticks,
        labelExpr: percentExpr('datum.value', lang),
        labelOverlap: false,
        grid: true,
        gridColor: '#ddd',
        // short: a long axis title widens the drawing past a phone's width
        title: lang === 'fr' ? 'part des répondants' : 'share of respondents',
      },
    },
  };
}

/**
 * The Vega-Lite spec of a Likert item: a 100% stacked bar diverging from zero (the lower levels
 * left, the upper ones right), each level's share written on it where it fits, and the headline
 * share's interval as a black line with a white halo; with a breakdown, one such bar for the whole
 * and one per group, each under its label (written above the bar, so that the drawing keeps a
 * phone's width). The axis says shares either side of zero.
 */
export function likertChartSpec(
  ind: IndicatorResult,
  lang: Lang,
  groupLabel?: (v: string, g: string) => string,
): vl.TopLevelSpec {
  const rows = likertRows(ind, lang, groupLabel);
  const labelled = rows.length > 1;
  const segments = rows[0]!.segments;
  const { m, x } = divergingAxis(rows, lang);
  const band = { field: 'row', type: 'ordinal' as const, axis: null, sort: null };
  const barHeight = labelled ? 20 : 30;
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'bar', height: barHeight, strokeWidth: 1 },
      encoding: {
        y: band,
        stroke: { field: 'edge', type: 'nominal', scale: null },
        x: { field: 'start', ...x },
        x2: { field: 'end' },
        color: {
          field: 'label',
          type: 'nominal',
          sort: null,
          scale: { domain: segments.map((s) => s.label), range: segments.map((s) => s.color) },
          // one column: two columns of French labels would widen the drawing past a phone's width
          legend: { orient: 'bottom', direction: 'vertical', columns: 1, title: null },
        },
      },
    },
    {
      // shares written where they fit; not on "no answer" (the table has it), which the interval may cross
      // (a segment at least 28 px wide at the chart's 320 px: "37 %" fits in 11 px bold)
      transform: [
        { filter: `datum.share >= ${(28 * 2 * m) / 320} && datum.label !== '${WORDS[lang].missing}'` },
      ],
      mark: { type: 'text', fontSize: 11, fontWeight: 600 },
      encoding: {
        y: band,
        x: { field: 'mid', type: 'quantitative' },
        text: { field: 'share', type: 'quantitative', format: '.0%' },
        color: { field: 'text', type: 'nominal', scale: null },
      },
    },
  ];
  if (labelled)
    layers.push({
      data: { values: rows.map((r, k) => ({ row: k, name: r.label })) },
      mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -(barHeight / 2 + 2), fontSize: 12 },
      encoding: { y: band, x: { value: 0 }, text: { field: 'name', type: 'nominal' } },
    });
  const intervals = rows.flatMap((r, k) =>
    r.interval ? [{ row: k, lo: r.interval.lo, hi: r.interval.hi }] : [],
  );
  if (intervals.length > 0) {
    for (const [color, strokeWidth] of [
      ['white', 6],
      ['#000', 2.5],
    ] as const) {
      layers.push({
        data: { values: intervals },
        mark: { type: 'rule', color, strokeWidth, strokeCap: 'butt' },
        encoding: { y: band, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
      });
    }
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    width: 320,
    height: labelled ? rows.length * 50 : 44,
    data: {
      values: rows.flatMap((r, k) => r.segments.map((s) => ({ ...s, row: k, mid: (s.start + s.end) / 2 }))),
    },
    layer: layers,
    config: chartConfig(lang),
  } as unknown as vl.TopLevelSpec;
}
