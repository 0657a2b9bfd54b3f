import { cairnetError } from '../errors.js';
import { loadCairnetInstrument } from '../instrument/load-instrument.js';
import { surveySource } from '../instrument/survey-source.js';
import { readSurveyTexts } from '../instrument/survey-texts.js';
import type { InstrumentJson, LocalisableString, LocalisedText } from '../instrument/types.js';
import type { Store } from '../store/open-store.js';
import { responseIdBy } from '../store/repositories/campaign-people.js';
import { currentInstrument, saveInstrument } from '../store/repositories/instruments.js';
import { insertResponsesBulk } from '../store/repositories/responses.js';
import {
  ensureSurvey,
  findSurvey,
  latestSurveyPlan,
  responseKinds,
  SURVEY_NAME,
  type Survey,
  saveSurveyPlan,
  syntheticResponsesOrigin,
} from '../store/repositories/surveys.js';
import {
  ResponseDrawer,
  respondentRandom,
  type SyntheticResponse,
  syntheticResponse,
} from './synthetic-responses.js';

/** At most this many synthetic responses are drawn from a questionnaire at once (all are held in memory). */
export const MAX_SYNTHETIC_RESPONDENTS = 100_000;

export interface SyntheticDemoOptions {
  /** The survey whose current questionnaire the responses are drawn from. */
  from: string;
  /** The demonstration survey written (default `FROM-demo`). */
  instrument?: string | undefined;
  respondents: number;
  seed: number;
}

export interface SyntheticDemoResult {
  /** The demonstration survey. */
  instrument: string;
  from: string;
  written: number;
  /** The questionnaire version the responses answer. */
  version: number;
  /** The plan version copied from the source, or null when the source has none stored. */
  planVersion: number | null;
  title: LocalisedText;
}

/** The source survey's current questionnaire (Cairnet's bundled one before it is stored). */
async function sourceQuestionnaire(
  store: Store,
  from: string,
): Promise<{ survey: Survey | undefined; json: InstrumentJson; hash: string }> {
  const survey = await findSurvey(store.db, from);
  if (survey?.kind === 'demo')
    throw cairnetError(
      'CAIRNET_USAGE',
      `--from ${from}: "${from}" is a demonstration survey; name the survey whose questionnaire to draw from`,
    );
  const stored = await currentInstrument(store.db, from);
  if (stored) return { survey, json: stored.json as InstrumentJson, hash: stored.hash };
  if (from === 'cairnet') {
    const bundled = loadCairnetInstrument();
    return { survey, json: bundled.json, hash: bundled.hash };
  }
  throw cairnetError(
    'CAIRNET_INSTRUMENT_NOT_FOUND',
    `--from ${from}: the store has no survey named "${from}"`,
  );
}

/** A localised SurveyJS string in one language: that language's text, else the default, else any. */
function inLanguage(text: LocalisableString | undefined, lang: 'fr' | 'en'): string | undefined {
  if (typeof text === 'string') return text.trim() || undefined;
  if (!text || typeof text !== 'object') return undefined;
  const pick = [text[lang], text.default, ...Object.values(text)].find(
    (t): t is string => typeof t === 'string' && t.trim() !== '',
  );
  return pick?.trim();
}

/**
 * How the demonstration of a survey is titled in both languages: its source's own `demoTitle`
 * (texts.json) when it has one, else "Démonstration : TITLE (réponses synthétiques)" /
 * "Demonstration: TITLE (synthetic responses)" with the survey's title in each language.
 */
export function syntheticDemoTitle(
  from: string,
  source: string | null,
  survey: Survey | undefined,
  json: InstrumentJson,
): LocalisedText {
  const own = readSurveyTexts(source);
  const title = (lang: 'fr' | 'en') => survey?.title?.[lang] ?? inLanguage(json.title, lang) ?? from;
  return {
    fr: own.fr?.demoTitle ?? `Démonstration : ${title('fr')} (réponses synthétiques)`,
    en: own.en?.demoTitle ?? `Demonstration: ${title('en')} (synthetic responses)`,
  };
}

/**
 * Refuses, before anything is written: a target that is a real survey or holds real responses
 * (`CAIRNET_SURVEY_SYNTHETIC_REFUSED`), a demonstration survey drawn from another questionnaire
 * (`CAIRNET_DEMO_OTHER_SOURCE`), the same panel twice (`CAIRNET_RESPONSE_ALREADY_COMPLETED`).
 */
async function checkTarget(store: Store, name: string, from: string, firstKey: string): Promise<void> {
  const target = await findSurvey(store.db, name);
  if ((target && target.kind !== 'demo') || (await responseKinds(store.db, name)).real > 0)
    throw cairnetError(
      'CAIRNET_SURVEY_SYNTHETIC_REFUSED',
      `"${name}" is a real survey: it takes no synthetic responses (give --instrument another name)`,
    );
  const origin = await syntheticResponsesOrigin(store.db, name);
  if (origin !== undefined && origin !== from)
    throw cairnetError(
      'CAIRNET_DEMO_OTHER_SOURCE',
      `"${name}" holds synthetic responses drawn from "${origin}", not "${from}": remove it first (cairnet demo --remove --instrument ${name}) or give --instrument another name`,
    );
  if (await responseIdBy(store.db, 'idempotency_key', firstKey))
    throw cairnetError(
      'CAIRNET_RESPONSE_ALREADY_COMPLETED',
      `"${name}" already holds these synthetic responses (same questionnaire, size and seed)`,
    );
}

/** The idempotency key of synthetic response i: the survey, the questionnaire version's hash, the panel. */
function syntheticKey(name: string, hash: string, seed: number, respondents: number, i: number): string {
  return `${name}:synthetic-${hash.slice(0, 16)}-${seed}-${respondents}-${i}`;
}

/**
 * The responses `syntheticResponses` gives, drawn a few milliseconds at a time with a turn of
 * the event loop between (a server answers its other requests meanwhile).
 */
async function drawResponses(
  json: InstrumentJson,
  hash: string,
  opts: { respondents: number; seed: number; lang: string },
): Promise<SyntheticResponse[]> {
  const drawer = new ResponseDrawer(json, { lang: opts.lang });
  const out: SyntheticResponse[] = [];
  let since = performance.now();
  for (let i = 0; i < opts.respondents; i++) {
    out.push(syntheticResponse(drawer, json, hash, respondentRandom(opts.seed, i)));
    if (performance.now() - since > 20) {
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
  return out;
}

/** The completion times: spread over the four weeks before now, oldest first. */
function completionTimes(n: number): string[] {
  const span = 28 * 86_400_000;
  const start = Date.now() - span;
  return Array.from({ length: n }, (_, i) =>
    new Date(start + Math.floor((span * (i + 0.5)) / n)).toISOString(),
  );
}

/**
 * `cairnet demo --from SURVEY`: draws N synthetic completed responses from SURVEY's current
 * questionnaire (each passing the server's own validation) and writes them into a demonstration
 * survey (default `SURVEY-demo`, created or filled): the same questionnaire, SURVEY's stored plan
 * version if any, titled as a demonstration of SURVEY, every response flagged synthetic. Every
 * check and every draw comes before the first write, so a refusal stores nothing.
 */
export async function writeSyntheticDemo(
  store: Store,
  opts: SyntheticDemoOptions,
): Promise<SyntheticDemoResult> {
  const { from, respondents, seed } = opts;
  const name = opts.instrument ?? `${from}-demo`;
  if (!SURVEY_NAME.test(from))
    throw cairnetError('CAIRNET_USAGE', `--from: letters, digits, - and _, not "${from}"`);
  if (!SURVEY_NAME.test(name))
    throw cairnetError('CAIRNET_USAGE', `--instrument: letters, digits, - and _ (64 at most), not "${name}"`);
  if (!Number.isInteger(respondents) || respondents < 1 || respondents > MAX_SYNTHETIC_RESPONDENTS)
    throw cairnetError(
      'CAIRNET_USAGE',
      `--respondents must be a whole number from 1 to ${MAX_SYNTHETIC_RESPONDENTS}`,
    );
  const { survey, json, hash } = await sourceQuestionnaire(store, from);
  await checkTarget(store, name, from, syntheticKey(name, hash, seed, respondents, 0));
  const lang = survey?.languages[0] ?? 'fr';
  const drawn = await drawResponses(json, hash, { respondents, seed, lang });
  const source = await surveySource(store.db, from);
  const title = syntheticDemoTitle(from, source, survey, json);
  await ensureSurvey(store.db, {
    name,
    kind: 'demo',
    source,
    title,
    languages: survey?.languages ?? ['fr', 'en'],
  });
  const { instrument } = await saveInstrument(store.db, name, json as Record<string, unknown>);
  const plan = await latestSurveyPlan(store.db, from);
  const planVersion = plan ? (await saveSurveyPlan(store.db, name, plan.yaml)).plan.version : null;
  const times = completionTimes(drawn.length);
  const written = await insertResponsesBulk(
    store.db,
    drawn.map((r, i) => ({
      instrumentName: name,
      instrumentVersion: instrument.version,
      data: r.data,
      synthetic: true,
      idempotencyKey: syntheticKey(name, hash, seed, respondents, i),
      meta: { synthetic: true, from, seed, generator: 'questionnaire' },
      completedAt: times[i],
    })),
  );
  return { instrument: name, from, written, version: instrument.version, planVersion, title };
}
