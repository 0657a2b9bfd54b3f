import type { CellResult, IndicatorResult, TestResult } from '../plan/indicator-result.js';
import { escapeHtml } from '../server/html.js';
import type { GroupLabels } from './indicator-chart.js';
import { formatNumber, formatP, formatPercent, formatPercentInterval, type Lang } from './number-format.js';
import { TEXT } from './report-text.js';
import { type SurveyTexts, textFor } from './survey-texts.js';

const DASH = '—';

/** A method's description with its quoted codes ("40_100k") set as code, not as figures. */
export function methodHtml(method: string): string {
  return escapeHtml(method).replace(/&quot;([^&]*?)&quot;/g, '<code>$1</code>');
}

/** An estimate as printed in tables: a percentage with one decimal, or a count. */
export function formatEstimate(ind: IndicatorResult, c: CellResult, lang: Lang): string {
  const t = TEXT[lang];
  if (ind.status !== 'ok') return t.pending;
  if (c.suppressed) return t.suppressedShort;
  if (c.estimate === null) return DASH;
  if (ind.kind === 'distinctNames') return formatNumber(c.estimate, lang);
  if (ind.kind === 'mean' || ind.kind === 'quartiles') return formatNumber(c.estimate, lang, 2);
  return formatPercent(c.estimate, lang, 1);
}

function flags(ind: IndicatorResult, c: CellResult, lang: Lang): string {
  const t = TEXT[lang];
  const out: string[] = [];
  if (ind.status !== 'ok') out.push(`<span class="flag pending">${escapeHtml(t.pending)}</span>`);
  if (c.suppressed) out.push(`<span class="flag suppressed">${escapeHtml(t.suppressed)}</span>`);
  if (c.fragile) out.push(`<span class="flag fragile">${escapeHtml(t.fragile)}</span>`);
  return out.join(' ');
}

function row(ind: IndicatorResult, label: string, c: CellResult, lang: Lang, header = 'th'): string {
  const ci = !c.suppressed && c.ci && ind.kind !== 'distinctNames' ? formatPercentInterval(c.ci, lang) : DASH;
  const count = c.suppressed || c.count === null ? DASH : formatNumber(c.count, lang);
  return `<tr><${header} scope="row">${escapeHtml(label)}</${header}><td>${escapeHtml(formatEstimate(ind, c, lang))}</td><td>${escapeHtml(ci)}</td><td>${escapeHtml(count)}</td><td>${escapeHtml(formatNumber(c.n, lang))}</td><td>${flags(ind, c, lang)}</td></tr>`;
}

/** A test as a sentence: "Pearson's chi-squared test: χ² = 33.41, df = 1, p < 0.001". */
export function formatTest(test: TestResult, lang: Lang, groupLabel: (g: string) => string): string {
  const t = TEXT[lang];
  if (test.error) return `${test.method}: ${t.notComputed} (${test.error})`;
  const parts: string[] = [];
  if (test.statistic !== undefined) parts.push(`χ² = ${formatNumber(test.statistic, lang, 2)}`);
  if (test.F !== undefined) parts.push(`F = ${formatNumber(test.F, lang, 2)}`);
  if (test.df !== undefined) parts.push(`df = ${formatNumber(test.df, lang, test.df % 1 === 0 ? 0 : 2)}`);
  if (test.p !== undefined)
    parts.push(`p ${test.p < 0.001 ? formatP(test.p, lang) : `= ${formatP(test.p, lang)}`}`);
  if (test.estimate !== undefined) {
    const ci = test.ci
      ? ` [${formatNumber(test.ci[0], lang, 2)} ; ${formatNumber(test.ci[1], lang, 2)}]`
      : '';
    const groups = test.groups ? ` (${test.groups.map(groupLabel).join(' / ')})` : '';
    parts.push(`${t.ratioOf} ${formatNumber(test.estimate, lang, 2)}${ci}${groups}`);
  }
  return `${test.method}: ${parts.join(', ')}`;
}

export interface IndicatorSectionOptions {
  lang: Lang;
  groupLabel: GroupLabels;
  /** The chart, as inline SVG (the report) or an empty container the page script fills. */
  chart?: string;
  /** Heading level of the indicator's title. */
  heading?: 2 | 3;
  /** The survey's own words (how its published figures are introduced). */
  texts?: SurveyTexts;
}

/**
 * An indicator as a section: its chart, its table (estimate, interval, count, base, flags, by
 * group when broken down), its tests and the figure published in 2013. Every number inside is
 * bound to the indicator by the section's `data-indicator`.
 */
export function indicatorSection(ind: IndicatorResult, o: IndicatorSectionOptions): string {
  const { lang } = o;
  const t = textFor(lang, o.texts);
  const h = o.heading ?? 3;
  const id = escapeHtml(ind.id);
  const rows = [row(ind, t.indicator, ind, lang)];
  for (const g of ind.groups ?? []) rows.push(row(ind, o.groupLabel(ind.by ?? '', g.group), g, lang));
  for (const l of ind.levels ?? []) rows.push(row(ind, l.level, l, lang));
  // With the margins, a test of a table with a suppressed cell could give the cell away.
  const cellSuppressed = [...(ind.groups ?? []), ...(ind.levels ?? [])].some((c) => c.suppressed);
  const tests = cellSuppressed
    ? (ind.test ?? []).map((x) => `<li>${escapeHtml(x.method)}: ${escapeHtml(t.testWithheld)}</li>`)
    : (ind.test ?? []).map(
        (x) => `<li>${escapeHtml(formatTest(x, lang, (g) => o.groupLabel(ind.by ?? '', g)))}</li>`,
      );
  const published = ind.published
    ? `<p class="published">${escapeHtml(t.published2013)} (<code>${escapeHtml(ind.published.figure)}</code>): ${escapeHtml(ind.published.text)}</p>`
    : '';
  return `<section class="indicator" id="ind-${id}" data-indicator="${id}" aria-labelledby="h-${id}">
<h${h} id="h-${id}"><code>${id}</code> ${escapeHtml(ind.label[lang])}</h${h}>
${o.chart ? `<figure class="chart">${o.chart}<figcaption>${escapeHtml(ind.label[lang])}</figcaption></figure>` : ''}
<table class="estimates"><caption>${methodHtml(ind.method)}${ind.note ? ` — ${escapeHtml(ind.note)}` : ''}</caption>
<thead><tr><td></td><th scope="col">${escapeHtml(t.estimate)}</th><th scope="col">${escapeHtml(t.interval)}</th><th scope="col">${escapeHtml(t.count)}</th><th scope="col">${escapeHtml(t.base)}</th><th scope="col">${escapeHtml(t.flags)}</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<p class="tests"><strong>${escapeHtml(t.test)}:</strong> ${tests.length ? '' : escapeHtml(t.noTest)}</p>${tests.length ? `<ul class="tests">${tests.join('')}</ul>` : ''}
${published}
</section>`;
}
