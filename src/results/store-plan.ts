import type { Kysely } from 'kysely';
import { conditionVariables } from '../dataset/condition.js';
import type { Dataset } from '../dataset/dataset.js';
import { cairnetError, isCairnetError } from '../errors.js';
import { deriveCodebook } from '../instrument/derive-codebook.js';
import { loadCairnetInstrument } from '../instrument/load-instrument.js';
import type { Codebook, InstrumentJson } from '../instrument/types.js';
import { checkPlan } from '../plan/check-plan.js';
import {
  countableIndicator,
  type EvaluationContext,
  evaluateIndicator,
  indicatorVariables,
} from '../plan/evaluate-indicator.js';
import {
  chartsOf,
  evaluatePlan,
  type PlanResults,
  planVariables,
  preparePlanDataset,
} from '../plan/evaluate-plan.js';
import type { IndicatorResult } from '../plan/indicator-result.js';
import type { ParsedPlan } from '../plan/parse-plan.js';
import { scaleLevelsOf } from '../plan/scale-levels.js';
import { EXACT_ROWS, type TypologySummary, typologyProfiles } from '../plan/typology-profiles.js';
import { type Margins, rakeVariables } from '../plan/weighting.js';
import { countSynthetic } from '../store/answer-counts.js';
import type { Store } from '../store/open-store.js';
import { currentInstrument } from '../store/repositories/instruments.js';
import { populationMargins } from '../store/repositories/population-margins.js';
import { countResponses } from '../store/repositories/responses.js';
import type { CairnetDatabase } from '../store/schema.js';
import { type PatternVariable, type StoreCountSource, storeCountSource } from './store-count-source.js';
import { storeDataset } from './store-dataset.js';

/** A plan ready to evaluate on a store: its codebook and the dataset of the variables it uses. */
export interface StorePlan {
  codebook: Codebook;
  dataset: Dataset;
}

/** The instrument's codebook (the stored version, or the bundled Cairnet one), the plan checked against it. */
async function storeCodebook(db: Kysely<CairnetDatabase>, parsed: ParsedPlan): Promise<Codebook> {
  const instrumentName = parsed.plan.instrument;
  const stored = await currentInstrument(db, instrumentName);
  let codebook: Codebook;
  if (stored) codebook = deriveCodebook(stored.json as InstrumentJson);
  else if (instrumentName === 'cairnet') codebook = loadCairnetInstrument().codebook;
  else
    throw cairnetError(
      'CAIRNET_INSTRUMENT_NOT_FOUND',
      `The store has no instrument named "${instrumentName}"`,
    );
  checkPlan(parsed, codebook);
  return codebook;
}

async function countOrRefuse(db: Kysely<CairnetDatabase>, instrumentName: string): Promise<number> {
  const n = await countResponses(db, instrumentName);
  if (n === 0) {
    throw cairnetError(
      'CAIRNET_DATASET_EMPTY',
      `The store has no completed responses to "${instrumentName}" (to see its outputs before fieldwork: \`cairnet demo --from ${instrumentName}\`, then analyse ${instrumentName}-demo)`,
    );
  }
  return n;
}

/**
 * Prepares a parsed plan on a store's completed responses: the instrument's codebook (the stored
 * version, or the bundled Cairnet one), the plan checked against it before any response is read,
 * then the columns the plan uses. An empty store is `CAIRNET_DATASET_EMPTY`. Used by
 * `cairnet analyze` and by every output that publishes results.
 */
export async function prepareStorePlan(db: Kysely<CairnetDatabase>, parsed: ParsedPlan): Promise<StorePlan> {
  const codebook = await storeCodebook(db, parsed);
  await countOrRefuse(db, parsed.plan.instrument);
  const dataset = await storeDataset(db, parsed.plan.instrument, codebook, {
    variables: planVariables(parsed, codebook),
  });
  return { codebook, dataset };
}

export interface StoreEvaluationOptions {
  /**
   * 'memory' (default): the plan's variables are read into columns and counted in the
   * application. 'sql': counted by GROUP BY in the database; no response is read unless an
   * indicator needs rows (a mean, a weighted design) or the store holds at most `exactRows`
   * respondents and the plan has a typology (which then runs on the rows, as FactoMineR does).
   */
  counts?: 'memory' | 'sql';
  /** Number of distinct names among free-text mentions; without it, such indicators are pending. */
  distinctNames?: (mentions: string[]) => number;
  /** Up to this many respondents the typology runs on rows (default EXACT_ROWS), beyond on answer patterns. */
  exactRows?: number;
}

/** A plan evaluated on a store, and how. */
export interface StoreEvaluation {
  results: PlanResults;
  codebook: Codebook;
  /** The rows read into the application (memory mode, or what SQL could not do), else null. */
  dataset: Dataset | null;
  /**
   * 'memory': rows read and counted in the application; 'sql': every count a GROUP BY in the
   * database; 'sql+rows': counts in SQL, but rows read for what needs them (named in `readRows`).
   */
  mode: 'memory' | 'sql' | 'sql+rows';
  /** Why rows were read in SQL mode. */
  readRows?: string;
}

/** The persons invited by the strata a plan weighted `to: population` rakes on (else undefined). */
async function weightingPopulation(store: Store, parsed: ParsedPlan): Promise<Margins | undefined> {
  const w = parsed.plan.weighting;
  if (w?.to !== 'population') return undefined;
  const fields = rakeVariables(w).map((r) => r.stratum);
  return (await populationMargins(store, parsed.plan.instrument, fields)).byField;
}

/** The key of an answer pattern; values outside a variable's levels count as missing, as in a dataset. */
function patternKey(values: readonly (string | null)[]): string {
  return values.map((v) => (v === null ? '\u0001' : v)).join('\u0000');
}

/**
 * The typology on the answer patterns grouped by SQL (the active variables and those the
 * profiles' markers read), each weighted by its number of respondents.
 */
export async function patternTypology(
  counts: StoreCountSource,
  spec: NonNullable<ParsedPlan['plan']['typology']>,
  exactRows = EXACT_ROWS,
): Promise<{ grouped: Dataset; typology: ReturnType<typeof typologyProfiles> }> {
  const markerVariables = Object.values(spec.profiles).flatMap((p) =>
    p.markers.flatMap((m) => conditionVariables(m)),
  );
  const g = await counts.grouped([...new Set([...spec.active, ...markerVariables])]);
  return {
    grouped: g.dataset,
    typology: typologyProfiles(g.dataset, spec, { frequencies: g.frequencies, exactRows }),
  };
}

/**
 * The plan's typology computed from the store: on the rows (at most `exactRows` respondents;
 * FactoMineR's MCA + HCPC), else on the answer patterns grouped by SQL, weighted by their
 * counts. Either way a profile is a function of the answers to the active variables (identical
 * answers sit on one point of the MCA and fall in one cluster), which is what lets every later
 * count by profile be a GROUP BY on those answers.
 */
async function storeTypology(
  store: Store,
  parsed: ParsedPlan,
  codebook: Codebook,
  counts: StoreCountSource,
  n: number,
  exactRows: number,
): Promise<{
  levelOf: (keys: readonly (string | null)[]) => number;
  summary: TypologySummary;
  rows: Dataset | null;
}> {
  const spec = parsed.plan.typology!;
  let dataset: Dataset;
  let column: { codes: Int16Array; levels: readonly string[] };
  let summary: TypologySummary;
  let rows: Dataset | null = null;
  if (n <= exactRows) {
    rows = await storeDataset(store.db, parsed.plan.instrument, codebook, {
      variables: planVariables(parsed, codebook),
    });
    const prepared = preparePlanDataset(parsed, codebook, rows, { exactRows });
    const pending = prepared.pending.get(spec.name);
    if (pending !== undefined || !prepared.typology)
      throw cairnetError(
        'CAIRNET_TYPOLOGY_INVALID',
        pending?.replace(/^pending typology: /, '') ?? 'the typology was not computed',
      );
    const col = prepared.dataset.columns.get(spec.name);
    if (col?.kind !== 'categorical') throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `No profile column`);
    dataset = prepared.dataset;
    column = col;
    summary = prepared.typology;
  } else {
    const { grouped: g, typology: t } = await patternTypology(counts, spec, exactRows);
    dataset = g;
    column = t.column;
    summary = t.summary;
  }
  const active = spec.active.map((v) => {
    const col = dataset.columns.get(v);
    if (col?.kind !== 'categorical')
      throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `No categorical variable "${v}"`);
    return col;
  });
  const profileOf = new Map<string, number>();
  for (let i = 0; i < dataset.n; i++) {
    const key = patternKey(active.map((c) => (c.codes[i]! < 0 ? null : c.levels[c.codes[i]!]!)));
    const seen = profileOf.get(key);
    if (seen !== undefined && seen !== column.codes[i]) {
      throw cairnetError(
        'CAIRNET_TYPOLOGY_INVALID',
        'two respondents with the same answers fell in different profiles; the profiles cannot be counted in SQL',
      );
    }
    profileOf.set(key, column.codes[i]!);
  }
  const levelOf = (keys: readonly (string | null)[]) =>
    profileOf.get(patternKey(keys.map((k, j) => (k !== null && active[j]!.levels.includes(k) ? k : null)))) ??
    -1;
  return { levelOf, summary, rows };
}

/**
 * Evaluates a plan on a store's completed responses, counting in the application (default) or
 * in the database (`counts: 'sql'`, DESIGN.md principle 7): proportions, crosstabs and their
 * tests from GROUP BY counts, the typology from the answer patterns grouped by SQL, and the
 * names of a text list as their distinct texts, so that a million responses never leave the
 * database. An empty store is `CAIRNET_DATASET_EMPTY`.
 *
 * @example
 * const { results, mode } = await evaluateStorePlan(store, readPlanFile(), { counts: 'sql', distinctNames });
 */
export async function evaluateStorePlan(
  store: Store,
  parsed: ParsedPlan,
  options: StoreEvaluationOptions = {},
): Promise<StoreEvaluation> {
  const { plan } = parsed;
  const exactRows = options.exactRows ?? EXACT_ROWS;
  const population = await weightingPopulation(store, parsed);
  const common = {
    ...(options.distinctNames ? { distinctNames: options.distinctNames } : {}),
    ...(population ? { population } : {}),
    exactRows,
  };
  if (options.counts !== 'sql') {
    const { codebook, dataset } = await prepareStorePlan(store.db, parsed);
    const results = await evaluatePlan(parsed, codebook, dataset, common);
    return { results, codebook, dataset, mode: 'memory' };
  }
  const codebook = await storeCodebook(store.db, parsed);
  const vocabulary = checkPlan(parsed, codebook);
  const levels = (v: string) => vocabulary.get(v)?.levels ?? [];
  const n = await countOrRefuse(store.db, plan.instrument);
  const textLists = new Set(codebook.variables.filter((v) => v.type === 'text_list').map((v) => v.name));
  const counts = storeCountSource(store, plan.instrument, codebook, plan.derived, levels);
  // (counts: only to say what SQL reaches; the evaluation below has its own, batched, source)
  // a count SQL cannot make (a variable it cannot read: a number, a yes/no question) needs rows
  const reachable = (v: string) => counts.covers(v) || v === plan.typology?.name;
  const needRows = plan.indicators.filter((ind) =>
    'distinctNames' in ind.estimate
      ? !textLists.has(ind.estimate.distinctNames) ||
        !(ind.among ? conditionVariables(ind.among) : []).every(reachable)
      : !countableIndicator(ind) || !indicatorVariables(ind).every(reachable),
  );
  // a plan weighted to the population estimates every indicator on the weighted rows
  if (needRows.length > 0 || plan.weighting) {
    const dataset = (await prepareStorePlan(store.db, parsed)).dataset;
    const results = await evaluatePlan(parsed, codebook, dataset, { ...common, counts });
    return {
      results,
      codebook,
      dataset,
      mode: 'sql+rows',
      readRows: plan.weighting
        ? 'the plan is weighted: its indicators are estimated on the weighted rows'
        : `indicators ${needRows.map((i) => i.id).join(', ')} need the responses as rows`,
    };
  }
  // The typology, the counts of every indicator and the counts by profile are asked for at once:
  // on PostgreSQL one scan of the responses groups the answer patterns and makes every count.
  const spec = plan.typology;
  type TypologyOutcome =
    | ({ ok: true } & Awaited<ReturnType<typeof storeTypology>>)
    | { ok: false; reason: string };
  let settle: (t: TypologyOutcome) => void = () => undefined;
  const settled = new Promise<TypologyOutcome>((resolve) => {
    settle = resolve;
  });
  const patterns: PatternVariable[] = spec
    ? [
        {
          name: spec.name,
          levels: Object.keys(spec.profiles),
          from: spec.active,
          levelOf: settled.then((t) => {
            if (!t.ok) throw cairnetError('CAIRNET_TYPOLOGY_INVALID', t.reason);
            return t.levelOf;
          }),
        },
      ]
    : [];
  // a failed typology rejects the counts by profile; the indicators reading it are then pending
  patterns[0]?.levelOf.catch(() => undefined);
  // one source for the typology's patterns and the indicators' counts: asked in the same turn,
  // they share one scan
  const source = storeCountSource(store, plan.instrument, codebook, plan.derived, levels, patterns);
  const typology: Promise<TypologyOutcome> | null = spec
    ? storeTypology(store, parsed, codebook, source, n, exactRows).then(
        (t) => ({ ok: true as const, ...t }),
        (e: unknown) => {
          if (!isCairnetError(e)) throw e;
          return { ok: false as const, reason: `pending typology: ${e.message}` };
        },
      )
    : null;
  typology?.then(settle, (e: unknown) => settle({ ok: false, reason: String(e) }));
  const ctx: EvaluationContext = {
    counts: source,
    dataset: null,
    levels,
    minCell: plan.disclosure.minCell,
    fragileBase: plan.disclosure.fragileBase,
    confidence: plan.confidence,
    synthetic: false,
    pending: new Map(),
    scaleLevels: scaleLevelsOf(codebook, plan, vocabulary),
    textList: (variable, among) => source.textList(variable, among),
    ...(options.distinctNames ? { distinctNames: options.distinctNames } : {}),
  };
  const readsProfile = (ind: (typeof plan.indicators)[number]) =>
    spec !== undefined && indicatorVariables(ind).includes(spec.name);
  const [synthetic, evaluated] = await Promise.all([
    countSynthetic(store, plan.instrument).then((k) => k > 0),
    Promise.all(
      plan.indicators.map(async (ind) => {
        try {
          return await evaluateIndicator(ind, ctx);
        } catch (e) {
          const done = readsProfile(ind) && typology ? await typology : null;
          if (!done || done.ok) throw e;
          return evaluateIndicator(ind, { ...ctx, pending: new Map([[spec!.name, done.reason]]) });
        }
      }),
    ),
  ]);
  const indicators: IndicatorResult[] = evaluated.map((r) => ({ ...r, synthetic }));
  const outcome = typology ? await typology : null;
  const summary = outcome?.ok ? outcome.summary : undefined;
  const rows = outcome?.ok ? outcome.rows : null;
  return {
    results: {
      instrument: plan.instrument,
      n,
      synthetic,
      indicators,
      ...(summary ? { typology: summary } : {}),
      ...chartsOf(plan, codebook, levels),
    },
    codebook,
    dataset: rows,
    mode: rows ? 'sql+rows' : 'sql',
    ...(rows ? { readRows: `the typology runs on the rows up to ${exactRows} respondents` } : {}),
  };
}
