import { existsSync, readFileSync } from 'node:fs';
import { surveyDirectory } from './survey-source.js';

/** The words of the outputs that belong to one survey (its report title, design, published figures). */
export const SURVEY_TEXT_KEYS = [
  'reportTitle',
  'designText',
  'unweighted',
  'published2013',
  'typology',
  'publicResults',
  'demoTitle',
] as const;

export type SurveyTextKey = (typeof SURVEY_TEXT_KEYS)[number];

/** A survey's own words, by language: they replace the neutral defaults of src/report/report-text.ts. */
export type SurveyTexts = Partial<Record<'fr' | 'en', Partial<Record<SurveyTextKey, string>>>>;

/**
 * A survey's texts from `instruments/<source>/texts.json` (`{"fr": {...}, "en": {...}}`, only
 * the keys of {@link SURVEY_TEXT_KEYS}, each a string), or none.
 */
export function readSurveyTexts(source: string | null): SurveyTexts {
  if (source === null || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(source)) return {};
  const path = `${surveyDirectory(source)}texts.json`;
  if (!existsSync(path)) return {};
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, unknown>>;
  const out: SurveyTexts = {};
  for (const lang of ['fr', 'en'] as const) {
    const entries = Object.entries(raw[lang] ?? {}).filter(
      (e): e is [SurveyTextKey, string] =>
        (SURVEY_TEXT_KEYS as readonly string[]).includes(e[0]) && typeof e[1] === 'string',
    );
    out[lang] = Object.fromEntries(entries);
  }
  return out;
}

/**
 * A survey's texts with its title in the outputs' headings where its own files name none: a
 * report titled "Résultats : TITLE" / "Results: TITLE" rather than a bare "Survey results".
 */
export function withSurveyTitle(texts: SurveyTexts, title: { fr: string; en: string } | null): SurveyTexts {
  if (!title) return texts;
  const heading = { fr: `Résultats : ${title.fr}`, en: `Results: ${title.en}` };
  const out: SurveyTexts = {};
  for (const lang of ['fr', 'en'] as const) {
    out[lang] = { reportTitle: heading[lang], publicResults: heading[lang], ...(texts[lang] ?? {}) };
  }
  return out;
}
