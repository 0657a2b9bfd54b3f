import type { Dataset } from '../dataset/dataset.js';
import { addDerivedVariables } from '../dataset/derived-variable.js';
import type { Codebook } from '../instrument/types.js';
import { checkPlan } from '../plan/check-plan.js';
import type { ParsedPlan } from '../plan/parse-plan.js';
import { typologyProfiles } from '../plan/typology-profiles.js';
import type { Store } from '../store/open-store.js';
import { distinctNamesOf, reconciliationCacheFor } from '../store/repositories/associations.js';
import { fieldworkPeriod } from '../store/repositories/responses.js';
import { type FactorMapData, factorMapData } from './factor-map-data.js';
import type { PublishedResults } from './snapshot.js';
import { storeCountSource } from './store-count-source.js';
import { evaluateStorePlan, patternTypology } from './store-plan.js';

export type { PublishedResults };

import { surveyTitle } from '../instrument/survey-source.js';
import { readSurveyTexts, withSurveyTitle } from '../instrument/survey-texts.js';
import { surveyPlan, surveySource } from './survey-plan.js';

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
): Promise<FactorMapData | undefined> {
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
  return factorMapData(map.mca, map.groups);
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
  return (await evaluateParsedPlan(store, parsed, options)).published;
}

/** {@link evaluateStoreResults} on a plan already parsed, saying where the counting was done. */
export async function evaluateParsedPlan(
  store: Store,
  parsed: ParsedPlan,
  options: Omit<StoreResultsOptions, 'plan'> = {},
): Promise<{ published: PublishedResults; mode: 'memory' | 'sql' | 'sql+rows' }> {
  const counts = options.counts ?? (store.adapter.name === 'postgres' ? 'sql' : 'memory');
  const { results, codebook, dataset, mode } = await evaluateStorePlan(store, parsed, {
    counts,
    // F6 counted where the store's reconciliation (decisions replayed) puts each name
    distinctNames: distinctNamesOf(await reconciliationCacheFor(store.db).get()),
    ...(options.exactRows !== undefined ? { exactRows: options.exactRows } : {}),
  });
  const fieldwork = await fieldworkPeriod(store.db, parsed.plan.instrument);
  if (fieldwork) results.fieldwork = fieldwork;
  let map: FactorMapData | undefined;
  const source = await surveySource(store.db, parsed.plan.instrument);
  if (options.factorMap) {
    try {
      map = await factorMap(store, parsed, codebook, dataset);
    } catch {
      map = undefined; // the typology itself is reported pending by evaluatePlan
    }
  }
  return {
    published: {
      results,
      plan: parsed.plan,
      codebook,
      ...(map ? { factorMap: map } : {}),
      computedAt: new Date(),
      source,
      texts: withSurveyTitle(readSurveyTexts(source), await surveyTitle(store.db, parsed.plan.instrument)),
    },
    mode,
  };
}
