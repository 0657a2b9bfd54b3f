import { existsSync, readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { deriveCodebook } from '../instrument/derive-codebook.js';
import { surveyDirectory, surveySource } from '../instrument/survey-source.js';
import type { CodebookVariable, InstrumentJson, LocalisedText } from '../instrument/types.js';
import type { CairnetDatabase } from '../store/schema.js';

/**
 * What a survey's press search is about, as its `instruments/<source>/press-contact.json` says
 * under `search` (every key optional):
 *
 * ```json
 * "search": {
 *   "optIn": { "question": "press_contact_optin", "value": "yes" },
 *   "filters": [{ "question": "field" }, { "question": "research_kind", "param": "researchKind",
 *                 "label": { "fr": "Type de recherche", "en": "Kind of research" } }],
 *   "cited": { "question": "associations", "param": "association",
 *              "label": { "fr": "Association citée", "en": "Association cited" } }
 * }
 * ```
 *
 * Without it: the opt-in is `press_contact_optin` = `yes`, the filters are the questionnaire's
 * first {@link DEFAULT_FILTERS} single-choice questions, and the cited texts its first list of
 * texts (a dynamic panel of one text question).
 */
export interface PressSearchDeclaration {
  optIn: { question: string; value: string };
  /** Null: not declared (the defaults apply). */
  filters: { question: string; param?: string; label?: LocalisedText }[] | null;
  /** Null: not declared; false: declared as none. */
  cited: { question: string; param?: string; label?: LocalisedText } | false | null;
}

/** A filter as the page and the search use it: a closed question of the current questionnaire. */
export interface PressFilter {
  /** The query parameter (the question's name unless the survey names another). */
  param: string;
  question: string;
  label: LocalisedText;
  choices: { value: string; label: LocalisedText }[];
}

/** The resolved search of a survey's press page. */
export interface PressSearchSpec {
  optIn: { question: string; value: string; asked: boolean };
  filters: PressFilter[];
  /** A list of texts searched by a piece of text (case and accents ignored), or null. */
  cited: { param: string; question: string; item: string | null; label: LocalisedText } | null;
}

export const DEFAULT_OPT_IN = { question: 'press_contact_optin', value: 'yes' } as const;
/** How many single-choice questions a survey that declares no filters is searched by. */
export const DEFAULT_FILTERS = 4;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

const declarations = new Map<string, PressSearchDeclaration>();

/** The `press-contact.json` of a survey's source directory, parsed (an empty object when absent). */
export function readPressContactFile(source: string | null): Record<string, unknown> {
  const path = source === null ? null : `${surveyDirectory(source)}press-contact.json`;
  if (!path || !existsSync(path)) return {};
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function invalid(source: string, what: string): never {
  throw cairnetError('CAIRNET_PRESS_CONFIG_INVALID', `instruments/${source}/press-contact.json: ${what}`);
}

function label(v: unknown, source: string, where: string): LocalisedText | undefined {
  if (v === undefined) return undefined;
  const o = v as Record<string, unknown>;
  if (!o || typeof o.fr !== 'string' || typeof o.en !== 'string') {
    invalid(source, `${where}.label must be {"fr": "…", "en": "…"}`);
  }
  return { fr: o.fr, en: o.en };
}

function entry(v: unknown, source: string, where: string) {
  const o = (v ?? {}) as Record<string, unknown>;
  if (typeof o.question !== 'string' || !NAME.test(o.question))
    invalid(source, `${where}.question must be a question name`);
  if (o.param !== undefined && (typeof o.param !== 'string' || !NAME.test(o.param))) {
    invalid(source, `${where}.param must be a name of letters, digits and _`);
  }
  const l = label(o.label, source, where);
  return {
    question: o.question,
    ...(typeof o.param === 'string' ? { param: o.param } : {}),
    ...(l ? { label: l } : {}),
  };
}

/** Checks the `search` part of a press-contact file. */
export function parsePressSearch(raw: unknown, source: string): PressSearchDeclaration {
  if (raw === undefined) return { optIn: { ...DEFAULT_OPT_IN }, filters: null, cited: null };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) invalid(source, '"search" must be an object');
  const s = raw as Record<string, unknown>;
  const o = (s.optIn ?? {}) as Record<string, unknown>;
  const optIn = {
    question: typeof o.question === 'string' ? o.question : DEFAULT_OPT_IN.question,
    value: typeof o.value === 'string' ? o.value : DEFAULT_OPT_IN.value,
  };
  if (s.filters !== undefined && !Array.isArray(s.filters)) invalid(source, 'search.filters must be a list');
  const filters = Array.isArray(s.filters)
    ? s.filters.map((f, i) => entry(f, source, `search.filters[${i}]`))
    : null;
  const cited =
    s.cited === undefined ? null : s.cited === false ? false : entry(s.cited, source, 'search.cited');
  return { optIn, filters, cited };
}

/** A survey's declared press search (files are read once per source). */
export async function pressSearchDeclaration(
  db: Kysely<CairnetDatabase>,
  survey: string,
): Promise<PressSearchDeclaration> {
  const source = await surveySource(db, survey);
  const key = source ?? '';
  let found = declarations.get(key);
  if (!found) {
    found = parsePressSearch(readPressContactFile(source).search, source ?? survey);
    declarations.set(key, found);
  }
  return found;
}

const isClosed = (v: CodebookVariable) =>
  (v.type === 'single' || v.type === 'ordinal') &&
  v.levels.length > 0 &&
  v.row === undefined &&
  v.choice === undefined &&
  v.path === undefined &&
  v.name === v.question;

const choicesOf = (v: CodebookVariable) => v.levels.map((l) => ({ value: String(l.value), label: l.label }));

/**
 * The search a survey's press page offers, against its current questionnaire: declared filters
 * that the questionnaire does not ask (or asks as an open question) are left out.
 */
export function resolvePressSearch(
  decl: PressSearchDeclaration,
  json: InstrumentJson | null,
): PressSearchSpec {
  const variables = json ? deriveCodebook(json).variables : [];
  const byName = new Map(variables.map((v) => [v.name, v]));
  const asked = variables.some((v) => v.name === decl.optIn.question);
  const declared: { question: string; param?: string; label?: LocalisedText }[] =
    decl.filters ?? variables.filter(isClosed).map((v) => ({ question: v.name }));
  const closed = declared
    .filter((f) => f.question !== decl.optIn.question)
    .flatMap((f) => {
      const v = byName.get(f.question);
      return v && isClosed(v) ? [{ ...f, v }] : [];
    })
    .slice(0, decl.filters ? undefined : DEFAULT_FILTERS);
  const filters = closed.map(({ v, param, label: own }) => ({
    param: param ?? v.name,
    question: v.name,
    label: own ?? v.label,
    choices: choicesOf(v),
  }));
  return { optIn: { ...decl.optIn, asked }, filters, cited: resolveCited(decl, variables) };
}

function resolveCited(decl: PressSearchDeclaration, variables: CodebookVariable[]): PressSearchSpec['cited'] {
  if (decl.cited === false) return null;
  const wanted = decl.cited ? decl.cited.question : null;
  const v = variables.find((x) =>
    wanted === null
      ? x.type === 'text_list'
      : (x.name === wanted || x.question === wanted) && (x.type === 'text_list' || x.type === 'text'),
  );
  if (!v) return null;
  const own = decl.cited || undefined;
  return {
    param: own?.param ?? 'cited',
    question: v.question,
    item: v.type === 'text_list' ? (v.item ?? null) : null,
    label: own?.label ?? v.label,
  };
}
