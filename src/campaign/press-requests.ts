import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { tokenHash } from '../store/canonical-json.js';
import {
  answerPressRequest,
  hasPendingRequest,
  insertPressRequest,
  listPressRequests,
  markPressRequestSent,
  markPressRequestShared,
  pressRecipient,
  pressRequestByTokenHash,
  pressRequestForSharing,
} from '../store/repositories/press.js';
import { recordAudit } from '../store/repositories/users.js';
import type { CairnetDatabase } from '../store/schema.js';
import { newInvitationToken } from './invitation-token.js';
import type { MailConfig } from './mail-config.js';
import { renderContactRequest, renderContactShared } from './press-mail.js';
import { contactByHandle } from './press-search.js';
import { pressTexts } from './press-texts.js';
import { createTransport, type MailTransport } from './send-campaign.js';

/** A contact request as the press office sees it: never the respondent's address or name. */
export interface ContactRequestView {
  id: string;
  handle: string;
  /** The survey the respondent answered. */
  survey: string;
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
 * Relays a press officer's contact request to the respondent behind a handle, by e-mail, with a
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
      `No respondent who agreed to be contacted has the handle ${req.handle}`,
    );
  }
  if (await hasPendingRequest(db, req.handle)) {
    throw cairnetError(
      'CAIRNET_PRESS_REQUEST_PENDING',
      `${req.handle} has not answered the previous contact request yet`,
    );
  }
  const person = await pressRecipient(db, contact.personId);
  const token = newInvitationToken();
  const id = randomUUID();
  const now = new Date().toISOString();
  await insertPressRequest(db, {
    id,
    handle: req.handle,
    personId: contact.personId,
    userId: req.userId,
    message,
    tokenHash: tokenHash(token),
    at: now,
  });
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
    await markPressRequestSent(db, id, { error: String((e as Error).message ?? e) });
    throw cairnetError(
      'CAIRNET_MAIL_UNREACHABLE',
      `The contact request could not be sent: ${(e as Error).message}. Try again later.`,
    );
  }
  const sentAt = new Date().toISOString();
  await markPressRequestSent(db, id, { sentAt });
  return {
    id,
    handle: req.handle,
    survey: person.survey,
    state: 'sent',
    createdAt: now,
    sentAt,
    answeredAt: null,
    sharedAt: null,
    message,
  };
}

/** The requests a press officer sent (every request for an administrator), of one survey or all; no personal data. */
export async function listContactRequests(
  db: Kysely<CairnetDatabase>,
  userId: string | null,
  survey: string | null = null,
): Promise<ContactRequestView[]> {
  const rows = await listPressRequests(db, { userId, survey });
  return rows.map((r) => ({
    id: r.id,
    handle: r.handle,
    survey: r.survey,
    state: r.state,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    answeredAt: r.answered_at,
    sharedAt: r.shared_at,
    message: r.message,
  }));
}

/** The request a respondent's answer link belongs to, for the answer page. */
export async function contactRequestByToken(
  db: Kysely<CairnetDatabase>,
  token: string,
): Promise<
  { id: string; state: string; message: string; language: 'fr' | 'en'; survey: string } | undefined
> {
  const row = await pressRequestByTokenHash(db, tokenHash(token));
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
 * The respondent's answer. `accept` sends their address (and name) to the press officer who
 * asked, by e-mail; `decline` tells the press office only "declined". The first answer stands;
 * an acceptance whose e-mail failed is sent again when the link is used again. Audited
 * (`press.accept`, `press.decline`, `press.share`), with no user: the respondent acted.
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
  if (await answerPressRequest(db, found.id, state, now)) {
    await recordAudit(db, { userId: null, action: `press.${a.choice}`, target: found.id });
  }
  const row = await pressRequestForSharing(db, found.id);
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
    await markPressRequestShared(db, found.id, { error: String((e as Error).message ?? e) });
    return { state: 'accepted', shared: false };
  }
  await markPressRequestShared(db, found.id, { sharedAt: new Date().toISOString() });
  await recordAudit(db, { userId: null, action: 'press.share', target: found.id });
  return { state: 'accepted', shared: true };
}
