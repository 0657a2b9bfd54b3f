import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { tokenHash } from '../store/canonical-json.js';
import { recordIntent, recordMessageFailure, recordSent } from '../store/repositories/campaign-messages.js';
import {
  claimThanks,
  dropSurveyThanks,
  dropUnreachableThanks,
  markStaleThanksUncertain,
  surveysOwingThanks,
  surveysWithThanks,
  THANKS_ROUND,
  type ThanksWindow,
  thanksRecipients,
} from '../store/repositories/campaign-thanks.js';
import type { CairnetDatabase } from '../store/schema.js';
import { readSettings } from './campaign-settings.js';
import { utcDay } from './invitation-link.js';
import { newInvitationToken } from './invitation-token.js';
import type { MailConfig } from './mail-config.js';
import { renderMail } from './mail-templates.js';
import { type LanguageMessages, resolveMessages } from './message-texts.js';
import { createTransport, type MailTransport, type Recipient, recordFailure } from './send-campaign.js';

export interface ThanksOptions {
  /** Read only when a thank-you is ready: a missing configuration leaves them owed. */
  config: () => MailConfig;
  /** Defaults to nodemailer over `config.smtpUrl`. */
  transport?: MailTransport | undefined;
  /** The clock (tests move it to the next day). */
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Asked before each person: true ends the run there. */
  shouldStop?: () => boolean;
  /** A thank-you refused for now (4xx) is tried again this long after (10 minutes) … */
  retryAfterMs?: number;
  /** … for this long after it was first written (2 days). */
  retryForMs?: number;
  /** A thank-you still `sending` this long after its attempt belongs to a dead run (10 minutes). */
  staleAfterMs?: number;
}

export interface ThanksReport {
  sent: number;
  /** Refused for good (5xx to the address): the person is marked undeliverable. */
  failed: number;
  /** Refused for now (4xx), or the SMTP server could not be reached: tried again later. */
  retryLater: number;
  /** The connection broke without an answer: maybe delivered, never resent. */
  uncertain: number;
  /** Owed thank-yous forgotten: opted out, undeliverable or erased since, switched off, campaign closed. */
  dropped: number;
}

/**
 * Sends the thank-yous that are ready (src/store/repositories/campaign-thanks.ts says which), at
 * most once per person: each is claimed in one transaction (the person's "owed" flag cleared, a
 * message row `sending` written, unique per person in the round `thanks`) before the SMTP
 * exchange, then marked `sent`; a crash in between leaves it `sending`, then `uncertain`, never
 * resent. A 5xx refusal of the address marks the person undeliverable; a 4xx, or a server that
 * cannot be reached, leaves it `retry`. The survey's wording, in the person's language, paced at
 * the survey's `rate_per_minute`; each survey's ready thank-yous go out in a random order (in
 * anonymous mode a day's completions together, so their order tells nothing).
 *
 * An unreachable SMTP server stops the run (`CAIRNET_MAIL_UNREACHABLE`); what was not claimed
 * stays owed for the next run.
 */
export async function sendDueThanks(db: Kysely<CairnetDatabase>, opts: ThanksOptions): Promise<ThanksReport> {
  const now = opts.now?.() ?? new Date();
  const window: ThanksWindow = {
    today: utcDay(now),
    retryBefore: new Date(now.getTime() - (opts.retryAfterMs ?? 10 * 60_000)).toISOString(),
    retrySince: new Date(now.getTime() - (opts.retryForMs ?? 2 * 86_400_000)).toISOString(),
  };
  const report: ThanksReport = { sent: 0, failed: 0, retryLater: 0, uncertain: 0, dropped: 0 };
  const stale = new Date(now.getTime() - (opts.staleAfterMs ?? 10 * 60_000)).toISOString();
  report.uncertain += await markStaleThanksUncertain(db, stale);
  report.dropped += await dropUnreachableThanks(db);
  // A survey switched off or closed forgets what it owes, ready or not.
  for (const survey of await surveysOwingThanks(db)) {
    if (!(await thanksAllowed(db, survey, now))) report.dropped += await dropSurveyThanks(db, survey);
  }
  for (const survey of await surveysWithThanks(db, window)) {
    if (opts.shouldStop?.()) break;
    if (!(await thanksAllowed(db, survey, now))) continue;
    await sendSurveyThanks(db, survey, window, opts, report);
  }
  return report;
}

/** Whether a survey thanks its respondents now: its `thanks` setting on and its campaign open. */
async function thanksAllowed(db: Kysely<CairnetDatabase>, survey: string, now: Date): Promise<boolean> {
  const s = await readSettings(db, survey);
  return s.thanks && !(s.closedAt !== null && Date.parse(s.closedAt) <= now.getTime());
}

/** Fisher–Yates with the system's random numbers: no order of the completions survives. */
function shuffled<T>(items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

async function sendSurveyThanks(
  db: Kysely<CairnetDatabase>,
  survey: string,
  window: ThanksWindow,
  opts: ThanksOptions,
  report: ThanksReport,
): Promise<void> {
  const rows = shuffled(await thanksRecipients(db, survey, window));
  if (rows.length === 0) return;
  const config = opts.config();
  const { messages } = await resolveMessages(db, survey);
  const { ratePerMinute } = await readSettings(db, survey);
  const interval = ratePerMinute > 0 ? 60_000 / ratePerMinute : 0;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const transport = opts.transport ?? createTransport(config);
  try {
    if (transport.verify) {
      try {
        await transport.verify();
      } catch (e) {
        throw cairnetError(
          'CAIRNET_MAIL_UNREACHABLE',
          `Cannot reach the SMTP server: ${(e as Error).message}`,
        );
      }
    }
    let last = 0;
    for (const row of rows) {
      if (opts.shouldStop?.()) return;
      const wait = last + interval - Date.now();
      if (last > 0 && wait > 0) await sleep(wait);
      last = Date.now();
      const r: Recipient = { ...row, language: row.language === 'en' ? 'en' : 'fr' };
      await sendOneThanks(db, r, messages[r.language], config, transport, report);
    }
  } finally {
    if (!opts.transport) transport.close?.();
  }
}

/** Claims, sends and records one thank-you; throws `CAIRNET_MAIL_UNREACHABLE` to stop the run. */
async function sendOneThanks(
  db: Kysely<CairnetDatabase>,
  r: Recipient,
  messages: LanguageMessages,
  config: MailConfig,
  transport: MailTransport,
  report: ThanksReport,
): Promise<void> {
  const token = newInvitationToken();
  const hash = tokenHash(token);
  const messageId = r.retryMessageId
    ? await recordIntent(db, r, 'thanks', THANKS_ROUND, hash)
    : await claimThanks(db, r.personId, hash);
  if (!messageId) return; // another worker took them, or they are no longer to be thanked
  const optOut = `${config.publicUrl}/optout/${token}`;
  const mail = renderMail({
    messages,
    kind: 'thanks',
    language: r.language,
    name: r.name,
    link: '',
    optOutLink: optOut,
  });
  let response: string | undefined;
  try {
    const info = await transport.sendMail({
      from: config.from,
      to: { name: r.name ?? '', address: r.email },
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: {
        'List-Unsubscribe': `<${optOut}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'X-Cairnet-Message': messageId,
      },
    });
    response = info.response;
  } catch (e) {
    await thanksFailure(db, messageId, r.personId, e, report);
    return;
  }
  await recordSent(db, messageId, r.personId, 'thanks', response ?? null);
  report.sent++;
}

/**
 * Records a failed exchange (see `recordFailure`). A server that cannot be reached (refused while
 * connecting: nothing left, so safe to try again: `retry`), breaks off (`uncertain`) or refuses
 * the message itself stops the run.
 */
async function thanksFailure(
  db: Kysely<CairnetDatabase>,
  messageId: string,
  personId: string,
  e: unknown,
  report: ThanksReport,
): Promise<void> {
  const err = e as { message?: string; syscall?: string; code?: string; originalCode?: string };
  const message = String(err.message ?? e).slice(0, 500);
  let outcome: 'failed' | 'retry' | 'refused' | 'uncertain' | 'unreachable';
  // Refused while connecting (no message left): nodemailer keeps the system's code and call.
  if (err.syscall === 'connect' || (err.originalCode ?? err.code) === 'ECONNREFUSED') {
    await recordMessageFailure(db, messageId, personId, 'retry', message);
    outcome = 'unreachable';
  } else outcome = await recordFailure(db, messageId, personId, e);
  if (outcome === 'failed') report.failed++;
  else if (outcome === 'uncertain') report.uncertain++;
  else report.retryLater++;
  if (outcome === 'retry' || outcome === 'failed') return;
  throw cairnetError('CAIRNET_MAIL_UNREACHABLE', `The SMTP server failed (${outcome}): ${message}`);
}
