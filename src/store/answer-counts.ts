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

/** A condition on a response's answers as SQL of a dialect, over the `responses` table's `data`. */
export function answerPredicateSql(
  dialect: Store['adapter']['name'],
  p: AnswerPredicate,
): RawBuilder<unknown> {
  return predicate(JSON_SQL[dialect], p);
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
  query: CountQuery,
): Promise<AnswerCount[]> {
  if (store.adapter.name === 'postgres') return (await countManyPostgres(store, instrumentName, [query]))[0]!;
  return sqliteCount(store, instrumentName, query);
}

async function sqliteCount(store: Store, instrumentName: string, query: CountQuery): Promise<AnswerCount[]> {
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

/** Parts of the responses table PostgreSQL counts at once (`CAIRNET_SQL_SCAN_PARTS`, default 2). */
const SCAN_PARTS = Math.max(1, Math.min(16, Number(process.env.CAIRNET_SQL_SCAN_PARTS) || 2));

/** One count: respondents satisfying `where`, grouped by the values of `groupBy`. */
export interface CountQuery {
  where: AnswerPredicate;
  groupBy: readonly AnswerValue[];
}

/** PostgreSQL's reading of an answer (or whether a checkbox answer holds a choice) from the parsed document `j`. */
function postgresBase(
  v: { answer: string; row?: string } | { choiceOf: string; choice: string },
): RawBuilder<unknown> {
  if ('answer' in v) {
    const path = v.row === undefined ? [v.answer] : [v.answer, v.row];
    return sql`nullif(j #>> ${`{${path.map((p) => `"${p}"`).join(',')}}`}, '')`;
  }
  return sql`case when jsonb_typeof(j -> ${v.choiceOf}) = 'array' then (case when (j -> ${v.choiceOf}) @> ${JSON.stringify([v.choice])}::jsonb then '1' else '0' end) end`;
}

/**
 * PostgreSQL: many counts in one scan of the responses. Each answer the queries read is extracted
 * once per response from its stored `answers` jsonb (a fenced subquery), and the
 * queries become the grouping sets of one GROUP BY; a query's `where` becomes a 0/1 column of
 * its set, its rows with 0 dropped here.
 */
async function countManyPostgres(
  store: Store,
  instrumentName: string,
  queries: readonly CountQuery[],
  scanParts?: number,
): Promise<AnswerCount[][]> {
  const bases = new Map<string, { expression: RawBuilder<unknown>; name: string }>();
  const base = (v: { answer: string; row?: string } | { choiceOf: string; choice: string }) => {
    const key = JSON.stringify(v);
    let b = bases.get(key);
    if (!b) {
      b = { expression: postgresBase(v), name: `v${bases.size}` };
      bases.set(key, b);
    }
    return sql.ref(b.name);
  };
  const value = (v: AnswerValue): RawBuilder<unknown> => {
    if (!('cases' in v)) return sql`${base(v)}`;
    const whens = v.cases.map((c) => sql`when ${test(c.when)} then ${c.yields}`);
    return sql`(case ${sql.join(whens, sql` `)} else ${v.otherwise} end)`;
  };
  const test = (p: AnswerPredicate): RawBuilder<unknown> => {
    if ('always' in p) return sql`true`;
    if ('in' in p) {
      if (p.values.length === 0) return sql`false`;
      return sql`coalesce(${value(p.in)} in (${sql.join(p.values.map((x) => sql`${x}`))}), false)`;
    }
    if ('answered' in p) return sql`(${value(p.answered)} is not null)`;
    if ('not' in p) return sql`not (${test(p.not)})`;
    const parts = ('and' in p ? p.and : p.or).map((q) => sql`(${test(q)})`);
    if (parts.length === 0) return 'and' in p ? sql`true` : sql`false`;
    return sql.join(parts, 'and' in p ? sql` and ` : sql` or `);
  };
  const columns = queries.flatMap((q, i) => [
    sql`(case when ${test(q.where)} then 1 else 0 end) as ${sql.ref(`w${i}`)}`,
    ...q.groupBy.map((v, m) => sql`${value(v)} as ${sql.ref(`k${i}_${m}`)}`),
  ]);
  const names = queries.map((q, i) => [`w${i}`, ...q.groupBy.map((_, m) => `k${i}_${m}`)]);
  const sets = names.map((set) => sql`(${sql.join(set.map((c) => sql.ref(c)))})`);
  const extracted = [...bases.values()].map((b) => sql`${b.expression} as ${sql.ref(b.name)}`);
  // The table is read in parts of its pages (TID ranges), one query per part on its own
  // connection: PostgreSQL does not run grouping sets in parallel itself, and the extraction and
  // grouping, not the reading, take the time.
  const pages = Number(
    (
      await sql<{
        pages: string | number;
      }>`select pg_relation_size('responses') / current_setting('block_size')::bigint as pages`.execute(
        store.db,
      )
    ).rows[0]?.pages ?? 0,
  );
  const parts = Math.max(1, Math.min(pages, scanParts ?? (pages >= 1000 ? SCAN_PARTS : 1)));
  const range = (k: number) => {
    const from = Math.floor((k * pages) / parts);
    const to = Math.floor(((k + 1) * pages) / parts);
    const lower = k === 0 ? sql`` : sql` and ctid >= ${`(${from},0)`}::tid`;
    const upper = k === parts - 1 ? sql`` : sql` and ctid < ${`(${to},0)`}::tid`;
    return sql`${lower}${upper}`;
  };
  const results = await Promise.all(
    Array.from({ length: parts }, (_, k) => {
      // the answers as jsonb, parsed once when stored (migration 0006)
      const parsed = sql`select answers as j from responses where instrument_name = ${instrumentName}${range(k)} offset 0`;
      const answers = extracted.length
        ? sql`select ${sql.join(extracted)} from (${parsed}) as parsed offset 0`
        : sql`select 1 as one from responses where instrument_name = ${instrumentName}${range(k)}`;
      // With the default 4 MB of work memory PostgreSQL sorts a million rows for some grouping
      // sets instead of hashing them all (twice as slow here); the groups are few and small.
      return store.db.transaction().execute(async (trx) => {
        await sql`set local work_mem = '256MB'`.execute(trx);
        return sql<
          Record<string, unknown>
        >`select ${sql.join(names.flat().map((c) => sql.ref(c)))}, count(*) as n
          from (select ${sql.join(columns)} from (${answers}) as answers) as keyed
          group by grouping sets (${sql.join(sets)})`.execute(trx);
      });
    }),
  );
  const merged = queries.map(() => new Map<string, AnswerCount>());
  for (const result of results) {
    for (const row of result.rows) {
      const i = names.findIndex((set) => row[set[0]!] !== null && row[set[0]!] !== undefined);
      if (i < 0 || Number(row[`w${i}`]) !== 1) continue;
      const keys = names[i]!.slice(1).map((c) => {
        const v = row[c];
        return v === null || v === undefined ? null : String(v);
      });
      const key = JSON.stringify(keys);
      const seen = merged[i]!.get(key);
      if (seen) seen.n += Number(row.n);
      else merged[i]!.set(key, { keys, n: Number(row.n) });
    }
  }
  return merged.map((m) => [...m.values()]);
}

/**
 * Several counts at once: on PostgreSQL in one scan of the responses (grouping sets; on a large
 * table in `scanParts` ranges of its pages at once, default 2 from 8 MB), on SQLite
 * one GROUP BY after the other (SQLite keeps each response's parsed JSON for the expressions of
 * a statement). Each result is what {@link countAnswers} gives for that query.
 */
export async function countAnswersMany(
  store: Store,
  instrumentName: string,
  queries: readonly CountQuery[],
  options: { scanParts?: number } = {},
): Promise<AnswerCount[][]> {
  if (queries.length === 0) return [];
  if (store.adapter.name === 'postgres')
    return countManyPostgres(store, instrumentName, queries, options.scanParts);
  const out: AnswerCount[][] = [];
  for (const q of queries) out.push(await sqliteCount(store, instrumentName, q));
  return out;
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
  // the parsed answers (migration 0006); jsonb orders an object's keys its own way, so an entry
  // of several answers is read again from the stored text (json keeps them as written, as
  // JSON.parse does) to find its first
  const first = sql`case when (select count(*) from jsonb_object_keys(e.v)) = 1
      then (select case when jsonb_typeof(f.value) = 'string' then f.value #>> '{}' end from jsonb_each(e.v) as f)
      else (select case when json_typeof(f.value) = 'string' then f.value #>> '{}' end
        from json_each((responses.data::json -> ${list.question}) -> (e.at - 1)::int) as f limit 1) end`;
  return {
    from: sql`jsonb_array_elements(case when jsonb_typeof(responses.answers -> ${list.question}) = 'array' then responses.answers -> ${list.question} else '[]'::jsonb end) with ordinality as e(v, at)`,
    text:
      list.item !== undefined
        ? sql`case when jsonb_typeof(e.v) = 'object' and jsonb_typeof(e.v -> ${list.item}) = 'string' then e.v ->> ${list.item} end`
        : sql`case when jsonb_typeof(e.v) = 'object' then (${first}) end`,
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
