import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { currentInstrument } from '../store/repositories/instruments.js';
import { findSurvey, SURVEY_NAME } from '../store/repositories/surveys.js';
import type { CairnetDatabase } from '../store/schema.js';
import { localisedText } from './localised-text.js';
import type { LocalisedText } from './types.js';

/** The directory of a survey's files under `instruments/`. */
export function surveyDirectory(source: string): string {
  return fileURLToPath(new URL(`../../instruments/${source}/`, import.meta.url));
}

/**
 * The directory under `instruments/` holding a survey's files (plan, texts): its recorded
 * source (`cairnet` for `cairnet-demo`), else its own name when that directory exists, else null.
 */
export async function surveySource(db: Kysely<CairnetDatabase>, name: string): Promise<string | null> {
  const survey = await findSurvey(db, name);
  const source = survey?.source ?? name;
  return SURVEY_NAME.test(source) && existsSync(surveyDirectory(source)) ? source : null;
}

/**
 * A survey's title in both languages: the one recorded for the survey (a demonstration's), else
 * its current questionnaire's title, else null.
 */
export async function surveyTitle(db: Kysely<CairnetDatabase>, name: string): Promise<LocalisedText | null> {
  const survey = await findSurvey(db, name);
  if (survey?.title) return survey.title;
  const stored = await currentInstrument(db, name);
  const title = (stored?.json as { title?: unknown } | undefined)?.title;
  return title === undefined ? null : localisedText(title as never, name);
}
