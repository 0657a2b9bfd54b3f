import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { CairnetDatabase } from '../schema.js';
import { insertSendingMessage, type RecipientRow } from './campaign-messages.js';

/** The round every thank-you is written in: one per person, ever (unique person and round). */
export const THANKS_ROUND = 'thanks';

/**
 * Which thank-yous are ready: those owed after a completion outside anonymous mode (the person
 * has a completion time) at once; those of anonymous completions (no completion time, the day
 * of the last change only) once that day is over, so that a day's completions go out together.
 * Thank-yous refused for now (`retry`) are tried again once `retryBefore` has passed their last
 * attempt, for those written since `retrySince`.
 */
export interface ThanksWindow {
  /** Today (UTC), `YYYY-MM-DD`. */
  today: string;
  retryBefore: string;
  retrySince: string;
}

type PeopleEb = ExpressionBuilder<CairnetDatabase, 'campaign_people'>;

/** A person the campaign may still write to. */
const reachable = (eb: PeopleEb) =>
  eb.and([
    eb('campaign_people.erased_at', 'is', null),
    eb('campaign_people.opted_out_at', 'is', null),
    eb('campaign_people.undeliverable_at', 'is', null),
    eb('campaign_people.email', 'is not', null),
  ]);

/** An owed thank-you that may leave now (see {@link ThanksWindow}). */
const ready = (eb: PeopleEb, today: string) =>
  eb.and([
    eb('campaign_people.thanks_due', '=', 1),
    eb.or([
      eb('campaign_people.completed_at', 'is not', null),
      eb(sql<string>`substr(campaign_people.updated_at, 1, 10)`, '<', today),
    ]),
  ]);

/** Forgets the thank-yous owed to people the campaign may no longer write to; how many. */
export async function dropUnreachableThanks(db: Kysely<CairnetDatabase>): Promise<number> {
  const res = await db
    .updateTable('campaign_people')
    .set({ thanks_due: 0 })
    .where('thanks_due', '=', 1)
    .where((eb) => eb.not(reachable(eb)))
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Forgets every thank-you a survey owes (switched off, campaign closed); how many. */
export async function dropSurveyThanks(db: Kysely<CairnetDatabase>, survey: string): Promise<number> {
  const res = await db
    .updateTable('campaign_people')
    .set({ thanks_due: 0 })
    .where('thanks_due', '=', 1)
    .where('survey', '=', survey)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Thank-yous refused for now (4xx), of reachable people, due for another try. */
function retryable(db: Kysely<CairnetDatabase>, w: ThanksWindow) {
  return db
    .selectFrom('campaign_messages as m')
    .innerJoin('campaign_people', 'campaign_people.id', 'm.person_id')
    .where('m.round_id', '=', THANKS_ROUND)
    .where('m.state', '=', 'retry')
    .where('m.attempted_at', '<', w.retryBefore)
    .where('m.created_at', '>=', w.retrySince)
    .where(reachable);
}

/** The surveys with a thank-you to send now (owed and ready, or to retry). */
export async function surveysWithThanks(db: Kysely<CairnetDatabase>, w: ThanksWindow): Promise<string[]> {
  const owed = await db
    .selectFrom('campaign_people')
    .select('survey')
    .distinct()
    .where((eb) => ready(eb, w.today))
    .execute();
  const retries = await retryable(db, w).select('campaign_people.survey').distinct().execute();
  return [...new Set([...owed, ...retries].map((r) => r.survey))].sort();
}

/** Also every survey owing a thank-you not ready yet: a switched-off or closed one drops them too. */
export async function surveysOwingThanks(db: Kysely<CairnetDatabase>): Promise<string[]> {
  const rows = await db
    .selectFrom('campaign_people')
    .select('survey')
    .distinct()
    .where('thanks_due', '=', 1)
    .execute();
  return rows.map((r) => r.survey);
}

/** A survey's thank-yous to send now: owed and ready (no message yet), then those to retry. */
export async function thanksRecipients(
  db: Kysely<CairnetDatabase>,
  survey: string,
  w: ThanksWindow,
): Promise<RecipientRow[]> {
  const owed = await db
    .selectFrom('campaign_people')
    .select(['id', 'email', 'name', 'language'])
    .where('survey', '=', survey)
    .where((eb) => ready(eb, w.today))
    .where(reachable)
    .execute();
  const retries = await retryable(db, w)
    .select([
      'campaign_people.id',
      'campaign_people.email',
      'campaign_people.name',
      'campaign_people.language',
      'm.id as message_id',
    ])
    .where('campaign_people.survey', '=', survey)
    .execute();
  return [
    ...owed.map((r) => ({
      personId: r.id,
      email: r.email!,
      name: r.name,
      language: r.language,
      retryMessageId: null,
    })),
    ...retries.map((r) => ({
      personId: r.id,
      email: r.email!,
      name: r.name,
      language: r.language,
      retryMessageId: r.message_id,
    })),
  ];
}

/**
 * Claims an owed thank-you for sending, in one transaction: the person's flag goes from 1 to 0
 * (so no other worker takes them) and the message is written `sending`, with the hash of its
 * token. The message id, or null when another worker took the person first, the person is no
 * longer reachable, or they were thanked already.
 */
export async function claimThanks(
  db: Kysely<CairnetDatabase>,
  personId: string,
  hash: string,
): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .updateTable('campaign_people')
      .set({ thanks_due: 0 })
      .where('id', '=', personId)
      .where('thanks_due', '=', 1)
      .where(reachable)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) return null;
    return insertSendingMessage(trx, { personId, roundId: THANKS_ROUND, kind: 'thanks', hash });
  });
}

/**
 * Thank-yous left `sending` since `before` (their sender died between the claim and the SMTP
 * server's answer): `uncertain`, never resent. How many, of every survey.
 */
export async function markStaleThanksUncertain(db: Kysely<CairnetDatabase>, before: string): Promise<number> {
  const res = await db
    .updateTable('campaign_messages')
    .set({ state: 'uncertain', error: 'in flight when its sender stopped; delivery unknown' })
    .where('round_id', '=', THANKS_ROUND)
    .where('state', '=', 'sending')
    .where('attempted_at', '<=', before)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** How many of a survey's people are owed a thank-you not sent yet. */
export async function countOwedThanks(db: Kysely<CairnetDatabase>, survey: string): Promise<number> {
  const row = await db
    .selectFrom('campaign_people')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('survey', '=', survey)
    .where('thanks_due', '=', 1)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
