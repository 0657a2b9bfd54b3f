import type * as vl from 'vega-lite';
import { escapeHtml } from './html.js';
import { renderChartSvg } from './indicator-chart.js';
import { FITS_PHONE } from './narrow-chart.js';

/** The width an SVG drawing declares (0 when it declares none). */
export function svgWidth(svg: string): number {
  return Number(/^<svg [^>]*?width="([\d.]+)"/.exec(svg)?.[1] ?? 0);
}

/** An SVG chart named for screen readers, and marked as one variant of a pair when it is one. */
function named(svg: string, name: string, variant?: 'chart-full' | 'chart-phone'): string {
  const out = svg.replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(name)}" `);
  return variant ? out.replace('class="marks"', `class="marks ${variant}"`) : out;
}

/**
 * A chart as inline SVG, named; when its drawing is wider than a 390 px phone shows unshrunk, its
 * narrow variant (asked of `narrow` only then) follows it, each shown at its screen's width by
 * the pages' CSS (`svg.chart-full`, `svg.chart-phone`).
 */
export async function chartWithPhoneVariant(
  spec: vl.TopLevelSpec,
  name: string,
  narrow: () => vl.TopLevelSpec | null,
): Promise<string> {
  const wide = await renderChartSvg(spec);
  const phone = svgWidth(wide) > FITS_PHONE ? narrow() : null;
  return phone
    ? named(wide, name, 'chart-full') + named(await renderChartSvg(phone), name, 'chart-phone')
    : named(wide, name);
}
