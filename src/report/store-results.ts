import { distinctAssociationCount } from '../dataset/association-names.js';
import type { Dataset } from '../dataset/dataset.js';
import { cairnetError } from '../errors.js';
import type { Codebook } from '../instrument/types.js';
import { type PlanResults, preparePlanDataset } from '../plan/evaluate-plan.js';
import { type ParsedPlan, readPlanFile } from '../plan/parse-plan.js';
import type { Plan } from '../plan/plan-schema.js';
import { evaluateStorePlan } from '../plan/store-plan.js';
import { buildTypology } from '../stats/clustering/typology.js';
import { factorMapSvg } from '../stats/mca/factor-map-svg.js';
import type { Store } from '../store/open-store.js';
import { openStore } from '../store/open-store.js';

/** Everything an output renders: the plan's results, the plan itself and the codebook. */
export interface PublishedResults {
  results: PlanResults;
  plan: Plan;
  codebook: Codebook;
  /** The typology's factor map (SVG), when asked for and computable. */
  factorMap?: string;
  /** When these results were computed. */
  computedAt: Date;
}

export interface StoreResultsOptions {
  /** A plan file other than the Cairnet plan. */
  plan?: string | undefined;
  /** Also draw the typology's factor map (an extra MCA; only when the responses were read, up to 30,000). */
  factorMap?: boolean;
  /** Where to count: default SQL on PostgreSQL, in memory on SQLite (see {@link evaluateStoreResults}). */
  counts?: 'memory' | 'sql';
}

/** The dataset above which the factor map is not drawn (it plots respondents). */
const FACTOR_MAP_MAX_ROWS = 30_000;

function factorMap(parsed: ParsedPlan, codebook: Codebook, dataset: Dataset): string | undefined {
  const spec = parsed.plan.typology;
  if (!spec || dataset.n > FACTOR_MAP_MAX_ROWS) return undefined;
  const prepared = preparePlanDataset(parsed, codebook, dataset);
  const profile = prepared.dataset.columns.get(spec.name);
  if (profile?.kind !== 'categorical') return undefined;
  const columns = spec.active.map((name) => {
    const col = prepared.dataset.columns.get(name);
    if (col?.kind !== 'categorical') throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `No variable "${name}"`);
    return { name, values: Array.from(col.codes, (k) => (k < 0 ? null : col.levels[k]!)) };
  });
  const t = buildTypology({ active: columns, clusters: spec.clusters, dimensions: spec.dimensions });
  return factorMapSvg(
    t.mca,
    Int32Array.from(profile.codes, (k) => k + 1),
    560,
  );
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
  const parsed = readPlanFile(options.plan);
  const counts = options.counts ?? (store.adapter.name === 'postgres' ? 'sql' : 'memory');
  const { results, codebook, dataset } = await evaluateStorePlan(store, parsed, {
    counts,
    distinctNames: distinctAssociationCount,
  });
  let map: string | undefined;
  if (options.factorMap && dataset) {
    try {
      map = factorMap(parsed, codebook, dataset);
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
