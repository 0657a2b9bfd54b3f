import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { findSurvey, SURVEY_NAME } from '../store/repositories/surveys.js';
import type { CairnetDatabase } from '../store/schema.js';

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
