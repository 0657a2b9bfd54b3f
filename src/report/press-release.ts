import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cairnetError } from '../errors.js';
import type { PlanResults } from '../plan/evaluate-plan.js';
import type { CellResult, IndicatorResult } from '../plan/indicator-result.js';
import { escapeHtml } from '../server/html.js';
import { assertBoundNumbers } from './bound-numbers.js';
import { DEFAULT_PRESS_RELEASE } from './default-texts.js';
import { markdownToHtml } from './markdown-lite.js';
import { formatNumber, formatPercent, formatPercentInterval, type Lang } from './number-format.js';
import { phraseCount, phraseProportion, phraseRatio } from './phrase-rules.js';
import { formatDate, TEXT } from './report-text.js';

/** The press-release templates of an instrument sit beside its plan. */
export function pressReleaseTemplatePath(lang: Lang, instrument = 'cairnet'): string {
  return fileURLToPath(new URL(`../../instruments/${instrument}/press-release.${lang}.md`, import.meta.url));
}

/**
 * The press-release template of a survey's directory (`instruments/<source>/`), or the neutral
 * default when it has none.
 */
export function readPressReleaseTemplate(lang: Lang, source: string | null = 'cairnet'): string {
  if (source === null || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(source)) return DEFAULT_PRESS_RELEASE[lang];
  const path = pressReleaseTemplatePath(lang, source);
  return existsSync(path) ? readFileSync(path, 'utf8') : DEFAULT_PRESS_RELEASE[lang];
}

/**
 * A placeholder: `{{ID}}`, `{{ID.group}}`, `{{ID | filter}}` or `{{ID | filter:argument}}`.
 *
 * | filter | gives |
 * |---|---|
 * | (none), `percent` | the estimate: a percentage, or the count for a count of names |
 * | `phrase[:noun]`, `Phrase[:noun]` | the estimate in words when a rule of `phrase-rules.ts` allows it, else the percentage (`Phrase`: capitalised) |
 * | `more_than` | a count as "more than 400" |
 * | `ratio` | the ratio test of a breakdown: "twice as likely" |
 * | `ci` | the confidence interval |
 * | `n`, `count` | the base (respondents in the denominator), the respondents in the cell |
 * | `define:TEXT` | TEXT, bound to the indicator: the wording of its population ("50 to 55") |
 *
 * Special ids: `respondents` (responses analysed), `date` (the release date).
 */
const PLACEHOLDER =
  /\{\{\s*([A-Za-z][\w]*)(?:\.([\w-]+))?\s*(?:\|\s*([A-Za-z_]+)\s*(?::\s*([^}]*?))?)?\s*\}\}/g;
const ANY_BRACES = /\{\{|\}\}/;

export interface Rendered {
  text: string;
  /** The data-indicator source; `date` renders as <time>. */
  source: string;
  suppressed?: boolean;
  datetime?: string;
}

export interface PressReleaseOptions {
  lang: Lang;
  format: 'md' | 'html';
  /** The template's text (default: the instrument's template in that language). */
  template?: string;
  /** The release date (default: today). */
  date?: Date;
}

function templateError(line: number, message: string): never {
  throw cairnetError('CAIRNET_PUBLISH_TEMPLATE_INVALID', `press-release template, line ${line}: ${message}`, {
    line,
    message,
  });
}

function capitalise(s: string): string {
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
}

function cellOf(ind: IndicatorResult, group: string | undefined, line: number): CellResult {
  if (group === undefined) return ind;
  const cell = ind.groups?.find((g) => g.group === group) ?? ind.levels?.find((l) => l.level === group);
  if (!cell) templateError(line, `indicator ${ind.id} has no group or level "${group}"`);
  return cell;
}

/** Resolves one placeholder against the results. */
export function resolvePlaceholder(
  results: PlanResults,
  lang: Lang,
  p: { id: string; group?: string | undefined; filter?: string | undefined; arg?: string | undefined },
  line: number,
  date: Date = new Date(),
): Rendered {
  const t = TEXT[lang];
  if (p.id === 'date')
    return { text: formatDate(date, lang), source: 'date', datetime: date.toISOString().slice(0, 10) };
  if (p.id === 'respondents') {
    if (p.filter && p.filter !== 'n') templateError(line, `"respondents" takes no filter "${p.filter}"`);
    return { text: formatNumber(results.n, lang), source: 'respondents' };
  }
  const ind = results.indicators.find((r) => r.id === p.id);
  if (!ind) templateError(line, `no indicator "${p.id}" in the plan`);
  const filter = p.filter ?? 'percent';
  if (filter === 'define') {
    if (!p.arg) templateError(line, '"define" needs the text: {{ID | define:50 to 55}}');
    return { text: p.arg, source: ind.id };
  }
  const cell = cellOf(ind, p.group, line);
  const withheld = (reason: string): Rendered => ({ text: reason, source: ind.id, suppressed: true });
  if (ind.status !== 'ok') return withheld(t.notAvailable);
  if (cell.suppressed) return withheld(t.suppressedShort);
  if (filter === 'n') return { text: formatNumber(cell.n, lang), source: ind.id };
  if (filter === 'count') {
    if (cell.count === null) templateError(line, `indicator ${ind.id} has no count`);
    return { text: formatNumber(cell.count, lang), source: ind.id };
  }
  if (filter === 'ratio') {
    const test = ind.test?.find((x) => x.test === 'ratio');
    if (!test) templateError(line, `indicator ${ind.id} has no ratio test`);
    if (test.estimate === undefined) return withheld(t.notAvailable);
    return { text: phraseRatio(test.estimate, test.ci ?? null, lang).text, source: ind.id };
  }
  if (cell.estimate === null) return withheld(t.notAvailable);
  const isCount = ind.kind === 'distinctNames' || ind.kind === 'mean' || ind.kind === 'quartiles';
  switch (filter) {
    case 'percent':
      return {
        text: isCount
          ? formatNumber(cell.estimate, lang, ind.kind === 'mean' || ind.kind === 'quartiles' ? 1 : 0)
          : formatPercent(cell.estimate, lang),
        source: ind.id,
      };
    case 'more_than':
      if (!isCount) templateError(line, `"more_than" is for counts; ${ind.id} is a proportion`);
      return { text: phraseCount(cell.estimate, lang).text, source: ind.id };
    case 'ci':
      if (!cell.ci) return withheld(t.notAvailable);
      return { text: formatPercentInterval(cell.ci, lang), source: ind.id };
    case 'phrase':
    case 'Phrase': {
      if (isCount) templateError(line, `"${filter}" is for proportions; ${ind.id} is a count`);
      const text = phraseProportion(cell.estimate, cell.ci, lang, p.arg || undefined).text;
      return { text: filter === 'Phrase' ? capitalise(text) : text, source: ind.id };
    }
    default:
      return templateError(line, `unknown filter "${filter}"`);
  }
}

function renderHtml(r: Rendered): string {
  if (r.datetime) return `<time datetime="${r.datetime}">${escapeHtml(r.text)}</time>`;
  return `<span data-indicator="${escapeHtml(r.source)}"${r.suppressed ? ' data-suppressed="true"' : ''}>${escapeHtml(r.text)}</span>`;
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** The known data-indicator sources of a set of results. */
export function resultSources(results: PlanResults): string[] {
  return results.indicators.map((r) => r.id);
}

export const PRESS_RELEASE_CSS = `body{font-family:Georgia,serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.6rem;line-height:1.25}.synthetic-banner{border:3px solid #a4000f;background:#fff1f1;color:#5c0008;padding:.75rem 1rem;margin:1rem 0;font-family:sans-serif}
[data-suppressed]{font-style:italic}`;

/**
 * Renders a press-release template from plan results, in Markdown or HTML. The HTML form (also
 * built for Markdown) must pass the bound-number check: a template that prints a number no
 * indicator accounts for is refused (`CAIRNET_PUBLISH_UNBOUND_NUMBER`), as is an unknown
 * indicator, group or filter (`CAIRNET_PUBLISH_TEMPLATE_INVALID`). Suppressed indicators are
 * never printed as numbers. Synthetic data carry a banner.
 */
export function renderPressRelease(results: PlanResults, options: PressReleaseOptions): string {
  const { lang } = options;
  const t = TEXT[lang];
  const template = options.template ?? readPressReleaseTemplate(lang, results.instrument);
  const rendered: Rendered[] = [];
  const tokenised = template.replace(
    PLACEHOLDER,
    (_all, id: string, group?: string, filter?: string, arg?: string, offset?: number) => {
      rendered.push(
        resolvePlaceholder(
          results,
          lang,
          { id, group, filter, arg: arg?.trim() },
          lineAt(template, offset ?? 0),
          options.date,
        ),
      );
      return `\uE000${rendered.length - 1}\uE001`;
    },
  );
  const stray = ANY_BRACES.exec(tokenised);
  if (stray) templateError(lineAt(tokenised, stray.index), 'a malformed placeholder (unbalanced {{ }})');
  const banner = results.synthetic ? `> **${t.syntheticTitle}** ${t.syntheticPressRelease}\n\n` : '';
  const token = /\uE000(\d+)\uE001/g;
  const htmlBody = markdownToHtml(tokenised, (s) =>
    s.replace(token, (_m, k: string) => renderHtml(rendered[Number(k)]!)),
  );
  const bannerHtml = results.synthetic
    ? `<div class="synthetic-banner" role="note"><strong>${escapeHtml(t.syntheticTitle)}</strong> ${escapeHtml(t.syntheticPressRelease)}</div>\n`
    : '';
  const title = /^#\s+(.*)$/m.exec(template.replace(PLACEHOLDER, ''))?.[1]?.trim() ?? t.pressRelease;
  const html = `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PRESS_RELEASE_CSS}</style>
</head>
<body>
<main>
${bannerHtml}${htmlBody}
</main>
</body>
</html>
`;
  assertBoundNumbers(html, resultSources(results), 'press release');
  if (options.format === 'html') return html;
  return `${banner}${tokenised.replace(token, (_m, k: string) => rendered[Number(k)]!.text).trim()}\n`;
}
