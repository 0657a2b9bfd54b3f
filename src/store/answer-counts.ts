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

/** A dynamic panel's free texts: the answers to its `item` question, or to each entry's first question. */
export interface TextList {
  question: string;
  item?: string;
}

function listTextsSql(
  store: Store,
  list: TextList,
): { from: RawBuilder<unknown>; text: RawBuilder<unknown> } {
  if (store.adapter.name === 'sqlite') {
    const path = `$."${list.question}"`;
    return {
      from: sql`json_each(case when json_type(responses.data, ${path}) = 'array' then json_extract(responses.data, ${path}) else '[]' end) as e`,
      text:
        list.item !== undefined
          ? sql`case when e.type = 'object' and json_type(e.value, ${`$."${list.item}"`}) = 'text' then json_extract(e.value, ${`$."${list.item}"`}) end`
          : sql`case when e.type = 'object' then (select case when f.type = 'text' then f.value end from json_each(e.value) as f order by f.id limit 1) end`,
    };
  }
  // json (not jsonb) keeps each entry's keys in the order written, as JSON.parse does
  return {
    from: sql`json_array_elements(case when json_typeof(responses.data::json -> ${list.question}) = 'array' then responses.data::json -> ${list.question} else '[]'::json end) as e(v)`,
    text:
      list.item !== undefined
        ? sql`case when json_typeof(e.v) = 'object' and json_typeof(e.v -> ${list.item}) = 'string' then e.v ->> ${list.item} end`
        : sql`case when json_typeof(e.v) = 'object' then (select case when json_typeof(f.value) = 'string' then f.value #>> '{}' end from json_each(e.v) as f limit 1) end`,
  };
}

/**
 * The free texts of a dynamic panel among the responses satisfying `where`, each distinct text
 * once as stored (untrimmed), and the number of respondents who wrote at least one text other
 * than `blank` (texts the caller found empty once trimmed): what the dataset builder's text
 * lists hold, without reading the responses into the application.
 *
 * @example
 * const { texts } = await listedTexts(store, 'cairnet', { always: true }, { question: 'associations' });
 * const n = await respondentsWithTexts(store, 'cairnet', { always: true }, { question: 'associations' }, ['']);
 */
export async function listedTexts(
  store: Store,
  instrumentName: string,
  where: AnswerPredicate,
  list: TextList,
): Promise<string[]> {
  const j = JSON_SQL[store.adapter.name];
  const { from, text } = listTextsSql(store, list);
  const result = await sql<{ t: string | null }>`select distinct ${text} as t from responses, ${from}
    where instrument_name = ${instrumentName} and (${predicate(j, where)})`.execute(store.db);
  return result.rows.flatMap((r) => (typeof r.t === 'string' ? [r.t] : []));
}

/** Respondents satisfying `where` with at least one text in the list that is not one of `blank`. */
export async function respondentsWithTexts(
  store: Store,
  instrumentName: string,
  where: AnswerPredicate,
  list: TextList,
  blank: readonly string[],
): Promise<number> {
  const j = JSON_SQL[store.adapter.name];
  const { from, text } = listTextsSql(store, list);
  const notBlank = blank.length ? sql`and t not in (${sql.join(blank.map((b) => sql`${b}`))})` : sql``;
  const result = await sql<{ n: number | string }>`select count(*) as n from responses
    where instrument_name = ${instrumentName} and (${predicate(j, where)})
    and exists (select 1 from (select ${text} as t from ${from}) as texts where t is not null ${notBlank})`.execute(
    store.db,
  );
  return Number(result.rows[0]?.n ?? 0);
}

/** Completed responses of an instrument that are synthetic (the demonstration panel). */
export async function countSynthetic(store: Store, instrumentName: string): Promise<number> {
  const result = await sql<{ n: number | string }>`select count(*) as n from responses
    where instrument_name = ${instrumentName} and synthetic <> 0`.execute(store.db);
  return Number(result.rows[0]?.n ?? 0);
}
