import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { deriveCodebook } from '../instrument/derive-codebook.js';
import { loadCairnetInstrument } from '../instrument/load-instrument.js';
import { surveyDirectory, surveySource } from '../instrument/survey-source.js';
import type { Codebook, InstrumentJson } from '../instrument/types.js';
import { defaultPlanYaml } from '../plan/default-plan.js';
import { type ParsedPlan, parsePlan, readPlanFile } from '../plan/parse-plan.js';
import { currentInstrument } from '../store/repositories/instruments.js';
import { latestSurveyPlan, SURVEY_NAME } from '../store/repositories/surveys.js';
import type { CairnetDatabase } from '../store/schema.js';

/** The survey analysed when none is named. */
export const DEFAULT_SURVEY = 'cairnet';

/** Where a plan came from: a file given, a version stored, the survey's directory, or the codebook. */
export type PlanOrigin = 'file' | 'stored' | 'bundled' | 'default';

/** A plan evaluated on the survey `name` (a plan written for Cairnet also serves `cairnet-demo`). */
export function forSurvey(parsed: ParsedPlan, name: string): ParsedPlan {
  return parsed.plan.instrument === name ? parsed : { ...parsed, plan: { ...parsed.plan, instrument: name } };
}

/** The codebook of a survey's current questionnaire (the bundled one for `cairnet` before it is stored). */
export async function surveyCodebook(db: Kysely<CairnetDatabase>, name: string): Promise<Codebook> {
  const stored = await currentInstrument(db, name);
  if (stored) return deriveCodebook(stored.json as InstrumentJson);
  if (name === DEFAULT_SURVEY) return loadCairnetInstrument().codebook;
  throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `The store has no instrument named "${name}"`);
}

/**
 * The analysis plan of a survey: the file given (evaluated on `instrument` when named, else on
 * the instrument the file names), else the newest plan stored for it (`cairnet plan set`), else
 * the plan in its directory (`instruments/<source>/plan.yaml`: Cairnet's, which `cairnet-demo`
 * shares), else the default plan written from its codebook. The plan names the survey it is
 * evaluated on.
 */
export async function surveyPlan(
  db: Kysely<CairnetDatabase>,
  options: { instrument?: string | undefined; plan?: string | undefined },
): Promise<{ parsed: ParsedPlan; origin: PlanOrigin }> {
  if (options.instrument !== undefined && !SURVEY_NAME.test(options.instrument))
    throw cairnetError(
      'CAIRNET_USAGE',
      `--instrument: letters, digits, - and _, not "${options.instrument}"`,
    );
  if (options.plan !== undefined) {
    const parsed = readPlanFile(options.plan);
    return { parsed: forSurvey(parsed, options.instrument ?? parsed.plan.instrument), origin: 'file' };
  }
  const name = options.instrument ?? DEFAULT_SURVEY;
  const stored = await latestSurveyPlan(db, name);
  if (stored) {
    return {
      parsed: forSurvey(parsePlan(stored.yaml, `${name} plan v${stored.version}`), name),
      origin: 'stored',
    };
  }
  const source = await surveySource(db, name);
  const bundled = source === null ? null : `${surveyDirectory(source)}plan.yaml`;
  if (bundled !== null && existsSync(bundled)) {
    return { parsed: forSurvey(readPlanFile(bundled), name), origin: 'bundled' };
  }
  const codebook = await surveyCodebook(db, name);
  return { parsed: parsePlan(defaultPlanYaml(codebook, name), `${name} default plan`), origin: 'default' };
}

export { surveyDirectory, surveySource };
