import { type Condition, conditionVariables } from '../dataset/condition.js';
import type { CategoricalColumn, Dataset } from '../dataset/dataset.js';
import type { DerivedVariable } from '../dataset/derived-variable.js';
import { cairnetError } from '../errors.js';
import type { Codebook } from '../instrument/types.js';
import {
  type CountRequest,
  type CountTable,
  type CoveringCountSource,
  datasetCountSource,
} from '../plan/count-source.js';
import {
  type AnswerCount,
  type AnswerPredicate,
  type AnswerValue,
  type CountQuery,
  countAnswersMany,
  listedTexts,
  respondentsWithTexts,
  type TextList,
} from '../store/answer-counts.js';
import type { Store } from '../store/open-store.js';

export type { CoveringCountSource };

/** A count source over a store, which can also read a text list's distinct texts in SQL. */
export interface StoreCountSource extends CoveringCountSource {
  /** The distinct trimmed texts of a text list among the respondents satisfying `among`, and how many wrote one. */
  textList(variable: string, among: Condition | null): Promise<{ texts: string[]; n: number }>;
  /**
   * The respondents grouped in SQL by their values of `variables` (codebook or derived): one row
   * per combination, its categorical columns, and how many respondents each row stands for.
   */
  grouped(variables: readonly string[]): Promise<{ dataset: Dataset; frequencies: number[] }>;
}

/**
 * A variable computed in the application from the answers to others (a typology's profile, a
 * function of the respondent's answer pattern): requests that use it are counted by grouping in
 * SQL on those answers too, then mapping each group to its level.
 */
export interface PatternVariable {
  name: string;
  levels: readonly string[];
  /** The variables whose answers decide the level. */
  from: readonly string[];
  /**
   * The level index for a group's answers to `from` (in order), or -1 for missing; a promise, so
   * that counts by this variable can be asked for while it is being computed (a typology whose
   * answer patterns are grouped in the same scan).
   */
  levelOf: Promise<(keys: readonly (string | null)[]) => number>;
}

/** A categorical column of a grouped dataset from its SQL keys. */
function keyColumn(name: string, levels: readonly string[], keys: (string | null)[]): CategoricalColumn {
  const index = new Map(levels.map((l, k) => [l, k]));
  return {
    kind: 'categorical',
    name,
    label: { fr: name, en: name },
    levels,
    levelLabels: levels.map((l) => ({ fr: l, en: l })),
    ordered: false,
    codes: Int16Array.from(keys, (key) => (key === null ? -1 : (index.get(key) ?? -1))),
  };
}

/**
 * Counts with SQL GROUP BY over the stored answers (SQLite json_extract, PostgreSQL jsonb), for
 * the codebook's single-choice, Likert and checkbox-choice variables and the plan's derived
 * variables built on them. A typology's profiles or free texts are not reachable in SQL.
 *
 * @example
 * const counts = storeCountSource(store, 'cairnet', codebook, plan.derived, levels);
 * await evaluatePlan(parsed, codebook, dataset, { counts });
 */
export function storeCountSource(
  store: Store,
  instrumentName: string,
  codebook: Codebook,
  derived: readonly DerivedVariable[],
  levels: (variable: string) => string[],
  patterns: readonly PatternVariable[] = [],
): StoreCountSource {
  const values = new Map<string, AnswerValue>();
  for (const v of codebook.variables) {
    // A matrixdropdown cell or a rank is read from the rows, not counted in SQL.
    if (v.path !== undefined || v.rankOf !== undefined) continue;
    if (v.type === 'boolean' && v.choice !== undefined)
      values.set(v.name, { choiceOf: v.question, choice: v.choice });
    else if (v.type === 'single' || v.type === 'ordinal' || v.type === 'matrix_row') {
      values.set(v.name, v.row === undefined ? { answer: v.question } : { answer: v.question, row: v.row });
    }
  }
  const answerValue = (name: string): AnswerValue => {
    const v = values.get(name);
    if (!v) throw cairnetError('CAIRNET_STATS_INVALID', `"${name}" cannot be counted in SQL`);
    return v;
  };
  const predicate = (c: Condition): AnswerPredicate => {
    if ('var' in c) return { in: answerValue(c.var), values: c.in.map(String) };
    if ('flag' in c) return { in: answerValue(c.flag), values: ['1'] };
    if ('answered' in c) return { answered: answerValue(c.answered) };
    if ('missing' in c) return { not: { answered: answerValue(c.missing) } };
    if ('all' in c) return { and: c.all.map(predicate) };
    if ('any' in c) return { or: c.any.map(predicate) };
    return { not: predicate(c.not) };
  };
  for (const d of derived) {
    try {
      if ('when' in d)
        values.set(d.name, { cases: [{ when: predicate(d.when), yields: '1' }], otherwise: '0' });
      else {
        const source = answerValue(d.recode);
        values.set(d.name, {
          cases: Object.entries(d.map).map(([to, from]) => ({
            when: { in: source, values: from.map(String) },
            yields: to,
          })),
          otherwise: null,
        });
      }
    } catch {
      // a derived variable built on something SQL cannot reach is not countable either
    }
  }
  const patternVariables = new Map(patterns.map((p) => [p.name, p]));
  // Counts asked for in the same turn of the event loop go to the database together (one scan
  // on PostgreSQL): evaluating indicators concurrently costs a few scans, not one per count.
  let queue: { query: CountQuery; resolve: (r: AnswerCount[]) => void; reject: (e: unknown) => void }[] = [];
  const flush = async () => {
    const batch = queue;
    queue = [];
    try {
      const results = await countAnswersMany(
        store,
        instrumentName,
        batch.map((b) => b.query),
      );
      batch.forEach((b, i) => {
        b.resolve(results[i]!);
      });
    } catch (e) {
      for (const b of batch) b.reject(e);
    }
  };
  const countAnswers = (_store: Store, _instrument: string, query: CountQuery) =>
    new Promise<AnswerCount[]>((resolve, reject) => {
      queue.push({ query, resolve, reject });
      if (queue.length === 1) setImmediate(() => void flush());
    });
  /**
   * A request using pattern variables: grouped in SQL by every other variable it reads and by
   * the answers the pattern variables are computed from, then counted over those groups.
   */
  const grouped = async (
    variables: readonly string[],
    extra: readonly string[] = [],
  ): Promise<{ dataset: Dataset; frequencies: number[]; keys: (string | null)[][] }> => {
    const rows = await countAnswers(store, instrumentName, {
      where: { always: true },
      groupBy: [...variables, ...extra].map(answerValue),
    });
    const columns = new Map<string, CategoricalColumn>();
    variables.forEach((v, j) => {
      columns.set(
        v,
        keyColumn(
          v,
          levels(v),
          rows.map((r) => r.keys[j]!),
        ),
      );
    });
    const dataset: Dataset = {
      n: rows.length,
      columns,
      synthetic: new Uint8Array(rows.length),
      unknownValues: new Map(),
    };
    return { dataset, frequencies: rows.map((r) => r.n), keys: rows.map((r) => r.keys) };
  };
  /**
   * A request using pattern variables: grouped in SQL by every other variable it reads and by
   * the answers the pattern variables are computed from, then counted over those groups.
   */
  const countByPatterns = async (request: CountRequest, used: string[]): Promise<CountTable> => {
    const plain = [...new Set(used.filter((v) => !patternVariables.has(v)))];
    const computed = [...new Set(used.filter((v) => patternVariables.has(v)))].map(
      (v) => patternVariables.get(v)!,
    );
    const sources = [...new Set(computed.flatMap((p) => p.from))];
    const [g, levelOf] = await Promise.all([
      grouped(plain, sources),
      Promise.all(computed.map((p) => p.levelOf)),
    ]);
    const columns = new Map(g.dataset.columns);
    for (const [c, p] of computed.entries()) {
      const at = p.from.map((v) => plain.length + sources.indexOf(v));
      const codes = Int16Array.from(g.keys, (keys) => levelOf[c]!(at.map((k) => keys[k]!)));
      columns.set(p.name, { ...keyColumn(p.name, p.levels, []), codes });
    }
    return datasetCountSource({ ...g.dataset, columns }, g.frequencies).count(request);
  };
  const lists = new Map<string, TextList>();
  for (const v of codebook.variables) {
    if (v.type !== 'text_list') continue;
    // as the dataset builder reads it: the entry's answer to the panel's question (or, for a codebook
    // that does not name it, the entry's first answer)
    const item = v.item ?? (v.name === v.question ? undefined : v.name.slice(v.question.length + 1));
    lists.set(v.name, item === undefined ? { question: v.question } : { question: v.question, item });
  }
  const source: StoreCountSource = {
    async grouped(variables) {
      const { dataset, frequencies } = await grouped(variables);
      return { dataset, frequencies };
    },
    async textList(variable, among) {
      const list = lists.get(variable);
      if (!list)
        throw cairnetError('CAIRNET_STATS_INVALID', `"${variable}" is not a list of texts SQL can read`);
      if (among) for (const v of conditionVariables(among)) answerValue(v);
      const where = among ? predicate(among) : ({ always: true } as const);
      const raw = await listedTexts(store, instrumentName, where, list);
      const blank = raw.filter((t) => t.trim() === '');
      const n = await respondentsWithTexts(store, instrumentName, where, list, blank);
      const texts = [...new Set(raw.map((t) => t.trim()).filter((t) => t !== ''))];
      return { texts, n };
    },
    covers: (variable) => values.has(variable) || patternVariables.has(variable),
    async count(request: CountRequest): Promise<CountTable> {
      const used = [
        ...(request.among ? conditionVariables(request.among) : []),
        ...('condition' in request.outcome
          ? conditionVariables(request.outcome.condition)
          : [request.outcome.variable]),
        ...(request.by ? [request.by] : []),
      ];
      if (used.some((v) => patternVariables.has(v))) return countByPatterns(request, used);
      for (const v of used) answerValue(v);
      const outcomes = 'condition' in request.outcome ? ['0', '1'] : levels(request.outcome.variable);
      const outcome: AnswerValue =
        'condition' in request.outcome
          ? { cases: [{ when: predicate(request.outcome.condition), yields: '1' }], otherwise: '0' }
          : answerValue(request.outcome.variable);
      const groups = request.by ? levels(request.by) : ['*'];
      const rows = await countAnswers(store, instrumentName, {
        where: request.among ? predicate(request.among) : { always: true },
        groupBy: request.by ? [answerValue(request.by), outcome] : [outcome],
      });
      const counts = groups.map(() => new Array<number>(outcomes.length).fill(0));
      for (const row of rows) {
        const g = request.by ? groups.indexOf(row.keys[0] ?? '') : 0;
        const o = outcomes.indexOf(row.keys[request.by ? 1 : 0] ?? '');
        if (g >= 0 && o >= 0) counts[g]![o]! += row.n;
      }
      return { groups, outcomes, counts };
    },
  };
  return source;
}
