import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cairnetError } from '../errors.js';
import type { PlanResults } from '../plan/evaluate-plan.js';
import type { CellResult, IndicatorResult } from '../plan/indicator-result.js';
import { assertBoundNumbers } from './bound-numbers.js';
import { DEFAULT_PRESS_RELEASE } from './default-texts.js';
import { escapeHtml } from './html.js';
import { markdownToHtml } from './markdown-lite.js';
import { formatNumber, formatPercent, formatPercentInterval, type Lang } from './number-format.js';
import { phraseCount, phraseProportion, phraseRatio } from './phrase-rules.js';
import { type Claim, evaluateClaim, parseClaim } from './press-release-claims.js';
import {
  type Block,
  CLAIM,
  dropRepeatedFigures,
  ELSE,
  FIGURE,
  joinBlocks,
  splitBlocks,
  tidy,
} from './press-release-units.js';
import { formatDate, TEXT } from './report-text.js';
import { fieldworkPeriodText, fieldworkYears, surveyFacts } from './survey-facts.js';

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
 * Special ids: `respondents` (responses analysed), `date` (the release date), `survey.year`
 * and `survey.period` (the fieldwork's year(s) and months, from the survey's responses).
 *
 * Directives: `{{claim F18 > 50%}}` or `{{claim F7 < F8}}` (a condition the sentence relies on,
 * see press-release-claims.ts) and `{{else}}` (the sentence's alternative follows). A sentence
 * (or heading, or list item) whose figure is suppressed, whose ratio's direction or claim is not
 * established, takes its alternative or is left out of the release; only the team's preview
 * shows it, with its placeholder and a warning.
 */
const PLACEHOLDER =
  /\{\{\s*([A-Za-z][\w]*)(?:\.([\w-]+))?\s*(?:\|\s*([A-Za-z_]+)\s*(?::\s*([^}]*?))?)?\s*\}\}/g;
const ANY_BRACES = /\{\{|\}\}/;

export interface Rendered {
  text: string;
  /** The data-indicator source; `date` renders as <time>, `survey` as a survey fact. */
  source: string;
  suppressed?: boolean;
  /** The figure cannot be said: `withheld` (suppressed, not available), `unsettled` (a ratio whose direction is not established). */
  state?: 'withheld' | 'unsettled';
  /** What identifies the figure printed (cell and figure), to say it only once per sentence. */
  echo?: string;
  datetime?: string;
}

export interface PressReleaseOptions {
  lang: Lang;
  format: 'md' | 'html';
  /** The template's text (default: the instrument's template in that language). */
  template?: string;
  /** The release date (default: today). */
  date?: Date;
  /** The team's preview: sentences left out of the release are shown with their placeholders and a warning. */
  preview?: boolean;
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
  if (p.id === 'survey') return surveyFact(results, lang, p.group, line);
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
  const withheld = (reason: string): Rendered => ({
    text: reason,
    source: ind.id,
    suppressed: true,
    state: 'withheld',
  });
  const figure = (text: string): Rendered => ({
    text,
    source: ind.id,
    echo: `${ind.id}.${p.group ?? ''}:${text}`,
  });
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
    // A ratio of suppressed cells would give them away.
    if (test.groups?.some((g) => ind.groups?.find((x) => x.group === g)?.suppressed !== false))
      return withheld(t.suppressedShort);
    const phrase = phraseRatio(test.estimate, test.ci ?? null, lang);
    return {
      text: phrase.text,
      source: ind.id,
      ...(phrase.rule === 'unsettled' ? { state: 'unsettled' } : {}),
    };
  }
  if (cell.estimate === null) return withheld(t.notAvailable);
  const isCount = ind.kind === 'distinctNames' || ind.kind === 'mean' || ind.kind === 'quartiles';
  switch (filter) {
    case 'percent':
      return figure(
        isCount
          ? formatNumber(cell.estimate, lang, ind.kind === 'mean' || ind.kind === 'quartiles' ? 1 : 0)
          : formatPercent(cell.estimate, lang),
      );
    case 'more_than':
      if (!isCount) templateError(line, `"more_than" is for counts; ${ind.id} is a proportion`);
      return { text: phraseCount(cell.estimate, lang).text, source: ind.id };
    case 'ci':
      if (!cell.ci) return withheld(t.notAvailable);
      return { text: formatPercentInterval(cell.ci, lang), source: ind.id };
    case 'phrase':
    case 'Phrase': {
      if (isCount) templateError(line, `"${filter}" is for proportions; ${ind.id} is a count`);
      const phrase = phraseProportion(cell.estimate, cell.ci, lang, p.arg || undefined);
      const text = filter === 'Phrase' ? capitalise(phrase.text) : phrase.text;
      // A phrase that fell back to the percentage prints that figure: its echo is not said again.
      if (phrase.rule === 'percent') return { ...figure(formatPercent(cell.estimate, lang)), text };
      return { text, source: ind.id };
    }
    default:
      return templateError(line, `unknown filter "${filter}"`);
  }
}

function surveyFact(results: PlanResults, lang: Lang, fact: string | undefined, line: number): Rendered {
  const facts = surveyFacts(results);
  let text: string | undefined;
  if (fact === 'year') text = fieldworkYears(facts);
  else if (fact === 'period') text = fieldworkPeriodText(facts, lang);
  else templateError(line, `unknown survey fact "survey.${fact ?? ''}" (survey.year, survey.period)`);
  if (text === undefined)
    return { text: TEXT[lang].notAvailable, source: 'survey', suppressed: true, state: 'withheld' };
  return { text, source: 'survey' };
}

function renderHtml(r: Rendered): string {
  if (r.datetime) return `<time datetime="${r.datetime}">${escapeHtml(r.text)}</time>`;
  if (r.source === 'survey' && !r.suppressed) return `<span data-survey-fact>${escapeHtml(r.text)}</span>`;
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
[data-suppressed]{font-style:italic;background:#fff3c4}.preview-warnings{border:3px solid #7a5200;background:#fff8e1;padding:.75rem 1rem;margin:1rem 0;font-family:sans-serif}`;

interface Tokenised {
  text: string;
  rendered: Rendered[];
  /** Each figure's and claim's placeholder as written, to quote a sentence in an error. */
  figureSource: string[];
  claims: { claim: Claim; source: string }[];
}

const DIRECTIVE = /\{\{\s*claim\s+([^}]*?)\s*\}\}|\{\{\s*else\s*\}\}/g;

function tokenise(template: string, results: PlanResults, options: PressReleaseOptions): Tokenised {
  const out: Tokenised = { text: '', rendered: [], figureSource: [], claims: [] };
  const directives = template.replace(DIRECTIVE, (all, claim: string | undefined, offset: number) => {
    if (claim === undefined) return ELSE;
    const parsed = parseClaim(claim);
    if (!parsed)
      templateError(lineAt(template, offset), `a malformed claim "${claim}" (e.g. {{claim F18 > 50%}})`);
    out.claims.push({ claim: parsed, source: all });
    return `\uE003${out.claims.length - 1}\uE001`;
  });
  out.text = directives.replace(
    PLACEHOLDER,
    (all, id: string, group?: string, filter?: string, arg?: string, offset?: number) => {
      const line = lineAt(directives, offset ?? 0);
      out.rendered.push(
        resolvePlaceholder(
          results,
          options.lang,
          { id, group, filter, arg: arg?.trim() },
          line,
          options.date,
        ),
      );
      out.figureSource.push(all);
      return `\uE000${out.rendered.length - 1}\uE001`;
    },
  );
  const stray = ANY_BRACES.exec(out.text);
  if (stray) templateError(lineAt(out.text, stray.index), 'a malformed placeholder (unbalanced {{ }})');
  return out;
}

/** The unit as the template wrote it (to name it in an error or a warning). */
function asWritten(text: string, tok: Tokenised): string {
  return text
    .replace(FIGURE, (_m, k: string) => tok.figureSource[Number(k)]!)
    .replace(CLAIM, (_m, k: string) => tok.claims[Number(k)]!.source)
    .replace(/\s+/g, ' ')
    .trim();
}

/** Why a unit cannot be printed as it stands (empty when it can); throws on a contradicted claim. */
function obstacles(text: string, tok: Tokenised, results: PlanResults, lang: Lang): string[] {
  const t = TEXT[lang];
  const reasons = new Set<string>(); // why, U+0000, what
  for (const m of text.matchAll(FIGURE)) {
    const r = tok.rendered[Number(m[1])]!;
    if (r.state === 'withheld') reasons.add(`${t.reasonWithheld}\u0000${r.source}`);
    if (r.state === 'unsettled') reasons.add(`${t.reasonUnsettled}\u0000${r.source}`);
  }
  for (const m of text.matchAll(CLAIM)) {
    const { claim } = tok.claims[Number(m[1])]!;
    const outcome = evaluateClaim(results, claim, asWritten(text, tok), lang, (ref) =>
      templateError(0, `the claim "${claim.text}" names no indicator or group "${ref}"`),
    );
    if (outcome === 'unverifiable') reasons.add(`${t.reasonWithheld}\u0000${claim.text}`);
    if (outcome === 'unsettled') reasons.add(`${t.reasonUnsettled}\u0000${claim.text}`);
  }
  return [...reasons];
}

interface Selection {
  markdown: string;
  warnings: { action: 'leftOut' | 'replaced'; sentence: string; reasons: string[] }[];
}

/** Keeps, replaces or leaves out each unit; in the preview, keeps every unit as written. */
function select(
  blocks: Block[],
  tok: Tokenised,
  results: PlanResults,
  options: PressReleaseOptions,
): Selection {
  const warnings: Selection['warnings'] = [];
  const echo = (k: number) => tok.rendered[k]?.echo;
  const kept = blocks.map((b) => ({
    kind: b.kind,
    level: b.level,
    texts: b.units.flatMap((u) => {
      const reasons = obstacles(u.text, tok, results, options.lang);
      const altReasons = u.alt !== undefined ? obstacles(u.alt, tok, results, options.lang) : [];
      let chosen: string | undefined = u.text;
      if (reasons.length > 0) {
        chosen = u.alt !== undefined && altReasons.length === 0 ? u.alt : undefined;
        warnings.push({ action: chosen ? 'replaced' : 'leftOut', sentence: asWritten(u.text, tok), reasons });
        if (options.preview) chosen = u.text;
      }
      return chosen === undefined ? [] : [tidy(dropRepeatedFigures(chosen, echo))];
    }),
  }));
  return { markdown: joinBlocks(kept), warnings };
}

function previewWarningsHtml(s: Selection, lang: Lang): string {
  const t = TEXT[lang];
  const items = s.warnings.map(
    (w) =>
      `<li>${escapeHtml(w.action === 'replaced' ? t.previewReplaced : t.previewLeftOut)} (${w.reasons
        .map((r) => {
          const [why, what] = r.split('\u0000');
          return `${escapeHtml(why!)} <code>${escapeHtml(what!)}</code>`;
        })
        .join('; ')})${lang === 'fr' ? '\u00a0:' : ':'} <code>${escapeHtml(w.sentence)}</code></li>`,
  );
  return `<div class="preview-warnings" role="alert"><p><strong>${escapeHtml(t.previewTitle)}</strong></p>${items.length ? `<ul>${items.join('')}</ul>` : ''}</div>\n`;
}

function previewWarningsMd(s: Selection, lang: Lang): string {
  const t = TEXT[lang];
  const items = s.warnings.map(
    (w) =>
      `> - ${w.action === 'replaced' ? t.previewReplaced : t.previewLeftOut} (${w.reasons.map((r) => `${r.replace('\u0000', ' `')}\``).join('; ')})${lang === 'fr' ? '\u00a0:' : ':'} \`${w.sentence}\``,
  );
  return `> **${t.previewTitle}**\n${items.length ? `>\n${items.join('\n')}\n` : ''}\n`;
}

/**
 * Renders a press-release template from plan results, in Markdown or HTML. The HTML form (also
 * built for Markdown) must pass the bound-number check: a template that prints a number no
 * indicator accounts for is refused (`CAIRNET_PUBLISH_UNBOUND_NUMBER`), as is an unknown
 * indicator, group or filter (`CAIRNET_PUBLISH_TEMPLATE_INVALID`) and a claim the data
 * contradict (`CAIRNET_PUBLISH_CLAIM_CONTRADICTED`). A sentence whose figure is suppressed takes
 * its alternative or is left out: the release never prints a placeholder (the preview does, with
 * a warning). Synthetic data carry a banner.
 */
export function renderPressRelease(results: PlanResults, options: PressReleaseOptions): string {
  const { lang } = options;
  const t = TEXT[lang];
  const template = options.template ?? readPressReleaseTemplate(lang, results.instrument);
  const tok = tokenise(template, results, options);
  const selection = select(splitBlocks(tok.text), tok, results, options);
  const body = selection.markdown;
  if (!options.preview && [...body.matchAll(FIGURE)].some((m) => tok.rendered[Number(m[1])]!.state))
    throw new Error('press release: a withheld figure survived the selection'); // a bug, not bad input
  const banner = results.synthetic ? `> **${t.syntheticTitle}** ${t.syntheticPressRelease}\n\n` : '';
  const htmlBody = markdownToHtml(body, (s) =>
    s.replace(FIGURE, (_m, k: string) => renderHtml(tok.rendered[Number(k)]!)),
  );
  const bannerHtml = results.synthetic
    ? `<div class="synthetic-banner" role="note"><strong>${escapeHtml(t.syntheticTitle)}</strong> ${escapeHtml(t.syntheticPressRelease)}</div>\n`
    : '';
  const previewHtml = options.preview ? previewWarningsHtml(selection, lang) : '';
  const title =
    /^#\s+(.*)$/m
      .exec(body)?.[1]
      ?.replace(FIGURE, (_m, k: string) => tok.rendered[Number(k)]!.text)
      .trim() ?? t.pressRelease;
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
${previewHtml}${bannerHtml}${htmlBody}
</main>
</body>
</html>
`;
  assertBoundNumbers(html, resultSources(results), 'press release');
  if (options.format === 'html') return html;
  const md = body.replace(FIGURE, (_m, k: string) => tok.rendered[Number(k)]!.text);
  return `${options.preview ? previewWarningsMd(selection, lang) : ''}${banner}${md.trim()}\n`;
}
