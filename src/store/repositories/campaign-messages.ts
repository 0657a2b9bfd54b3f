import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CairnetDatabase } from '../schema.js';

/** A person a round may go to, and their message in it to reuse (retry, uncertain), if any. */
export interface RecipientRow {
  personId: string;
  email: string;
  name: string | null;
  language: string;
  retryMessageId: string | null;
}

/**
 * Reachable people of a survey (not erased, opted out, undeliverable or completed) without a
 * message in the round, or whose message is in one of `retryStates`; with `invitedIn`, only
 * those whose message in that round was sent or is uncertain. Import order.
 */
export async function selectRecipients(
  db: Kysely<CairnetDatabase>,
  survey: string,
  roundId: string,
  retryStates: string[],
  invitedIn?: string,
): Promise<RecipientRow[]> {
  let q = db
    .selectFrom('campaign_people as p')
    .leftJoin('campaign_messages as m', (j) =>
      j.onRef('m.person_id', '=', 'p.id').on('m.round_id', '=', roundId),
    )
    .select(['p.id', 'p.email', 'p.name', 'p.language', 'm.id as message_id', 'm.state'])
    .where('p.survey', '=', survey)
    .where('p.erased_at', 'is', null)
    .where('p.opted_out_at', 'is', null)
    .where('p.undeliverable_at', 'is', null)
    .where('p.email', 'is not', null)
    .where('p.completed', '=', 0)
    .where((eb) => eb.or([eb('m.id', 'is', null), eb('m.state', 'in', retryStates)]));
  if (invitedIn !== undefined) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('campaign_messages as inv')
          .select('inv.id')
          .whereRef('inv.person_id', '=', 'p.id')
          .where('inv.round_id', '=', invitedIn)
          .where('inv.state', 'in', ['sent', 'uncertain']),
      ),
    );
  }
  const rows = await q.orderBy('p.imported_at').orderBy('p.id').execute();
  return rows.map((r) => ({
    personId: r.id,
    email: r.email!,
    name: r.name,
    language: r.language,
    retryMessageId: r.message_id ?? null,
  }));
}

/**
 * Writes the intent to send (state `sending`, the token's hash): reuses the message to retry,
 * else adds one, unless another run holds the person in this round. Returns the message id or null.
 */
export async function recordIntent(
  db: Kysely<CairnetDatabase>,
  r: { personId: string; retryMessageId: string | null },
  kind: string,
  roundId: string,
  hash: string,
): Promise<string | null> {
  const now = new Date().toISOString();
  if (r.retryMessageId) {
    const res = await db
      .updateTable('campaign_messages')
      .set({ state: 'sending', token_hash: hash, attempted_at: now, error: null })
      .where('id', '=', r.retryMessageId)
      .where('state', 'in', ['retry', 'uncertain'])
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1 ? r.retryMessageId : null;
  }
  return insertSendingMessage(db, { personId: r.personId, roundId, kind, hash });
}

/**
 * Adds a message in state `sending` (now, with its token's hash) unless the person already has
 * one in this round. Returns its id, or null when another run holds the person.
 */
export async function insertSendingMessage(
  db: Kysely<CairnetDatabase>,
  m: { personId: string; roundId: string; kind: string; hash: string },
): Promise<string | null> {
  const id = randomUUID();
  const now = new Date().toISOString();
  const res = await db
    .insertInto('campaign_messages')
    .values({
      id,
      person_id: m.personId,
      round_id: m.roundId,
      kind: m.kind,
      token_hash: m.hash,
      state: 'sending',
      created_at: now,
      attempted_at: now,
      sent_at: null,
      smtp_response: null,
      error: null,
    })
    .onConflict((oc) => oc.columns(['person_id', 'round_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1 ? id : null;
}

/** The SMTP server accepted the message: `sent`, and an invitation marks the person invited. */
export async function recordSent(
  db: Kysely<CairnetDatabase>,
  messageId: string,
  personId: string,
  kind: string,
  response: string | null,
): Promise<void> {
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('campaign_messages')
      .set({ state: 'sent', sent_at: now, smtp_response: response?.slice(0, 500) ?? null })
      .where('id', '=', messageId)
      .execute();
    if (kind === 'invitation') {
      await trx
        .updateTable('campaign_people')
        .set({ invited_at: now })
        .where('id', '=', personId)
        .where('invited_at', 'is', null)
        .execute();
    }
  });
}

/** Records a failed exchange: the message's new state, and for `failed` the person undeliverable. */
export async function recordMessageFailure(
  db: Kysely<CairnetDatabase>,
  messageId: string,
  personId: string,
  state: 'failed' | 'retry' | 'uncertain',
  message: string,
): Promise<void> {
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('campaign_messages')
      .set({ state, error: message })
      .where('id', '=', messageId)
      .execute();
    if (state === 'failed') {
      await trx
        .updateTable('campaign_people')
        .set({ undeliverable_at: now, undeliverable_reason: message.slice(0, 200), updated_at: now })
        .where('id', '=', personId)
        .execute();
    }
  });
}

/**
 * A survey's messages left `sending` since before `before` (of `roundId` only, when given):
 * they become `uncertain` with `reason`. Returns how many.
 */
export async function markSendingUncertain(
  db: Kysely<CairnetDatabase>,
  survey: string,
  before: string,
  reason: string,
  opts: { roundId?: string; inclusive?: boolean } = {},
): Promise<number> {
  const res = await db
    .updateTable('campaign_messages')
    .set({ state: 'uncertain', error: reason })
    .where('person_id', 'in', (eb) =>
      eb.selectFrom('campaign_people').select('id').where('survey', '=', survey),
    )
    .$if(opts.roundId !== undefined, (q) => q.where('round_id', '=', opts.roundId!))
    .where('state', '=', 'sending')
    .where('attempted_at', opts.inclusive ? '<=' : '<', before)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
