import { instrumentLanguages } from './instrument-languages.js';
import { LAYOUT_TYPES } from './question-types.js';
import type { ElementJson, InstrumentJson, LocalisableString } from './types.js';
import { walkElements } from './walk-elements.js';

/** A text of one language that differs between two versions ('' where a version has none). */
export interface WordingChange {
  lang: string;
  before: string;
  after: string;
}

/** One question as a version lists it. */
export interface QuestionEntry {
  name: string;
  type: string;
  /** Its wording per language. */
  title: Record<string, string>;
}

/** How the choices of a question changed: by their codes (values), and their wording per language. */
export interface ChoiceChanges {
  added: { value: string; text: Record<string, string> }[];
  removed: { value: string; text: Record<string, string> }[];
  reworded: { value: string; changes: WordingChange[] }[];
}

export interface QuestionChange {
  name: string;
  type: { before: string; after: string } | null;
  wording: WordingChange[];
  choices: ChoiceChanges | null;
}

/** What changed from one version of a questionnaire to the next, question by question (by name). */
export interface VersionDiff {
  added: QuestionEntry[];
  removed: QuestionEntry[];
  changed: QuestionChange[];
}

const CODE = /^[a-z]{2,3}(-[a-z]{2,4})?$/i;

/**
 * A SurveyJS string as texts per language: a plain string is the questionnaire's own language;
 * `default` is English (as imports write it) unless it only repeats the base language's text.
 */
export function textsByLanguage(s: unknown, base: string): Record<string, string> {
  if (typeof s === 'string') return s === '' ? {} : { [base]: s };
  if (typeof s === 'number') return { [base]: String(s) };
  if (!s || typeof s !== 'object' || Array.isArray(s)) return {};
  const o = s as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o))
    if (k !== 'default' && typeof v === 'string' && v !== '' && CODE.test(k)) out[k.toLowerCase()] = v;
  const d = o.default;
  if (typeof d === 'string' && d !== '') {
    if (out.en === undefined && d !== out[base]) out.en = d;
    else if (out[base] === undefined) out[base] = d;
  }
  return out;
}

function wordingChanges(before: Record<string, string>, after: Record<string, string>): WordingChange[] {
  const langs = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return langs
    .filter((l) => (before[l] ?? '') !== (after[l] ?? ''))
    .map((lang) => ({ lang, before: before[lang] ?? '', after: after[lang] ?? '' }));
}

function choicesOf(e: ElementJson, base: string): Map<string, Record<string, string>> | null {
  if (!Array.isArray(e.choices)) return null;
  const out = new Map<string, Record<string, string>>();
  for (const c of e.choices) {
    if (typeof c === 'string' || typeof c === 'number') out.set(String(c), { [base]: String(c) });
    else if (c && typeof c === 'object' && 'value' in c) {
      const { value, text } = c as { value: unknown; text?: LocalisableString };
      out.set(String(value), text === undefined ? { [base]: String(value) } : textsByLanguage(text, base));
    }
  }
  return out;
}

function choiceChanges(
  before: Map<string, Record<string, string>> | null,
  after: Map<string, Record<string, string>> | null,
): ChoiceChanges | null {
  if (!before && !after) return null;
  const b = before ?? new Map<string, Record<string, string>>();
  const a = after ?? new Map<string, Record<string, string>>();
  const out: ChoiceChanges = {
    added: [...a].filter(([v]) => !b.has(v)).map(([value, text]) => ({ value, text })),
    removed: [...b].filter(([v]) => !a.has(v)).map(([value, text]) => ({ value, text })),
    reworded: [...a]
      .filter(([v]) => b.has(v))
      .map(([value, text]) => ({ value, changes: wordingChanges(b.get(value)!, text) }))
      .filter((r) => r.changes.length > 0),
  };
  return out.added.length || out.removed.length || out.reworded.length ? out : null;
}

function questionsOf(json: InstrumentJson): Map<string, { element: ElementJson; base: string }> {
  const base = instrumentLanguages(json)[0] ?? 'en';
  const out = new Map<string, { element: ElementJson; base: string }>();
  for (const { element } of walkElements(json))
    if (typeof element.name === 'string' && !LAYOUT_TYPES.has(element.type))
      out.set(element.name, { element, base });
  return out;
}

function entry(q: { element: ElementJson; base: string }): QuestionEntry {
  return {
    name: q.element.name,
    type: q.element.type,
    title: textsByLanguage(q.element.title ?? q.element.name, q.base),
  };
}

/**
 * What changed between two versions of a questionnaire: the questions added and removed (by
 * name, in the order of the version that has them) and, for the questions in both, a changed
 * type, wording changed per language and choices added, removed or reworded (by their codes).
 * Panels and html blocks are layout, not questions.
 *
 * @example diffInstrumentVersions(v1.json, v2.json).added.map((q) => q.name) // ['email']
 */
export function diffInstrumentVersions(before: InstrumentJson, after: InstrumentJson): VersionDiff {
  const b = questionsOf(before);
  const a = questionsOf(after);
  const changed: QuestionChange[] = [];
  for (const [name, q] of a) {
    const old = b.get(name);
    if (!old) continue;
    const change: QuestionChange = {
      name,
      type: old.element.type === q.element.type ? null : { before: old.element.type, after: q.element.type },
      wording: wordingChanges(entry(old).title, entry(q).title),
      choices: choiceChanges(choicesOf(old.element, old.base), choicesOf(q.element, q.base)),
    };
    if (change.type || change.wording.length || change.choices) changed.push(change);
  }
  return {
    added: [...a].filter(([n]) => !b.has(n)).map(([, q]) => entry(q)),
    removed: [...b].filter(([n]) => !a.has(n)).map(([, q]) => entry(q)),
    changed,
  };
}

/** Whether two versions hold the same questions, wording and choices. */
export function isEmptyDiff(d: VersionDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
}
