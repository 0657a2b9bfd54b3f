import type { Condition } from '../dataset/condition.js';
import type { DerivedVariable } from '../dataset/derived-variable.js';
import { cairnetError } from '../errors.js';
import type { Codebook } from '../instrument/types.js';
import { type AnswerPredicate, type AnswerValue, countAnswers } from '../store/answer-counts.js';
import type { Store } from '../store/open-store.js';
import type { CountRequest, CountSource, CountTable } from './count-source.js';

/** A count source that can say which variables it reaches. */
export interface CoveringCountSource extends CountSource {
  covers(variable: string): boolean;
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
): CoveringCountSource {
  const values = new Map<string, AnswerValue>();
  for (const v of codebook.variables) {
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
  const variablesOf = (c: Condition): string[] =>
    'var' in c
      ? [c.var]
      : 'flag' in c
        ? [c.flag]
        : 'answered' in c
          ? [c.answered]
          : 'missing' in c
            ? [c.missing]
            : 'not' in c
              ? variablesOf(c.not)
              : ('all' in c ? c.all : c.any).flatMap(variablesOf);
  const source: CoveringCountSource = {
    covers: (variable) => values.has(variable),
    async count(request: CountRequest): Promise<CountTable> {
      const used = [
        ...(request.among ? variablesOf(request.among) : []),
        ...('condition' in request.outcome
          ? variablesOf(request.outcome.condition)
          : [request.outcome.variable]),
        ...(request.by ? [request.by] : []),
      ];
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
