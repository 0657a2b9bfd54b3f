import { distinctAssociationCount } from '../dataset/association-names.js';
import type { Dataset } from '../dataset/dataset.js';
import { addDerivedVariables } from '../dataset/derived-variable.js';
import type { Codebook } from '../instrument/types.js';
import { checkPlan } from '../plan/check-plan.js';
import type { PlanResults } from '../plan/evaluate-plan.js';
import type { ParsedPlan } from '../plan/parse-plan.js';
import type { Plan } from '../plan/plan-schema.js';
import { storeCountSource } from '../plan/store-count-source.js';
import { evaluateStorePlan, patternTypology } from '../plan/store-plan.js';
import { surveyPlan, surveySource } from '../plan/survey-plan.js';
import { typologyProfiles } from '../plan/typology-profiles.js';
import { factorMapSvg } from '../stats/mca/factor-map-svg.js';
import type { Store } from '../store/open-store.js';
import { openStore } from '../store/open-store.js';
import { readSurveyTexts, type SurveyTexts } from './survey-texts.js';

/** Everything an output renders: the plan's results, the plan itself and the codebook. */
export interface PublishedResults {
  results: PlanResults;
  plan: Plan;
  codebook: Codebook;
  /** The typology's factor map (SVG), when asked for and computable. */
  factorMap?: string;
  /** When these results were computed. */
  computedAt: Date;
  /** The directory under `instruments/` with the survey's texts (templates), or null. */
  source?: string | null;
  /** The survey's own words (report title, design…), from `instruments/<source>/texts.json`. */
  texts?: SurveyTexts;
}

export interface StoreResultsOptions {
  /** A plan file other than the survey's own. */
  plan?: string | undefined;
  /** The survey (default: the one the plan file names, else cairnet). */
  instrument?: string | undefined;
  /** Also draw the typology's factor map (an extra MCA; only when the responses were read, up to 30,000). */
  factorMap?: boolean;
  /** Where to count: default SQL on PostgreSQL, in memory on SQLite (see {@link evaluateStoreResults}). */
  counts?: 'memory' | 'sql';
  /** Up to this many respondents the typology runs on rows (default 30,000), beyond on answer patterns. */
  exactRows?: number;
}

/**
 * The typology's factor map: respondents (or, above 30,000 or when counted by SQL, the distinct
 * answer patterns) coloured by profile, with the active categories. From the rows when they were
 * read, else from the answer patterns grouped by the database (one GROUP BY).
 */
async function factorMap(
  store: Store,
  parsed: ParsedPlan,
  codebook: Codebook,
  dataset: Dataset | null,
): Promise<string | undefined> {
  const spec = parsed.plan.typology;
  if (!spec) return undefined;
  let map: ReturnType<typeof typologyProfiles>['map'];
  if (dataset) {
    map = typologyProfiles(addDerivedVariables(dataset, parsed.plan.derived), spec).map;
  } else {
    const vocabulary = checkPlan(parsed, codebook);
    const counts = storeCountSource(
      store,
      parsed.plan.instrument,
      codebook,
      parsed.plan.derived,
      (v) => vocabulary.get(v)?.levels ?? [],
    );
    map = (await patternTypology(counts, spec)).typology.map;
  }
  return factorMapSvg(map.mca, map.groups, 560);
}

/**
 * Evaluates the analysis plan (the Cairnet plan by default) on the completed responses of an
 * open store: the same steps as `cairnet analyze` (src/cli/commands/analyze.ts), on a store the
 * caller keeps open (the server's). An empty store is `CAIRNET_DATASET_EMPTY`.
 *
 * On PostgreSQL the counting is done by the database (`counts: 'sql'`, the same results as in
 * memory): the responses stay on the server however many there are. SQLite runs inside the
 * application's process, where reading the plan's columns once costs less than scanning the
 * stored JSON again for every count, so they are read (`'memory'`), unless `counts` says.
 */
export async function evaluateStoreResults(
  store: Store,
  options: StoreResultsOptions = {},
): Promise<PublishedResults> {
  const { parsed } = await surveyPlan(store.db, options);
  const counts = options.counts ?? (store.adapter.name === 'postgres' ? 'sql' : 'memory');
  const { results, codebook, dataset } = await evaluateStorePlan(store, parsed, {
    counts,
    distinctNames: distinctAssociationCount,
    ...(options.exactRows !== undefined ? { exactRows: options.exactRows } : {}),
  });
  const source = await surveySource(store.db, parsed.plan.instrument);
  let map: string | undefined;
  if (options.factorMap) {
    try {
      map = await factorMap(store, parsed, codebook, dataset);
    } catch {
      map = undefined; // the typology itself is reported pending by evaluatePlan
    }
  }
  return {
    results,
    plan: parsed.plan,
    codebook,
    ...(map ? { factorMap: map } : {}),
    computedAt: new Date(),
    source,
    texts: readSurveyTexts(source),
  };
}

/** {@link evaluateStoreResults} on a store opened from a `--db` value, closed afterwards. */
export async function resultsFromDb(
  db: string | undefined,
  options: StoreResultsOptions = {},
): Promise<PublishedResults> {
  const store: Store = await openStore({ db });
  try {
    return await evaluateStoreResults(store, options);
  } finally {
    await store.close();
  }
}
