import type { CellResult, IndicatorResult, TestResult } from '../plan/indicator-result.js';
import { escapeHtml } from './html.js';
import type { GroupLabels } from './indicator-chart.js';
import { headlineName, LIKERT_WORDS } from './likert-chart.js';
import { type Audience, methodText } from './method-text.js';
import { formatNumber, formatP, formatPercent, formatPercentInterval, type Lang } from './number-format.js';
import { TEXT } from './report-text.js';
import { type SurveyTexts, textFor } from './survey-texts.js';

const DASH = '—';

/**
 * A method's description with its quoted codes ("40_100k") set as code, and the wording it quotes
 * from the instrument (marked U+E010…U+E011 by methodText) as such, not as figures.
 */
export function methodHtml(method: string): string {
  return escapeHtml(method)
    .replace(/&quot;([^&]*?)&quot;/g, '<code>$1</code>')
    .replace(/\uE010([^\uE011]*)\uE011/g, '<span data-quote="instrument">$1</span>');
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

/**
 * An interval in words for the public ("between 78% and 84%"), or as printed for the team; a
 * mean's or a median's in the variable's own unit, as its estimate (never as a percentage).
 */
function formatInterval(ind: IndicatorResult, c: CellResult, lang: Lang, audience: Audience): string {
  if (c.suppressed || !c.ci || ind.kind === 'distinctNames') return DASH;
  if (ind.kind === 'mean' || ind.kind === 'quartiles') {
    const [lo, hi] = c.ci.map((v) => formatNumber(v, lang, 2));
    if (audience !== 'technical') return TEXT[lang].between(lo!, hi!);
    return lang === 'fr' ? `[${lo} ; ${hi}]` : `${lo}–${hi}`;
  }
  if (audience === 'technical') return formatPercentInterval(c.ci, lang);
  return TEXT[lang].between(formatPercent(c.ci[0], lang), formatPercent(c.ci[1], lang));
}

function flags(ind: IndicatorResult, c: CellResult, lang: Lang): string {
  const t = TEXT[lang];
  const out: string[] = [];
  if (ind.status !== 'ok') out.push(`<span class="flag pending">${escapeHtml(t.pending)}</span>`);
  if (c.suppressed) out.push(`<span class="flag suppressed">${escapeHtml(t.suppressed)}</span>`);
  if (c.fragile) out.push(`<span class="flag fragile">${escapeHtml(t.fragile)}</span>`);
  return out.join(' ');
}

function row(ind: IndicatorResult, label: string, c: CellResult, o: IndicatorSectionOptions): string {
  const { lang } = o;
  const audience = o.audience ?? 'technical';
  const ci = formatInterval(ind, c, lang, audience);
  const count = c.suppressed || c.count === null ? DASH : formatNumber(c.count, lang);
  return `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(formatEstimate(ind, c, lang))}</td><td>${escapeHtml(ci)}</td><td>${escapeHtml(count)}</td><td>${escapeHtml(formatNumber(c.n, lang))}</td><td>${flags(ind, c, lang)}</td></tr>`;
}

/** A test as a sentence: "Pearson's chi-squared test (as chisq.test): χ² = 33.41, df = 1, p < 0.001". */
export function formatTest(test: TestResult, lang: Lang, groupLabel: (g: string) => string): string {
  const t = TEXT[lang];
  const name = methodText(test.method, lang);
  if (test.error) return `${name}: ${t.notComputed} (${test.error})`;
  const parts: string[] = [];
  const ddl = lang === 'fr' ? 'ddl' : 'df';
  if (test.statistic !== undefined) parts.push(`χ² = ${formatNumber(test.statistic, lang, 2)}`);
  if (test.F !== undefined) parts.push(`F = ${formatNumber(test.F, lang, 2)}`);
  if (test.df !== undefined) parts.push(`${ddl} = ${formatNumber(test.df, lang, test.df % 1 === 0 ? 0 : 2)}`);
  if (test.p !== undefined)
    parts.push(`p ${test.p < 0.001 ? formatP(test.p, lang) : `= ${formatP(test.p, lang)}`}`);
  if (test.estimate !== undefined) {
    const ci = test.ci
      ? ` [${formatNumber(test.ci[0], lang, 2)} ; ${formatNumber(test.ci[1], lang, 2)}]`
      : '';
    const groups = test.groups ? ` (${test.groups.map(groupLabel).join(' / ')})` : '';
    parts.push(`${t.ratioOf} ${formatNumber(test.estimate, lang, 2)}${ci}${groups}`);
  }
  return `${name}${lang === 'fr' ? ' :' : ':'} ${parts.join(', ')}`;
}

/** A test in plain words for the public: is the gap clear, how many times as frequent. */
function plainTest(test: TestResult, lang: Lang, confidence: number): string | undefined {
  const t = TEXT[lang];
  if (test.error) return undefined;
  if (test.estimate !== undefined && test.ci)
    return t.ratioPlain(
      formatNumber(test.estimate, lang, 1),
      formatNumber(test.ci[0], lang, 1),
      formatNumber(test.ci[1], lang, 1),
      t.outOf100(formatNumber(confidence * 100, lang)),
    );
  if (test.p !== undefined) return test.p < 1 - confidence ? t.clearDifference : t.noClearDifference;
  return undefined;
}

/** Known notes of the plan engine in the reader's language; others are kept in English only. */
function noteText(note: string | undefined, lang: Lang): string | undefined {
  if (!note) return undefined;
  const t = TEXT[lang];
  if (note === 'pending reconciliation') return t.pendingReconciliation;
  if (note.startsWith('pending typology')) return t.pendingTypology;
  return lang === 'en' ? note : undefined;
}

/** The figure published before (2013 for Cairnet), in the reader's language. */
function publishedLine(ind: IndicatorResult, o: IndicatorSectionOptions): string {
  const p = ind.published;
  if (!p) return '';
  const { lang } = o;
  const fmt = (v: number) => (v > 1 ? formatNumber(v, lang) : formatPercent(v, lang));
  const values =
    p.value !== undefined
      ? [fmt(p.value)]
      : Object.entries(p.groups ?? {}).map(([g, v]) => `${o.groupLabel(ind.by ?? '', g)} ${fmt(v)}`);
  if (values.length === 0) return '';
  return `<p class="published">${escapeHtml(TEXT[lang].published2013)} (<code>${escapeHtml(p.figure)}</code>)${lang === 'fr' ? ' :' : ':'} ${escapeHtml(values.join(', '))}</p>`;
}

export interface IndicatorSectionOptions {
  lang: Lang;
  groupLabel: GroupLabels;
  /** A level's wording, for an indicator's levels and bracket bounds (default: the code). */
  levelLabel?: (id: string, level: string) => string;
  /** `plain` for the public page: no codes, no R names, intervals in words. */
  audience?: Audience;
  /** The confidence level of the intervals (for the plain wording). */
  confidence?: number;
  /** The chart, as inline SVG (the report) or an empty container the page script fills. */
  chart?: string;
  /** The title of the chart drawn above with this indicator in it (an ordered chart), if any. */
  chartWith?: string;
  /** Heading level of the indicator's title. */
  heading?: 2 | 3;
  /** The survey's own words (how its published figures are introduced). */
  texts?: SurveyTexts;
}

function testsHtml(ind: IndicatorResult, o: IndicatorSectionOptions): string {
  const t = TEXT[o.lang];
  const plain = o.audience === 'plain';
  // With the margins, a test of a table with a suppressed cell could give the cell away.
  const cellSuppressed = [...(ind.groups ?? []), ...(ind.levels ?? [])].some((c) => c.suppressed);
  if (plain) {
    if (cellSuppressed) return '';
    const lines = (ind.test ?? []).flatMap((x) => plainTest(x, o.lang, o.confidence ?? 0.95) ?? []);
    return lines.map((l) => `<p class="tests">${escapeHtml(l)}</p>`).join('');
  }
  const tests = cellSuppressed
    ? (ind.test ?? []).map(
        (x) => `<li>${escapeHtml(methodText(x.method, o.lang))}: ${escapeHtml(t.testWithheld)}</li>`,
      )
    : (ind.test ?? []).map(
        (x) => `<li>${escapeHtml(formatTest(x, o.lang, (g) => o.groupLabel(ind.by ?? '', g)))}</li>`,
      );
  const colon = o.lang === 'fr' ? ' :' : ':';
  return `<p class="tests"><strong>${escapeHtml(t.test)}${colon}</strong> ${tests.length ? '' : escapeHtml(t.noTest)}</p>${tests.length ? `<ul class="tests">${tests.join('')}</ul>` : ''}`;
}

/**
 * An indicator as a section: its chart, its table (estimate, interval, count, base, flags, by
 * group when broken down), its tests and the figure published before. Every number inside is
 * bound to the indicator by the section's `data-indicator`. For the public (`audience: 'plain'`)
 * the same in plain words: no indicator code, no R name, the interval as "between 78% and 84%".
 */
export function indicatorSection(ind: IndicatorResult, o: IndicatorSectionOptions): string {
  const { lang } = o;
  const t = textFor(lang, o.texts);
  const plain = o.audience === 'plain';
  const h = o.heading ?? 3;
  const id = escapeHtml(ind.id);
  const level = (l: string) => (o.levelLabel ? o.levelLabel(ind.id, l) : l);
  // a Likert item: its headline share named by its levels, then each level (the chart's text)
  const scale = ind.scale && !ind.scale.suppressed ? ind.scale : undefined;
  const headline = scale ? headlineName(scale, lang) : plain ? t.all : t.indicator;
  const rows = [row(ind, headline, ind, o)];
  for (const g of ind.groups ?? []) {
    const name = o.groupLabel(ind.by ?? '', g.group);
    rows.push(row(ind, name, g, o));
    // a Likert item broken down: each group's distribution under it (the chart's bar for the group)
    const within = scale && g.scale && !g.scale.suppressed && !g.suppressed ? g.scale : undefined;
    for (const l of within?.levels ?? []) rows.push(row(ind, `${name} · ${l.label[lang]}`, l, o));
    if (within?.missing) rows.push(row(ind, `${name} · ${LIKERT_WORDS[lang].missing}`, within.missing, o));
  }
  for (const l of ind.levels ?? []) rows.push(row(ind, level(l.level), l, o));
  for (const l of scale?.levels ?? []) rows.push(row(ind, l.label[lang], l, o));
  if (scale?.missing) rows.push(row(ind, LIKERT_WORDS[lang].missing, scale.missing, o));
  const note = noteText(ind.note, lang);
  const method = methodText(ind.method, lang, o.audience ?? 'technical', (c) => level(c));
  const confidence = t.outOf100(formatNumber((o.confidence ?? 0.95) * 100, lang));
  const head = plain
    ? [t.share, t.margin(confidence), t.concerned, t.asked, t.remarks]
    : [t.estimate, t.interval, t.count, t.base, t.flags];
  return `<section class="indicator" id="ind-${id}" data-indicator="${id}" aria-labelledby="h-${id}">
<h${h} id="h-${id}">${plain ? '' : `<code>${id}</code> `}${escapeHtml(ind.label[lang])}</h${h}>
${o.chart ? `<figure class="chart" aria-labelledby="h-${id}">${o.chart}</figure>` : o.chartWith ? `<p class="chart-with">${escapeHtml(TEXT[lang].chartWith(o.chartWith))}</p>` : ''}
<div class="table-scroll"><table class="estimates"><caption>${methodHtml(method)}${note ? ` — ${escapeHtml(note)}` : ''}</caption>
<thead><tr><td></td>${head.map((x) => `<th scope="col">${escapeHtml(x)}</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>
${testsHtml(ind, o)}
${plain ? '' : publishedLine(ind, o)}
</section>`;
}
