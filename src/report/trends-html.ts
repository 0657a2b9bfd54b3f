import { assertBoundNumbers } from './bound-numbers.js';
import { chartWithPhoneVariant } from './chart-figure.js';
import { escapeHtml } from './html.js';
import { indicatorChartSpec } from './indicator-chart.js';
import { formatTest } from './indicator-section.js';
import { narrowBarsSpec } from './narrow-chart.js';
import { formatNumber, formatPercent, formatPercentInterval, type Lang } from './number-format.js';
import { REPORT_CSS } from './report-html.js';
import { TEXT } from './report-text.js';
import type { TrendIndicator, WaveCell, WaveChange, WaveResults } from './wave-comparison.js';

const WORDS = {
  fr: {
    title: 'Évolution des indicateurs entre vagues',
    wave: 'Vague',
    change: 'Évolution',
    points: 'points',
    method:
      'Différence de deux proportions indépendantes : intervalle hybride de Newcombe (Newcombe, 1998 ; à partir des intervalles de Wilson de chaque vague) ; test du khi-deux de Pearson sur le tableau vague × cellule (comme prop.test, correct = FALSE). Une cellule supprimée ou en attente n’est jamais comparée.',
  },
  en: {
    title: 'Indicators across waves',
    wave: 'Wave',
    change: 'Change',
    points: 'points',
    method:
      "Difference of two independent proportions: Newcombe's hybrid score interval (Newcombe, 1998; from each wave's Wilson interval); Pearson's chi-squared test of the wave × cell table (as prop.test, correct = FALSE). A suppressed or pending cell is never compared.",
  },
} as const;

function value(kind: TrendIndicator['kind'], c: WaveCell, lang: Lang): string {
  const t = TEXT[lang];
  if (c.status !== 'ok') return t.pending;
  if (c.suppressed) return t.suppressedShort;
  if (c.estimate === null) return '—';
  return kind === 'distinctNames' || kind === 'mean' || kind === 'quartiles'
    ? formatNumber(c.estimate, lang)
    : formatPercent(c.estimate, lang, 1);
}

function points(d: number, lang: Lang): string {
  const s = formatNumber(Math.abs(d * 100), lang, 1);
  return `${d < 0 ? '−' : '+'}${s}`;
}

function changeText(ind: TrendIndicator, ch: WaveChange, lang: Lang): string {
  const t = TEXT[lang];
  const w = WORDS[lang];
  if (ch.difference === null) return `${ch.from} → ${ch.to}: ${t.notAvailable}`;
  if (ind.kind === 'distinctNames' || ind.kind === 'mean' || ind.kind === 'quartiles')
    return `${ch.from} → ${ch.to}: ${ch.difference < 0 ? '−' : '+'}${formatNumber(Math.abs(ch.difference), lang)}`;
  const ci = ch.ci
    ? ` [${points(ch.ci[0], lang)}${lang === 'fr' ? ' ; ' : ', '}${points(ch.ci[1], lang)}]`
    : '';
  const test = ch.test ? `; ${formatTest(ch.test, lang, (g) => g)}` : '';
  return `${ch.from} → ${ch.to}: ${points(ch.difference, lang)} ${w.points}${ci}${test}`;
}

/**
 * The trends document: each indicator's figure in every wave (chart, table with base, interval
 * and flags) and its change between consecutive waves with the test. Self-contained, bound-number
 * checked, with the synthetic-data banner when any wave is the demonstration panel.
 */
export async function renderTrendsHtml(
  trends: readonly TrendIndicator[],
  waves: readonly WaveResults[],
  lang: Lang,
  /** What the survey's results are called (its report's title), under the heading. */
  survey?: string,
): Promise<string> {
  const t = TEXT[lang];
  const w = WORDS[lang];
  const synthetic = waves.some((x) => x.results.synthetic);
  const sections: string[] = [];
  for (const ind of trends) {
    const id = escapeHtml(ind.id);
    const bars = ind.waves.flatMap((c) =>
      c.estimate === null || ind.kind === 'distinctNames' || ind.kind === 'mean' || ind.kind === 'quartiles'
        ? []
        : [{ label: c.wave, estimate: c.estimate, lo: c.ci?.[0] ?? null, hi: c.ci?.[1] ?? null }],
    );
    const chart =
      bars.length > 0
        ? await chartWithPhoneVariant(indicatorChartSpec(bars, lang), ind.label[lang], () =>
            narrowBarsSpec(
              bars.map((b) => ({ label: b.label, bars: [{ estimate: b.estimate, lo: b.lo, hi: b.hi }] })),
              lang,
            ),
          )
        : '';
    const rows = ind.waves.map(
      (c) =>
        `<tr><th scope="row">${escapeHtml(c.wave)}</th><td>${escapeHtml(value(ind.kind, c, lang))}</td><td>${escapeHtml(c.ci && c.estimate !== null && ind.kind !== 'distinctNames' ? formatPercentInterval(c.ci, lang) : '—')}</td><td>${escapeHtml(formatNumber(c.n, lang))}</td><td>${[
          c.suppressed ? t.suppressed : '',
          c.fragile ? t.fragile : '',
        ]
          .filter(Boolean)
          .map((f) => `<span class="flag">${escapeHtml(f)}</span>`)
          .join(' ')}</td></tr>`,
    );
    sections.push(`<section class="indicator" id="ind-${id}" data-indicator="${id}">
<h3><code>${id}</code> ${escapeHtml(ind.label[lang])}</h3>
${chart ? `<figure class="chart">${chart}</figure>` : ''}
<div class="table-scroll"><table><thead><tr><th scope="col">${escapeHtml(w.wave)}</th><th scope="col">${escapeHtml(t.estimate)}</th><th scope="col">${escapeHtml(t.interval)}</th><th scope="col">${escapeHtml(t.base)}</th><th scope="col">${escapeHtml(t.flags)}</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>
<p><strong>${escapeHtml(w.change)}:</strong></p><ul>${ind.changes.map((ch) => `<li>${escapeHtml(changeText(ind, ch, lang))}</li>`).join('')}</ul>
</section>`);
  }
  const html = `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(survey ? `${w.title} · ${survey}` : w.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(w.title)}</h1>
${survey ? `<p class="survey-line">${escapeHtml(survey)}</p>` : ''}
${synthetic ? `<div class="synthetic-banner" role="note" id="synthetic"><strong>${escapeHtml(t.syntheticTitle)}</strong> ${escapeHtml(t.syntheticReport)}</div>` : ''}
</header>
<main>
${sections.join('\n')}
<section id="methods"><h2>${escapeHtml(t.methods)}</h2><p>${escapeHtml(w.method)}</p></section>
</main>
</body>
</html>
`;
  assertBoundNumbers(
    html,
    trends.map((x) => x.id),
    'trends report',
  );
  return html;
}
