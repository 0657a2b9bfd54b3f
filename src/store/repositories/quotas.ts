import { type Kysely, sql } from 'kysely';
import { type AnswerPredicate, answerPredicateSql } from '../answer-counts.js';
import type { Store } from '../open-store.js';
import type { CairnetDatabase } from '../schema.js';

/** One member of a quota as the store counts it: a question, its counted answers, whether it is a multiple choice. */
export interface QuotaMemberQuery {
  question: string;
  values: readonly string[];
  multiple: boolean;
}

/**
 * Takes the instrument's quota lock for the rest of the transaction `trx`, so that counting a
 * quota and storing the response that enters it are one step for every submission of that
 * instrument. PostgreSQL: a transaction-level advisory lock on the instrument's name (released at
 * commit or rollback; the count that follows reads every response committed before it). SQLite:
 * nothing to take, a process has one connection and runs one transaction at a time, and a
 * transaction of another process whose snapshot became stale cannot write (SQLITE_BUSY).
 */
export async function lockQuotas(
  trx: Kysely<CairnetDatabase>,
  dialect: Store['adapter']['name'],
  instrumentName: string,
): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${`cairnet-quota:${instrumentName}`}))`.execute(trx);
}

/** How many completed responses of an instrument (every version) enter a quota with these members. */
export async function countQuotaResponses(
  db: Kysely<CairnetDatabase>,
  dialect: Store['adapter']['name'],
  instrumentName: string,
  members: readonly QuotaMemberQuery[],
): Promise<number> {
  const where: AnswerPredicate = {
    and: members.map((m) =>
      m.multiple
        ? { or: m.values.map((v) => ({ in: { choiceOf: m.question, choice: v }, values: ['1'] })) }
        : { in: { answer: m.question }, values: m.values },
    ),
  };
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from responses
    where instrument_name = ${instrumentName} and (${answerPredicateSql(dialect, where)})`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
