import type * as vl from 'vega-lite';
import type { Lang } from './number-format.js';

/** Numbers as the language writes them: "80 %" in French, "80%" in English. */
function numberLocale(lang: Lang) {
  return lang === 'fr'
    ? { decimal: ',', thousands: '\u202f', grouping: [3], currency: ['', '\u00a0€'], percent: '\u202f%' }
    : { decimal: '.', thousands: ',', grouping: [3], currency: ['£', ''] };
}

/** What every chart of the outputs shares: the language's numbers, the font, readable sizes. */
export function chartConfig(lang: Lang): vl.TopLevelSpec['config'] {
  return {
    locale: { number: numberLocale(lang) as never },
    font: 'sans-serif',
    view: { stroke: null },
    axis: { labelColor: '#222', titleColor: '#222', labelFontSize: 12, titleFontSize: 12 },
    legend: { labelFontSize: 12, labelColor: '#222', labelLimit: 0, symbolType: 'square', symbolSize: 140 },
  };
}

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * A percentage as the chart's text labels write it, in the language's format ("37 %" / "37%"):
 * a Vega expression, for where a format string cannot go (absolute values on a diverging axis).
 */
export function percentExpr(value: string, lang: Lang): string {
  const n = `format(abs(${value}) * 100, ',.0f')`;
  return lang === 'fr' ? `replace(${n}, ',', ' ') + '\u202f%'` : `${n} + '%'`;
}

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
