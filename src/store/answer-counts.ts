import { type RawBuilder, sql } from 'kysely';
import type { Store } from './open-store.js';

/**
 * A value read from a response's SurveyJS answers: an answer (or a matrix row of it), whether a
 * checkbox answer includes a choice ('1' / '0', null when unanswered), or a case over conditions.
 */
export type AnswerValue =
  | { answer: string; row?: string }
  | { choiceOf: string; choice: string }
  | { cases: { when: AnswerPredicate; yields: string }[]; otherwise: string | null };

/** A condition on a response's answers. */
export type AnswerPredicate =
  | { in: AnswerValue; values: readonly string[] }
  | { answered: AnswerValue }
  | { and: readonly AnswerPredicate[] }
  | { or: readonly AnswerPredicate[] }
  | { not: AnswerPredicate }
  | { always: true };

/** Respondents counted by the values of `groupBy` (null where a value is missing). */
export interface AnswerCount {
  keys: (string | null)[];
  n: number;
}

/** How each dialect reads JSON stored as text (the only dialect-specific part of counting). */
interface JsonSql {
  text(path: string[]): RawBuilder<unknown>;
  isArray(question: string): RawBuilder<unknown>;
  arrayHas(question: string, choice: string): RawBuilder<unknown>;
}

const JSON_SQL: Record<Store['adapter']['name'], JsonSql> = {
  sqlite: {
    text: (path) => sql`json_extract(data, ${`$.${path.map((p) => `"${p}"`).join('.')}`})`,
    isArray: (q) => sql`json_type(data, ${`$."${q}"`}) = 'array'`,
    arrayHas: (q, c) => sql`exists (select 1 from json_each(data, ${`$."${q}"`}) where value = ${c})`,
  },
  postgres: {
    text: (path) => sql`(data::jsonb #>> ${`{${path.map((p) => `"${p}"`).join(',')}}`})`,
    isArray: (q) => sql`jsonb_typeof(data::jsonb -> ${q}) = 'array'`,
    arrayHas: (q, c) => sql`(data::jsonb -> ${q}) @> ${JSON.stringify([c])}::jsonb`,
  },
};

function value(j: JsonSql, v: AnswerValue): RawBuilder<unknown> {
  if ('answer' in v) {
    const text = j.text(v.row === undefined ? [v.answer] : [v.answer, v.row]);
    return sql`nullif(cast(${text} as text), '')`;
  }
  if ('choiceOf' in v) {
    return sql`case when ${j.isArray(v.choiceOf)} then (case when ${j.arrayHas(v.choiceOf, v.choice)} then '1' else '0' end) end`;
  }
  const whens = v.cases.map((c) => sql`when ${predicate(j, c.when)} then ${c.yields}`);
  return sql`(case ${sql.join(whens, sql` `)} else ${v.otherwise} end)`;
}

function predicate(j: JsonSql, p: AnswerPredicate): RawBuilder<unknown> {
  if ('always' in p) return sql`1 = 1`;
  if ('in' in p) {
    if (p.values.length === 0) return sql`1 = 0`;
    return sql`coalesce(${value(j, p.in)} in (${sql.join(p.values.map((x) => sql`${x}`))}), false)`;
  }
  if ('answered' in p) return sql`(${value(j, p.answered)} is not null)`;
  if ('not' in p) return sql`not (${predicate(j, p.not)})`;
  const parts = ('and' in p ? p.and : p.or).map((q) => sql`(${predicate(j, q)})`);
  if (parts.length === 0) return 'and' in p ? sql`1 = 1` : sql`1 = 0`;
  return sql.join(parts, 'and' in p ? sql` and ` : sql` or `);
}

/**
 * Counts an instrument's completed responses with a SQL GROUP BY over their answers, on either
 * dialect, so that proportions and crosstabs need no response to leave the database
 * (DESIGN.md principle 7).
 *
 * @example
 * await countAnswers(store, 'cairnet', { where: { always: true }, groupBy: [{ answer: 'relation' }] });
 * // [{ keys: ['never'], n: 122 }, { keys: ['ongoing'], n: 266 }, …]
 */
export async function countAnswers(
  store: Store,
  instrumentName: string,
  query: { where: AnswerPredicate; groupBy: readonly AnswerValue[] },
): Promise<AnswerCount[]> {
  const j = JSON_SQL[store.adapter.name];
  const keys = query.groupBy.map((v, k) => sql`${value(j, v)} as ${sql.ref(`k${k}`)}`);
  const groups = query.groupBy.map((_, k) => sql.ref(`k${k}`));
  const select = keys.length ? sql`${sql.join(keys)}, count(*) as n` : sql`count(*) as n`;
  const group = groups.length ? sql`group by ${sql.join(groups)}` : sql``;
  const result = await sql<Record<string, unknown>>`select ${select} from responses
    where instrument_name = ${instrumentName} and (${predicate(j, query.where)}) ${group}`.execute(store.db);
  return result.rows.map((row) => ({
    keys: query.groupBy.map((_, k) => {
      const v = row[`k${k}`];
      return v === null || v === undefined ? null : String(v);
    }),
    n: Number(row.n),
  }));
}
