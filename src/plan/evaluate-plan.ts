import { conditionVariables } from '../dataset/condition.js';
import { type Dataset, hasSynthetic } from '../dataset/dataset.js';
import { addDerivedVariables, withColumn } from '../dataset/derived-variable.js';
import { cairnetError, isCairnetError } from '../errors.js';
import type { Codebook } from '../instrument/types.js';
import { checkPlan, type VariableShape } from './check-plan.js';
import { type CountSource, type CoveringCountSource, datasetCountSource } from './count-source.js';
import { type EvaluationContext, evaluateIndicator } from './evaluate-indicator.js';
import type { IndicatorResult } from './indicator-result.js';
import { type OrderedChart, orderedCharts } from './ordered-charts.js';
import type { ParsedPlan } from './parse-plan.js';
import { scaleLevelsOf } from './scale-levels.js';
import { type TypologySummary, typologyProfiles } from './typology-profiles.js';
import {
  type Margins,
  planMargins,
  rakeVariables,
  responseRates,
  type WeightingSummary,
  weightDataset,
} from './weighting.js';

/** A plan's results: what `cairnet analyze --json` prints. */
export interface PlanResults {
  instrument: string;
  /** Responses the plan was evaluated on. */
  n: number;
  synthetic: boolean;
  indicators: IndicatorResult[];
  typology?: TypologySummary;
  /** Indicators the outputs draw together as one ordered chart (absent in results made before them). */
  charts?: OrderedChart[];
  /** When the responses were completed (first and last, ISO), when read from a store. */
  fieldwork?: { from: string; to: string };
  /** How the respondents were weighted to the population (the plan's `weighting`). */
  weighting?: WeightingSummary;
}

export interface EvaluatePlanOptions {
  /** Counts from elsewhere (a SQL GROUP BY over the store); default: counted from the dataset. */
  counts?: CountSource;
  /** Number of distinct names among free-text mentions; without it, such indicators are pending. */
  distinctNames?: (mentions: string[]) => number;
  /** Up to this many respondents the typology runs on rows (default EXACT_ROWS), beyond on answer patterns. */
  exactRows?: number;
  /**
   * The persons invited by stratum field and value (a store's campaign), for a plan weighted
   * `to: population`; they also give the response rates by stratum.
   */
  population?: Margins;
}

/**
 * Requests go to the given source when it reaches all their variables (a SQL source cannot reach
 * a typology's profiles), to the dataset otherwise.
 */
function routedCounts(given: CountSource | undefined, local: CountSource): CountSource {
  if (!given) return local;
  const covers = (given as Partial<CoveringCountSource>).covers;
  if (!covers) return given;
  return {
    count(request) {
      const used = [
        ...(request.among ? conditionVariables(request.among) : []),
        ...('condition' in request.outcome
          ? conditionVariables(request.outcome.condition)
          : [request.outcome.variable]),
        ...(request.by ? [request.by] : []),
      ];
      return used.every((v) => covers(v)) ? given.count(request) : local.count(request);
    },
  };
}

/** The codebook variables a plan reads, so that only they are built from the responses. */
export function planVariables(parsed: ParsedPlan, codebook: Codebook): string[] {
  const known = new Set(codebook.variables.filter((v) => v.type !== 'multiple').map((v) => v.name));
  const found = new Set<string>();
  const walk = (x: unknown): void => {
    if (typeof x === 'string') {
      if (known.has(x)) found.add(x);
    } else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk({
    ...parsed.plan,
    indicators: parsed.plan.indicators.map(({ label: _l, published: _p, ...rest }) => rest),
  });
  return [...found];
}

/**
 * Evaluates a plan on a dataset built from the instrument's responses: checks it against the
 * codebook, adds its derived variables and typology, then evaluates every indicator.
 *
 * @example
 * const results = await evaluatePlan(readPlanFile(), codebook, dataset);
 */
/** A dataset with the plan's derived variables and typology added, ready for its indicators. */
export interface PreparedDataset {
  dataset: Dataset;
  vocabulary: Map<string, VariableShape>;
  /** Variables that could not be computed, with why (the typology, when it fails). */
  pending: Map<string, string>;
  typology?: TypologySummary;
}

/**
 * Checks a plan against the codebook and adds its derived variables and typology to a dataset.
 * An empty dataset is `CAIRNET_DATASET_EMPTY`.
 */
export function preparePlanDataset(
  parsed: ParsedPlan,
  codebook: Codebook,
  source: Dataset,
  options: { exactRows?: number } = {},
): PreparedDataset {
  const vocabulary = checkPlan(parsed, codebook);
  const { plan } = parsed;
  if (source.n === 0) {
    throw cairnetError(
      'CAIRNET_DATASET_EMPTY',
      `There are no completed responses of "${plan.instrument}" to analyse`,
    );
  }
  let dataset = addDerivedVariables(source, plan.derived);
  const pending = new Map<string, string>();
  let typology: TypologySummary | undefined;
  if (plan.typology) {
    try {
      const t = typologyProfiles(
        dataset,
        plan.typology,
        options.exactRows !== undefined ? { exactRows: options.exactRows } : {},
      );
      dataset = withColumn(dataset, t.column);
      typology = t.summary;
    } catch (e) {
      if (!isCairnetError(e)) throw e;
      pending.set(plan.typology.name, `pending typology: ${e.message}`);
    }
  }
  return { dataset, vocabulary, pending, ...(typology ? { typology } : {}) };
}

/**
 * Evaluates a plan on a dataset built from the instrument's responses: checks it against the
 * codebook, adds its derived variables and typology, then evaluates every indicator.
 *
 * @example
 * const results = await evaluatePlan(readPlanFile(), codebook, dataset);
 */
export async function evaluatePlan(
  parsed: ParsedPlan,
  codebook: Codebook,
  source: Dataset,
  options: EvaluatePlanOptions = {},
): Promise<PlanResults> {
  const { plan } = parsed;
  const { dataset, vocabulary, pending, typology } = preparePlanDataset(
    parsed,
    codebook,
    source,
    options.exactRows !== undefined ? { exactRows: options.exactRows } : {},
  );
  const weighted = plan.weighting ? weightPlan(parsed, dataset, options.population) : undefined;
  const ctx: EvaluationContext = {
    ...(weighted ? { design: weighted.design } : {}),
    counts: routedCounts(options.counts, datasetCountSource(dataset)),
    dataset,
    levels: (v) => vocabulary.get(v)?.levels ?? [],
    minCell: plan.disclosure.minCell,
    fragileBase: plan.disclosure.fragileBase,
    confidence: plan.confidence,
    synthetic: hasSynthetic(source),
    pending,
    scaleLevels: scaleLevelsOf(codebook, plan, vocabulary),
    ...(options.distinctNames ? { distinctNames: options.distinctNames } : {}),
  };
  const indicators: IndicatorResult[] = [];
  for (const ind of plan.indicators) indicators.push(await evaluateIndicator(ind, ctx));
  return {
    instrument: plan.instrument,
    n: source.n,
    synthetic: ctx.synthetic,
    indicators,
    ...(typology ? { typology } : {}),
    ...(weighted ? { weighting: weighted.summary } : {}),
    ...chartsOf(plan, codebook, ctx.levels),
  };
}

/** The plan's weighting on the prepared dataset: the weighted design and its summary. */
function weightPlan(parsed: ParsedPlan, dataset: Dataset, population: Margins | undefined) {
  const w = parsed.plan.weighting!;
  const variables = rakeVariables(w);
  const { margins, source } = planMargins(w, parsed.source, population);
  const { design, summary } = weightDataset(dataset, variables, margins, source);
  if (source.kind === 'population')
    summary.responseRates = responseRates(dataset, variables, margins, parsed.plan.disclosure.minCell);
  return { design, summary };
}

/** The plan's ordered charts, as a property of its results (none: no property). */
export function chartsOf(
  plan: ParsedPlan['plan'],
  codebook: Codebook,
  levels: (variable: string) => string[],
): { charts?: OrderedChart[] } {
  const charts = orderedCharts(plan, codebook, levels);
  return charts.length > 0 ? { charts } : {};
}
