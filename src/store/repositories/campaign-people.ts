import { type Kysely, sql } from 'kysely';
import type { CairnetDatabase } from '../schema.js';

/** Whether a survey's population holds anyone not erased. */
export async function hasPopulation(db: Kysely<CairnetDatabase>, survey: string): Promise<boolean> {
  const someone = await db
    .selectFrom('campaign_people')
    .select('id')
    .where('survey', '=', survey)
    .where('erased_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return someone !== undefined;
}

/** The person behind a message token's hash (any message: invitation or reminder), not erased. */
export async function personByTokenHash(
  db: Kysely<CairnetDatabase>,
  hash: string,
): Promise<
  { id: string; survey: string; pseudonym: string | null; completed: number; language: string } | undefined
> {
  return db
    .selectFrom('campaign_messages as m')
    .innerJoin('campaign_people as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.survey', 'p.pseudonym', 'p.completed', 'p.language'])
    .where('m.token_hash', '=', hash)
    .where('p.erased_at', 'is', null)
    .executeTakeFirst();
}

/** Sets one of a person's first-time marks (opened, started, opted out) unless already set. */
export async function markPersonOnce(
  db: Kysely<CairnetDatabase>,
  personId: string,
  column: 'opened_at' | 'started_at' | 'opted_out_at',
  at: string,
): Promise<void> {
  await db
    .updateTable('campaign_people')
    .set(column === 'opted_out_at' ? { opted_out_at: at, updated_at: at } : { [column]: at })
    .where('id', '=', personId)
    .where(column, 'is', null)
    .execute();
}

/**
 * Marks a person completed (with the time, outside anonymous mode), and owed a thank-you when
 * `thanksDue`, in one statement. Idempotent: true only for the call that completed them.
 */
export async function markPersonCompleted(
  db: Kysely<CairnetDatabase>,
  personId: string,
  at: string,
  thanksDue: boolean,
): Promise<boolean> {
  const res = await db
    .updateTable('campaign_people')
    .set({ completed: 1, completed_at: at, updated_at: at, thanks_due: thanksDue ? 1 : 0 })
    .where('id', '=', personId)
    .where('completed', '=', 0)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Anonymous completion, inside the response's transaction: completed, no time but the day of
 * the change, the pseudonym kept only when `keepPseudonym`, owed a thank-you when `thanksDue`
 * (sent with the day's others, see send-thanks.ts), and the person's drafts deleted.
 * False when the person had completed already (the caller rolls back).
 */
export async function completePersonAnonymously(
  trx: Kysely<CairnetDatabase>,
  personId: string,
  pseudonym: string | null,
  keepPseudonym: boolean,
  day: string,
  thanksDue: boolean,
): Promise<boolean> {
  const done = await trx
    .updateTable('campaign_people')
    .set({
      completed: 1,
      completed_at: null,
      pseudonym: keepPseudonym ? pseudonym : null,
      updated_at: day,
      thanks_due: thanksDue ? 1 : 0,
    })
    .where('id', '=', personId)
    .where('completed', '=', 0)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0) return false;
  const hashes = trx.selectFrom('campaign_messages').select('token_hash').where('person_id', '=', personId);
  await trx.deleteFrom('drafts').where('token_hash', 'in', hashes).execute();
  if (pseudonym) await trx.deleteFrom('drafts').where('invitation_id', '=', pseudonym).execute();
  return true;
}

/**
 * Brings a person's newest unfinished draft under the token `hash` (the link they just opened),
 * unless a draft is there already.
 */
export async function moveDraftToToken(
  db: Kysely<CairnetDatabase>,
  personId: string,
  hash: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const here = await trx
      .selectFrom('drafts')
      .select('token_hash')
      .where('token_hash', '=', hash)
      .executeTakeFirst();
    if (here) return;
    const hashes = trx.selectFrom('campaign_messages').select('token_hash').where('person_id', '=', personId);
    const latest = await trx
      .selectFrom('drafts')
      .select('token_hash')
      .where('token_hash', 'in', hashes)
      .where('completed_response_id', 'is', null)
      .orderBy('updated_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest) {
      await trx
        .updateTable('drafts')
        .set({ token_hash: hash })
        .where('token_hash', '=', latest.token_hash)
        .execute();
    }
  });
}

/** A survey's person by import key. */
export async function personByKey(
  db: Kysely<CairnetDatabase>,
  survey: string,
  key: string,
): Promise<{ id: string; pseudonym: string | null; erased_at: string | null } | undefined> {
  return db
    .selectFrom('campaign_people')
    .select(['id', 'pseudonym', 'erased_at'])
    .where('survey', '=', survey)
    .where('email_key', '=', key)
    .executeTakeFirst();
}

/** A survey's people still holding personal data. */
export async function unerasedPeople(
  db: Kysely<CairnetDatabase>,
  survey: string,
): Promise<{ id: string; pseudonym: string | null }[]> {
  return db
    .selectFrom('campaign_people')
    .select(['id', 'pseudonym'])
    .where('survey', '=', survey)
    .where('erased_at', 'is', null)
    .execute();
}

/**
 * Erases a person's personal data in one transaction: drafts (under their links or pseudonym),
 * messages, strata, press requests deleted; address, name, pseudonym and reason cut.
 */
export async function erasePersonRows(
  db: Kysely<CairnetDatabase>,
  personId: string,
  pseudonym: string | null,
): Promise<void> {
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    const hashes = trx.selectFrom('campaign_messages').select('token_hash').where('person_id', '=', personId);
    // Unfinished answers go; a completed draft only links a token to a response: it goes too.
    await trx.deleteFrom('drafts').where('token_hash', 'in', hashes).execute();
    if (pseudonym) await trx.deleteFrom('drafts').where('invitation_id', '=', pseudonym).execute();
    await trx.deleteFrom('campaign_messages').where('person_id', '=', personId).execute();
    await trx.deleteFrom('campaign_strata').where('person_id', '=', personId).execute();
    await trx.deleteFrom('campaign_press_requests').where('person_id', '=', personId).execute();
    await trx
      .updateTable('campaign_people')
      .set({
        email: null,
        name: null,
        pseudonym: null,
        undeliverable_reason: null,
        erased_at: now,
        updated_at: now,
        thanks_due: 0,
      })
      .where('id', '=', personId)
      .execute();
  });
}

/** The response stored under an idempotency key, or under an invitation's pseudonym, if any. */
export async function responseIdBy(
  db: Kysely<CairnetDatabase>,
  column: 'idempotency_key' | 'invitation_id',
  value: string,
): Promise<string | undefined> {
  const row = await db.selectFrom('responses').select('id').where(column, '=', value).executeTakeFirst();
  return row?.id;
}

/** A message of a survey's campaign by its id: the message and its person. */
export async function surveyMessage(
  db: Kysely<CairnetDatabase>,
  survey: string,
  messageId: string,
): Promise<{ id: string; person_id: string } | undefined> {
  return db
    .selectFrom('campaign_messages as m')
    .innerJoin('campaign_people as p', 'p.id', 'm.person_id')
    .select(['m.id', 'm.person_id'])
    .where('m.id', '=', messageId)
    .where('p.survey', '=', survey)
    .executeTakeFirst();
}

/** A survey's person by id, or by import key: whether they are undeliverable or erased already. */
export async function personDeliveryState(
  db: Kysely<CairnetDatabase>,
  survey: string,
  by: { id: string } | { key: string },
): Promise<{ id: string; undeliverable_at: string | null; erased_at: string | null } | undefined> {
  return db
    .selectFrom('campaign_people')
    .select(['id', 'undeliverable_at', 'erased_at'])
    .where('survey', '=', survey)
    .$call((q) => ('id' in by ? q.where('id', '=', by.id) : q.where('email_key', '=', by.key)))
    .executeTakeFirst();
}

/** A bounce: the person undeliverable (unless already), and their message `failed`. */
export async function markBounced(
  db: Kysely<CairnetDatabase>,
  personId: string,
  messageId: string | undefined,
  reason: string,
  now: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('campaign_people')
      .set({ undeliverable_at: now, undeliverable_reason: reason, updated_at: now })
      .where('id', '=', personId)
      .where('undeliverable_at', 'is', null)
      .execute();
    if (messageId) {
      await trx
        .updateTable('campaign_messages')
        .set({ state: 'failed', error: reason })
        .where('id', '=', messageId)
        .execute();
    }
  });
}

/**
 * Rewrites every completed person's row of these surveys in one statement; those without a
 * pseudonym keep their opening, start and last change at the day, and no completion time.
 */
export async function coarsenCompletedPeople(db: Kysely<CairnetDatabase>, surveys: string[]): Promise<void> {
  const dayOf = (column: 'opened_at' | 'started_at' | 'updated_at') =>
    sql<string>`case when pseudonym is null then substr(${sql.ref(column)}, 1, 10) else ${sql.ref(column)} end`;
  await db
    .updateTable('campaign_people')
    .set({
      opened_at: dayOf('opened_at'),
      started_at: dayOf('started_at'),
      updated_at: dayOf('updated_at'),
      completed_at: sql<string | null>`case when pseudonym is null then null else completed_at end`,
    })
    .where('survey', 'in', surveys)
    .where('completed', '=', 1)
    .execute();
}
