import type { LocalisableString } from '../types.js';
import type { ImportNote } from './import-report.js';
import { plainText } from './plain-text.js';

const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en',
  anglais: 'en',
  french: 'fr',
  français: 'fr',
  francais: 'fr',
  spanish: 'es',
  español: 'es',
  german: 'de',
  deutsch: 'de',
  italian: 'it',
  portuguese: 'pt',
  dutch: 'nl',
  arabic: 'ar',
};

/**
 * The language code of an XLSForm language name: `French (fr)` → `fr`, `English` → `en`,
 * `fr` → `fr`; anything else is lower-cased.
 */
export function languageCode(name: string): string {
  const trimmed = name.trim();
  const paren = /\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)\)\s*$/.exec(trimmed);
  if (paren) return paren[1]!.toLowerCase();
  const lower = trimmed.toLowerCase();
  // An own key only: a column `label::constructor` names no language of the table.
  return Object.hasOwn(LANGUAGE_NAMES, lower) ? LANGUAGE_NAMES[lower]! : lower;
}

/**
 * Builds a SurveyJS localisable string from texts per language (`default` for a text in no
 * named language), each made plain text; a change made by the sanitiser is noted in `sanitised`.
 * English (or the default text) becomes SurveyJS's `default`.
 */
export function localisedLabel(
  texts: Map<string, unknown>,
  defaultLanguage: string | null,
  where: string,
  sanitised: ImportNote[],
): LocalisableString | undefined {
  const clean = new Map<string, string>();
  for (const [lang, raw] of texts) {
    if (raw === null || raw === undefined || String(raw).trim() === '') continue;
    const text = plainText(raw);
    if (text !== String(raw).trim().replace(/\r\n?/g, '\n')) {
      sanitised.push({ where, message: `HTML or control characters removed from the ${lang} text` });
    }
    if (text !== '') clean.set(lang, text);
  }
  if (clean.size === 0) return undefined;
  const plain = clean.get('default');
  clean.delete('default');
  if (plain !== undefined && defaultLanguage && !clean.has(defaultLanguage))
    clean.set(defaultLanguage, plain);
  if (clean.size === 0) return plain;
  const result: Record<string, string> = {};
  const first = clean.values().next().value as string;
  result.default = clean.get('en') ?? plain ?? first;
  for (const [lang, text] of clean) if (lang !== 'en') result[lang] = text;
  return Object.keys(result).length === 1 ? result.default : result;
}
