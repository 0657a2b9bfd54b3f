import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CairnetDatabase } from '../schema.js';

/** An invited, completed response whose author can still be written to. */
export interface ReachableResponse {
  responseId: string;
  personId: string;
  survey: string;
  /** The stored answers, as JSON text. */
  data: string;
}

/**
 * Completed invited responses (of `survey`, or of any survey when null) whose author can still be
 * reached: not erased, not opted out of the survey's messages, not undeliverable. Responses
 * without an invitation (or whose link anonymous mode cut) have no one to write to.
 */
export async function reachableResponses(
  db: Kysely<CairnetDatabase>,
  survey: string | null,
  responseIds?: string[],
): Promise<ReachableResponse[]> {
  if (responseIds && responseIds.length === 0) return [];
  const rows = await db
    .selectFrom('responses as r')
    .innerJoin('campaign_people as p', 'p.pseudonym', 'r.invitation_id')
    .select(['r.id', 'r.data', 'p.id as person_id', 'p.survey'])
    .whereRef('r.instrument_name', '=', 'p.survey')
    .$if(survey !== null, (qb) => qb.where('r.instrument_name', '=', survey!))
    .$if(responseIds !== undefined, (qb) => qb.where('r.id', 'in', responseIds!))
    .where('r.invitation_id', 'is not', null)
    .where('p.erased_at', 'is', null)
    .where('p.email', 'is not', null)
    .where('p.opted_out_at', 'is', null)
    .where('p.undeliverable_at', 'is', null)
    .orderBy('r.completed_at')
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({ responseId: r.id, personId: r.person_id, survey: r.survey, data: r.data }));
}

async function readHandles(db: Kysely<CairnetDatabase>, responseIds: string[], into: Map<string, string>) {
  for (let i = 0; i < responseIds.length; i += 500) {
    const rows = await db
      .selectFrom('campaign_press_handles')
      .select(['handle', 'response_id'])
      .where('response_id', 'in', responseIds.slice(i, i + 500))
      .execute();
    for (const r of rows) into.set(r.response_id, r.handle);
  }
}

/** The handle of each response (response id → handle), made (random, 48 bits) the first time it is asked for. */
export async function pressHandles(
  db: Kysely<CairnetDatabase>,
  responseIds: string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  await readHandles(db, responseIds, found);
  const missing = responseIds.filter((id) => !found.has(id));
  if (missing.length === 0) return found;
  const now = new Date().toISOString();
  for (const id of missing) {
    await db
      .insertInto('campaign_press_handles')
      .values({ handle: `R-${randomBytes(6).toString('base64url')}`, response_id: id, created_at: now })
      .onConflict((oc) => oc.column('response_id').doNothing())
      .execute();
  }
  await readHandles(db, missing, found);
  return found;
}

/** The response a handle was made for. */
export async function responseOfHandle(
  db: Kysely<CairnetDatabase>,
  handle: string,
): Promise<string | undefined> {
  const h = await db
    .selectFrom('campaign_press_handles')
    .select('response_id')
    .where('handle', '=', handle)
    .executeTakeFirst();
  return h?.response_id;
}

/** The newest contact request to each handle (any press officer): its state and when. */
export async function latestRequests(
  db: Kysely<CairnetDatabase>,
  handles: string[],
): Promise<Map<string, { state: string; at: string }>> {
  const last = new Map<string, { state: string; at: string }>();
  for (let i = 0; i < handles.length; i += 500) {
    const rows = await db
      .selectFrom('campaign_press_requests')
      .select(['handle', 'state', 'created_at', 'answered_at'])
      .where('handle', 'in', handles.slice(i, i + 500))
      .orderBy('created_at')
      .execute();
    for (const r of rows) last.set(r.handle, { state: r.state, at: r.answered_at ?? r.created_at });
  }
  return last;
}

/**
 * Whether a handle has a request still waiting: sent and unanswered, or "sending" for less than
 * ten minutes (older, it belongs to a process that died mid-send and must not block the handle).
 */
export async function hasPendingRequest(db: Kysely<CairnetDatabase>, handle: string): Promise<boolean> {
  const pending = await db
    .selectFrom('campaign_press_requests')
    .select('id')
    .where('handle', '=', handle)
    .where((eb) =>
      eb.or([
        eb('state', '=', 'sent'),
        eb.and([
          eb('state', '=', 'sending'),
          eb('created_at', '>', new Date(Date.now() - 10 * 60_000).toISOString()),
        ]),
      ]),
    )
    .executeTakeFirst();
  return pending !== undefined;
}

/** Who a request is written to. */
export async function pressRecipient(db: Kysely<CairnetDatabase>, personId: string) {
  return db
    .selectFrom('campaign_people')
    .select(['email', 'name', 'language', 'survey'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
}

/** Stores a new request, state `sending`. */
export async function insertPressRequest(
  db: Kysely<CairnetDatabase>,
  r: {
    id: string;
    handle: string;
    personId: string;
    userId: string;
    message: string;
    tokenHash: string;
    at: string;
  },
): Promise<void> {
  await db
    .insertInto('campaign_press_requests')
    .values({
      id: r.id,
      handle: r.handle,
      person_id: r.personId,
      requested_by: r.userId,
      message: r.message,
      token_hash: r.tokenHash,
      state: 'sending',
      created_at: r.at,
      sent_at: null,
      answered_at: null,
      shared_at: null,
      error: null,
    })
    .execute();
}

/** Records how sending a request went: `sent` (only from `sending`) or `failed` with the error. */
export async function markPressRequestSent(
  db: Kysely<CairnetDatabase>,
  id: string,
  outcome: { sentAt: string } | { error: string },
): Promise<void> {
  if ('error' in outcome) {
    await db
      .updateTable('campaign_press_requests')
      .set({ state: 'failed', error: outcome.error.slice(0, 500) })
      .where('id', '=', id)
      .execute();
    return;
  }
  await db
    .updateTable('campaign_press_requests')
    .set({ state: 'sent', sent_at: outcome.sentAt })
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .execute();
}

/** The requests a press officer sent (every officer's when null), of one survey or all, newest first. */
export async function listPressRequests(
  db: Kysely<CairnetDatabase>,
  filter: { userId: string | null; survey: string | null },
) {
  return db
    .selectFrom('campaign_press_requests as q')
    .innerJoin('campaign_people as p', 'p.id', 'q.person_id')
    .select([
      'q.id',
      'q.handle',
      'q.state',
      'q.created_at',
      'q.sent_at',
      'q.answered_at',
      'q.shared_at',
      'q.message',
      'p.survey',
    ])
    .$if(filter.userId !== null, (qb) => qb.where('q.requested_by', '=', filter.userId!))
    .$if(filter.survey !== null, (qb) => qb.where('p.survey', '=', filter.survey!))
    .orderBy('q.created_at', 'desc')
    .limit(500)
    .execute();
}

/** The request an answer link's token hash belongs to, with its respondent's language and survey (not erased). */
export async function pressRequestByTokenHash(db: Kysely<CairnetDatabase>, hash: string) {
  return db
    .selectFrom('campaign_press_requests as q')
    .innerJoin('campaign_people as p', 'p.id', 'q.person_id')
    .select(['q.id', 'q.state', 'q.message', 'p.language', 'p.survey'])
    .where('q.token_hash', '=', hash)
    .where('p.erased_at', 'is', null)
    .executeTakeFirst();
}

/** Records the respondent's first answer; false when the request was already answered. */
export async function answerPressRequest(
  db: Kysely<CairnetDatabase>,
  id: string,
  state: 'accepted' | 'declined',
  at: string,
): Promise<boolean> {
  const res = await db
    .updateTable('campaign_press_requests')
    .set({ state, answered_at: at })
    .where('id', '=', id)
    .where('state', 'in', ['sending', 'sent', 'failed'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** A request with what sharing the respondent's address needs: their address and the officer's. */
export async function pressRequestForSharing(db: Kysely<CairnetDatabase>, id: string) {
  return db
    .selectFrom('campaign_press_requests as q')
    .innerJoin('campaign_people as p', 'p.id', 'q.person_id')
    .innerJoin('users as u', 'u.id', 'q.requested_by')
    .select([
      'q.state',
      'q.shared_at',
      'q.handle',
      'q.message',
      'p.email',
      'p.name',
      'p.survey',
      'u.email as press_email',
    ])
    .where('q.id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Records that the address was sent to the press officer (`sharedAt`), or why it could not be (`error`). */
export async function markPressRequestShared(
  db: Kysely<CairnetDatabase>,
  id: string,
  outcome: { sharedAt: string } | { error: string },
): Promise<void> {
  await db
    .updateTable('campaign_press_requests')
    .set(
      'error' in outcome
        ? { error: outcome.error.slice(0, 500) }
        : { shared_at: outcome.sharedAt, error: null },
    )
    .where('id', '=', id)
    .execute();
}
