import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { tokenHash } from '../store/canonical-json.js';
import { recordAudit } from '../store/repositories/users.js';
import type { CairnetDatabase } from '../store/schema.js';
import { newInvitationToken } from './invitation-token.js';
import type { MailConfig } from './mail-config.js';
import { renderContactRequest, renderContactShared } from './press-mail.js';
import { contactByHandle } from './press-search.js';
import { pressTexts } from './press-texts.js';
import { createTransport, type MailTransport } from './send-campaign.js';

/** A contact request as the press office sees it: never the researcher's address or name. */
export interface ContactRequestView {
  id: string;
  handle: string;
  state: string;
  createdAt: string;
  sentAt: string | null;
  answeredAt: string | null;
  sharedAt: string | null;
  message: string;
}

export const MESSAGE_MIN = 10;
export const MESSAGE_MAX = 4000;
const HANDLE = /^R-[A-Za-z0-9_-]{8}$/;

async function withTransport<T>(
  config: MailConfig,
  transport: MailTransport | undefined,
  fn: (t: MailTransport) => Promise<T>,
): Promise<T> {
  const t = transport ?? createTransport(config);
  try {
    return await fn(t);
  } finally {
    if (!transport) t.close?.();
  }
}

/**
 * Relays a press officer's contact request to the researcher behind a handle, by e-mail, with a
 * personal link to accept or decline. The press officer learns nothing about the person until
 * they accept. One unanswered request per handle at a time. Audited (`press.request`).
 */
export async function sendContactRequest(
  db: Kysely<CairnetDatabase>,
  req: {
    handle: string;
    message: string;
    userId: string;
    config: MailConfig;
    transport?: MailTransport | undefined;
  },
): Promise<ContactRequestView> {
  const message = req.message.trim();
  if (message.length < MESSAGE_MIN || message.length > MESSAGE_MAX) {
    throw cairnetError(
      'CAIRNET_PRESS_REQUEST_INVALID',
      `A contact request needs a message of ${MESSAGE_MIN} to ${MESSAGE_MAX} characters`,
    );
  }
  const contact = HANDLE.test(req.handle) ? await contactByHandle(db, req.handle) : undefined;
  if (!contact) {
    throw cairnetError(
      'CAIRNET_PRESS_CONTACT_NOT_FOUND',
      `No researcher who agreed to be contacted has the handle ${req.handle}`,
    );
  }
  const pending = await db
    .selectFrom('campaign_press_requests')
    .select('id')
    .where('handle', '=', req.handle)
    // A request still "sending" after ten minutes belongs to a process that died mid-send: its
    // fate is unknown, and it must not block the researcher's handle for ever.
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
  if (pending) {
    throw cairnetError(
      'CAIRNET_PRESS_REQUEST_PENDING',
      `${req.handle} has not answered the previous contact request yet`,
    );
  }
  const person = await db
    .selectFrom('campaign_people')
    .select(['email', 'name', 'language', 'survey'])
    .where('id', '=', contact.personId)
    .executeTakeFirstOrThrow();
  const token = newInvitationToken();
  const id = randomUUID();
  const now = new Date().toISOString();
  await db
    .insertInto('campaign_press_requests')
    .values({
      id,
      handle: req.handle,
      person_id: contact.personId,
      requested_by: req.userId,
      message,
      token_hash: tokenHash(token),
      state: 'sending',
      created_at: now,
      sent_at: null,
      answered_at: null,
      shared_at: null,
      error: null,
    })
    .execute();
  await recordAudit(db, { userId: req.userId, action: 'press.request', target: req.handle, detail: id });
  const language = person.language === 'en' ? 'en' : 'fr';
  const mail = renderContactRequest({
    texts: (await pressTexts(db, person.survey))[language],
    language,
    name: person.name,
    message,
    link: `${req.config.publicUrl}/press/answer/${token}`,
  });
  try {
    await withTransport(req.config, req.transport, (t) =>
      t.sendMail({
        from: req.config.from,
        to: { name: person.name ?? '', address: person.email! },
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { 'X-Cairnet-Press-Request': id },
      }),
    );
  } catch (e) {
    await db
      .updateTable('campaign_press_requests')
      .set({ state: 'failed', error: String((e as Error).message ?? e).slice(0, 500) })
      .where('id', '=', id)
      .execute();
    throw cairnetError(
      'CAIRNET_MAIL_UNREACHABLE',
      `The contact request could not be sent: ${(e as Error).message}. Try again later.`,
    );
  }
  const sentAt = new Date().toISOString();
  await db
    .updateTable('campaign_press_requests')
    .set({ state: 'sent', sent_at: sentAt })
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .execute();
  return {
    id,
    handle: req.handle,
    state: 'sent',
    createdAt: now,
    sentAt,
    answeredAt: null,
    sharedAt: null,
    message,
  };
}

/** The requests a press officer sent (every request for an administrator); no personal data. */
export async function listContactRequests(
  db: Kysely<CairnetDatabase>,
  userId: string | null,
): Promise<ContactRequestView[]> {
  let q = db
    .selectFrom('campaign_press_requests')
    .select(['id', 'handle', 'state', 'created_at', 'sent_at', 'answered_at', 'shared_at', 'message']);
  if (userId) q = q.where('requested_by', '=', userId);
  const rows = await q.orderBy('created_at', 'desc').limit(500).execute();
  return rows.map((r) => ({
    id: r.id,
    handle: r.handle,
    state: r.state,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    answeredAt: r.answered_at,
    sharedAt: r.shared_at,
    message: r.message,
  }));
}

/** The request a researcher's answer link belongs to, for the answer page. */
export async function contactRequestByToken(
  db: Kysely<CairnetDatabase>,
  token: string,
): Promise<
  { id: string; state: string; message: string; language: 'fr' | 'en'; survey: string } | undefined
> {
  const row = await db
    .selectFrom('campaign_press_requests as q')
    .innerJoin('campaign_people as p', 'p.id', 'q.person_id')
    .select(['q.id', 'q.state', 'q.message', 'p.language', 'p.survey'])
    .where('q.token_hash', '=', tokenHash(token))
    .where('p.erased_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    state: row.state,
    message: row.message,
    language: row.language === 'en' ? 'en' : 'fr',
    survey: row.survey,
  };
}

/**
 * The researcher's answer. `accept` sends their address (and name) to the press officer who
 * asked, by e-mail; `decline` tells the press office only "declined". The first answer stands;
 * an acceptance whose e-mail failed is sent again when the link is used again. Audited
 * (`press.accept`, `press.decline`, `press.share`), with no user: the researcher acted.
 */
export async function answerContactRequest(
  db: Kysely<CairnetDatabase>,
  a: {
    token: string;
    choice: 'accept' | 'decline';
    /** Read only when an address is to be sent, so a decline never depends on the mail set-up. */
    config: () => MailConfig;
    transport?: MailTransport | undefined;
  },
): Promise<{ state: 'accepted' | 'declined'; shared: boolean } | undefined> {
  const found = await contactRequestByToken(db, a.token);
  if (!found) return undefined;
  const now = new Date().toISOString();
  const state = a.choice === 'accept' ? 'accepted' : 'declined';
  const res = await db
    .updateTable('campaign_press_requests')
    .set({ state, answered_at: now })
    .where('id', '=', found.id)
    .where('state', 'in', ['sending', 'sent', 'failed'])
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 1) {
    await recordAudit(db, { userId: null, action: `press.${a.choice}`, target: found.id });
  }
  const row = await db
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
    .where('q.id', '=', found.id)
    .executeTakeFirstOrThrow();
  if (row.state !== 'accepted') return { state: 'declined', shared: false };
  if (row.shared_at) return { state: 'accepted', shared: true };
  if (!row.email) return { state: 'accepted', shared: false };
  const mail = renderContactShared({
    texts: (await pressTexts(db, row.survey)).en,
    handle: row.handle,
    name: row.name,
    email: row.email,
    message: row.message,
  });
  try {
    const config = a.config();
    await withTransport(config, a.transport, (t) =>
      t.sendMail({
        from: config.from,
        to: row.press_email,
        replyTo: { name: row.name ?? '', address: row.email! },
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { 'X-Cairnet-Press-Request': found.id },
      }),
    );
  } catch (e) {
    await db
      .updateTable('campaign_press_requests')
      .set({ error: String((e as Error).message ?? e).slice(0, 500) })
      .where('id', '=', found.id)
      .execute();
    return { state: 'accepted', shared: false };
  }
  await db
    .updateTable('campaign_press_requests')
    .set({ shared_at: new Date().toISOString(), error: null })
    .where('id', '=', found.id)
    .execute();
  await recordAudit(db, { userId: null, action: 'press.share', target: found.id });
  return { state: 'accepted', shared: true };
}
