import { loadCairnetInstrument } from '../instrument/load-instrument.js';
import { readSurveyTexts } from '../instrument/survey-texts.js';
import type { Store } from '../store/open-store.js';
import { type StoredInstrument, saveInstrument } from '../store/repositories/instruments.js';
import { ensureSurvey } from '../store/repositories/surveys.js';

/** The survey the demonstration panel goes to: Cairnet's questionnaire and plan, apart from `cairnet`. */
export const DEMO_SURVEY = 'cairnet-demo';

/** How a demonstration survey is titled: its source's `demoTitle` (texts.json), else a neutral title. */
export function demoTitle(source: string): { fr: string; en: string } {
  const own = readSurveyTexts(source);
  return {
    fr: own.fr?.demoTitle ?? 'Démonstration (réponses synthétiques)',
    en: own.en?.demoTitle ?? 'Demonstration (synthetic responses)',
  };
}

/**
 * Makes sure the bundled Cairnet questionnaire is stored as the survey `cairnet` (real responses
 * only; its plan and texts in `instruments/cairnet/`): a new version when its content changed
 * since the last start, nothing otherwise.
 */
export async function ensureCairnetInstrument(
  store: Store,
): Promise<{ instrument: StoredInstrument; created: boolean }> {
  const { json } = loadCairnetInstrument();
  await ensureSurvey(store.db, { name: 'cairnet', kind: 'survey', source: 'cairnet' });
  return saveInstrument(store.db, 'cairnet', json as Record<string, unknown>);
}

/**
 * Makes sure a demonstration survey is stored (`cairnet-demo` by default): the same
 * questionnaire and plan as Cairnet, titled as a demonstration, taking synthetic responses only.
 * A real survey of that name is refused (`CAIRNET_SURVEY_SYNTHETIC_REFUSED`).
 */
export async function ensureDemoSurvey(
  store: Store,
  name = DEMO_SURVEY,
): Promise<{ instrument: StoredInstrument; created: boolean }> {
  const { json } = loadCairnetInstrument();
  await ensureSurvey(store.db, { name, kind: 'demo', source: 'cairnet', title: demoTitle('cairnet') });
  return saveInstrument(store.db, name, json as Record<string, unknown>);
}
