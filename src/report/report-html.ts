import type { IndicatorResult } from '../plan/indicator-result.js';
import type { PublishedResults } from '../results/snapshot.js';
import { assertBoundNumbers } from './bound-numbers.js';
import { chartWithPhoneVariant } from './chart-figure.js';
import { outputLabels } from './group-labels.js';
import { escapeHtml } from './html.js';
import { chartWithOf, indicatorChart, narrowIndicatorChart, orderedChartOf } from './indicator-chart.js';
import { formatEstimate, indicatorSection } from './indicator-section.js';
import { drawableScale, headlineInterval, headlineName } from './likert-chart.js';
import { codebookSection, methodsAppendix } from './methods-appendix.js';
import { formatNumber, formatPercentInterval, type Lang } from './number-format.js';
import { resultSources } from './press-release.js';
import { formatDate, TEXT } from './report-text.js';
import { snapshotMention } from './results-pages.js';
import { textFor } from './survey-texts.js';
import { typologySection } from './typology-section.js';

export const REPORT_CSS = `*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;max-width:60rem;margin:0 auto;padding:1.5rem;line-height:1.45}
h1{font-size:1.7rem;margin:.2rem 0 1rem}h2{border-bottom:2px solid #2f6690;padding-bottom:.2rem;margin-top:2.2rem}h3{margin:1.6rem 0 .4rem}
.synthetic-banner{border:3px solid #a4000f;background:#fff1f1;color:#5c0008;padding:.75rem 1rem;margin:1rem 0;font-weight:600}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}th,td{border:1px solid #c8c8c8;padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eef3f7}caption{caption-side:bottom;text-align:left;font-size:.82rem;color:#444;padding-top:.25rem}
.flag{display:inline-block;font-size:.78rem;padding:0 .35rem;border-radius:.2rem;margin-right:.2rem}
.flag.suppressed{background:#5c0008;color:#fff}.flag.fragile{background:#8a5a00;color:#fff}.flag.pending{background:#555;color:#fff}
figure.chart{margin:.5rem 0}.legend{list-style:none;padding:0;display:flex;gap:1rem}.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;border-radius:50%}figure.chart svg{max-width:100%;height:auto}figure.chart svg.chart-phone{display:none}@media screen and (max-width:30rem){figure.chart svg.chart-full{display:none}figure.chart svg.chart-phone{display:block}}figcaption{font-size:.82rem;color:#444}
.indicator{break-inside:avoid;page-break-inside:avoid}.published{font-size:.85rem;color:#444}
table.codebook{font-size:.8rem}.table-scroll{max-width:100%;overflow-x:auto}.map-key{font-size:.85rem}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.88em}
#summary td:nth-child(n+3){white-space:nowrap}
@media print{body{max-width:none;padding:0;font-size:9.5pt;line-height:1.3}header nav{display:none}h1{font-size:16pt;margin:0 0 3mm}h2{font-size:13pt;margin:5mm 0 2mm}h3{font-size:10.5pt;margin:3mm 0 1mm}
.synthetic-banner{padding:2mm 3mm;margin:2mm 0}table{font-size:8pt;margin:1mm 0 2mm}th,td{padding:.6mm 1.5mm}#summary table{width:100%}
.indicator{break-inside:avoid;padding-top:1mm;margin-bottom:3mm}figure.chart{margin:1mm 0}figure.chart svg{max-height:42mm;width:auto}figure.chart div[data-indicator] svg{max-height:58mm}
figure.factor-map svg{max-height:120mm}#typology,#methods,#codebook{break-before:page}#indicators{break-before:page}.published,.tests{margin:.5mm 0}ul.tests{margin:.5mm 0;padding-left:5mm}}`;

export interface ReportOptions {
  lang: Lang;
  /** The date printed on the report (default: when the results were computed). */
  date?: Date;
}

function summaryRow(ind: IndicatorResult, lang: Lang): string {
  const ci =
    ind.status === 'ok' && !ind.suppressed && ind.ci && ind.kind !== 'distinctNames'
      ? formatPercentInterval(ind.ci, lang)
      : '—';
  return `<tr data-indicator="${escapeHtml(ind.id)}"><td><a href="#ind-${escapeHtml(ind.id)}"><code>${escapeHtml(ind.id)}</code></a></td><td>${escapeHtml(ind.label[lang])}</td><td>${escapeHtml(formatEstimate(ind, ind, lang))}</td><td>${escapeHtml(ci)}</td><td>${escapeHtml(formatNumber(ind.n, lang))}</td></tr>`;
}

/** What a chart says in words beside it: what the black line is, or which indicators it draws. */
function chartCaption(ind: IndicatorResult, published: PublishedResults, lang: Lang): string {
  const ordered = orderedChartOf(ind.id, published.results);
  if (ordered) return `<figcaption>${escapeHtml(ordered.label[lang])}</figcaption>`;
  if (drawableScale(ind.scale) && headlineInterval(ind))
    return `<figcaption>${escapeHtml(TEXT[lang].likertCaption(headlineName(ind.scale, lang)))}</figcaption>`;
  return '';
}

/** The width of an SVG drawing, from its root element. */
/**
 * The charts of the indicators as inline SVG with their caption, by indicator id (none for
 * counts or withheld cells; an ordered chart once, bound to every indicator it draws).
 */
export async function indicatorCharts(published: PublishedResults, lang: Lang): Promise<Map<string, string>> {
  const labels = outputLabels(published.plan, published.codebook, lang);
  const out = new Map<string, string>();
  // (a public page leaves out the indicators it may not show: an ordered chart binds the others)
  const present = new Set(published.results.indicators.map((i) => i.id));
  for (const ind of published.results.indicators) {
    const spec = indicatorChart(ind, lang, labels, published.results);
    if (!spec) continue;
    const ordered = orderedChartOf(ind.id, published.results);
    const name = ordered ? ordered.label[lang] : ind.label[lang];
    let svg = await chartWithPhoneVariant(spec, name, () =>
      narrowIndicatorChart(ind, lang, labels, published.results),
    );
    if (ordered)
      svg = `<div data-indicator="${escapeHtml(
        ordered.points
          .map((p) => p.indicator)
          .filter((id) => present.has(id))
          .join(' '),
      )}">${svg}</div>`;
    out.set(ind.id, svg + chartCaption(ind, published, lang));
  }
  return out;
}

/**
 * The self-contained HTML report: a synthetic-data banner when the data are the demonstration
 * panel, a summary table, each indicator (chart as inline SVG, table, base, interval, test,
 * flags), the typology, the methods appendix and the codebook. Inline CSS, no script, no
 * external resource. Refused (`CAIRNET_PUBLISH_UNBOUND_NUMBER`) if a number escapes its indicator.
 */
export async function renderReportHtml(published: PublishedResults, options: ReportOptions): Promise<string> {
  const { lang } = options;
  const { results } = published;
  const t = textFor(lang, published.texts);
  const date = options.date ?? published.computedAt;
  const labels = outputLabels(published.plan, published.codebook, lang);
  const charts = await indicatorCharts(published, lang);
  const sections = results.indicators.map((ind) => {
    const chart = charts.get(ind.id);
    return indicatorSection(ind, {
      lang,
      groupLabel: labels.group,
      levelLabel: labels.level,
      heading: 3,
      ...(chart ? { chart } : chartWithOf(ind.id, results, lang)),
      ...(published.texts ? { texts: published.texts } : {}),
    });
  });
  const banner = results.synthetic
    ? `<div class="synthetic-banner" role="note" id="synthetic"><strong>${escapeHtml(t.syntheticTitle)}</strong> ${escapeHtml(t.syntheticReport)}</div>`
    : '';
  const html = `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.reportTitle)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(t.reportTitle)}</h1>
${banner}
<p>${escapeHtml(t.generated)} <time datetime="${date.toISOString()}">${escapeHtml(formatDate(date, lang))}</time>. ${escapeHtml(t.responsesAnalysed)}${lang === 'fr' ? ' :' : ':'} <span data-indicator="respondents">${escapeHtml(formatNumber(results.n, lang))}</span>${results.synthetic ? ` <strong>(${escapeHtml(t.syntheticTitle.replace(/\.$/, ''))})</strong>` : ''}.${snapshotMention(published, lang)}</p>
<nav aria-label="${escapeHtml(t.contents)}"><ul><li><a href="#summary">${escapeHtml(t.summary)}</a></li><li><a href="#indicators">${escapeHtml(t.indicators)}</a></li>${results.typology ? `<li><a href="#typology">${escapeHtml(t.typology)}</a></li>` : ''}<li><a href="#methods">${escapeHtml(t.methods)}</a></li><li><a href="#codebook">${escapeHtml(t.codebook)}</a></li></ul></nav>
</header>
<main>
<section id="summary" aria-labelledby="summary-h">
<h2 id="summary-h">${escapeHtml(t.summary)}</h2>
<table><thead><tr><th scope="col">Id</th><th scope="col">${escapeHtml(t.indicator)}</th><th scope="col">${escapeHtml(t.estimate)}</th><th scope="col">${escapeHtml(t.interval)}</th><th scope="col">${escapeHtml(t.base)}</th></tr></thead>
<tbody>
${results.indicators.map((ind) => summaryRow(ind, lang)).join('\n')}
</tbody></table>
</section>
<section id="indicators" aria-labelledby="indicators-h">
<h2 id="indicators-h">${escapeHtml(t.indicators)}</h2>
${sections.join('\n')}
</section>
${typologySection(published, lang, true)}
${methodsAppendix(results, published.plan, lang, 'technical', labels.level, published.texts, published.codebook)}
${codebookSection(published.codebook, lang)}
</main>
</body>
</html>
`;
  assertBoundNumbers(html, resultSources(results), 'report');
  return html;
}
