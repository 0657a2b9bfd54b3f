import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import { cairnetError } from '../errors.js';
import { tokenHash } from '../store/canonical-json.js';
import {
  markSendingUncertain,
  recordIntent,
  recordMessageFailure,
  recordSent,
  selectRecipients,
} from '../store/repositories/campaign-messages.js';
import type { CairnetDatabase } from '../store/schema.js';
import { currentRound, finishRound, INVITATION_ROUND } from './campaign-round.js';
import { checkSurveyName, readSettings } from './campaign-settings.js';
import { assertOpen } from './close-campaign.js';
import { newInvitationToken } from './invitation-token.js';
import type { MailConfig } from './mail-config.js';
import { type MessageKind, renderMail } from './mail-templates.js';
import { resolveMessages } from './message-texts.js';
import type { Language } from './population-import.js';

/** What a transport must do: nodemailer's `Transporter` fits. */
export interface MailTransport {
  sendMail(mail: Record<string, unknown>): Promise<{ response?: string; messageId?: string }>;
  verify?(): Promise<unknown>;
  close?(): void;
}

export interface SendOptions {
  kind: MessageKind;
  config: MailConfig;
  dryRun?: boolean | undefined;
  /** Send to at most this many people in this run. */
  limit?: number | undefined;
  /** Messages a minute (default: the campaign's `rate_per_minute`, else 60). */
  ratePerMinute?: number | undefined;
  /** Also send to people whose earlier message is "uncertain" (see below): at-least-once for them. */
  resendUncertain?: boolean | undefined;
  /** A message still "sending" this long after its attempt belongs to a dead run: it becomes "uncertain". */
  staleAfterMs?: number | undefined;
  /** Defaults to nodemailer over `config.smtpUrl`. */
  transport?: MailTransport | undefined;
  /** Test seams: called around each SMTP exchange (a throw there simulates a crash). */
  hooks?: {
    beforeSend?: (n: number) => void | Promise<void>;
    afterAccepted?: (n: number) => void | Promise<void>;
  };
  sleep?: (ms: number) => Promise<void>;
  /** Asked before each person, before anything is written: true ends the run there ("stopped"). */
  shouldStop?: () => boolean;
  /** Told the report once the recipients are known and after each person (a job's progress). */
  onProgress?: (report: SendReport) => void | Promise<void>;
}

export interface Recipient {
  personId: string;
  email: string;
  name: string | null;
  language: Language;
  /** The message row to reuse (a transient failure or an uncertain message being resent). */
  retryMessageId: string | null;
}

export interface SendReport {
  kind: MessageKind;
  round: string;
  dryRun: boolean;
  eligible: number;
  sent: number;
  /** Refused for good by the SMTP server (5xx): the person is marked undeliverable. */
  failed: number;
  /** Refused for now (4xx): sent again by the next run. */
  retryLater: number;
  /** The connection broke without an answer: maybe delivered, never resent blindly. */
  uncertain: number;
  /** People left for a later run (limit reached or the run stopped). */
  remaining: number;
  stopped: string | null;
  /** Dry runs only: who would receive what. */
  preview?: { email: string; language: Language; subject: string }[];
  /** Dry runs only: the first message as it would be sent (a placeholder token in its links). */
  sample?: { to: string; subject: string; text: string; html: string };
}

/**
 * Sends a round of a survey's invitations or reminders (to that survey's population only),
 * paced and resumable, at most once per person and round.
 *
 * Before each SMTP exchange a message row is written in state `sending` (with the hash of the
 * message's fresh token); a unique (person, round) constraint means no two runs ever pick the
 * same person. Once the server accepts the message (250 after DATA) the row becomes `sent`. A
 * 5xx refusal marks the person undeliverable (`failed`); a 4xx one leaves the row in `retry`,
 * which the next run sends again. When the connection breaks without an answer, or the process
 * dies between the server's acceptance and the `sent` mark, the message may or may not have
 * been delivered: it stays `sending`, then `uncertain`, and is **not resent automatically**.
 * This is the at-most-once choice: a duplicate personal invitation is visible and costly in
 * trust, while a lost one is recovered by the next reminder round (which also goes to people
 * whose invitation is uncertain) or, on the operator's decision, by `--resend-uncertain`.
 */
export async function sendRound(
  db: Kysely<CairnetDatabase>,
  survey: string,
  opts: SendOptions,
): Promise<SendReport> {
  const settings = await readSettings(db, checkSurveyName(survey));
  assertOpen(settings.closedAt, opts.kind === 'invitation' ? 'invitations' : 'reminders');
  const rate = opts.ratePerMinute ?? settings.ratePerMinute;
  const interval = rate > 0 ? 60_000 / rate : 0;
  const dryRun = opts.dryRun === true;
  // the survey's wording: as the team edited it, else its files', else the neutral one
  const { messages } = await resolveMessages(db, survey);
  const round = await currentRound(db, survey, opts.kind, !dryRun);
  if (!dryRun) await markStale(db, survey, opts.staleAfterMs ?? 10 * 60_000);
  const all = await eligibleRecipients(db, survey, opts.kind, round.id, opts.resendUncertain === true);
  const batch = opts.limit !== undefined ? all.slice(0, Math.max(0, opts.limit)) : all;
  const report: SendReport = {
    kind: opts.kind,
    round: round.id,
    dryRun,
    eligible: all.length,
    sent: 0,
    failed: 0,
    retryLater: 0,
    uncertain: 0,
    remaining: all.length,
    stopped: null,
  };
  const linkBase = opts.config.publicUrl;
  if (dryRun) {
    report.preview = batch.map((r) => ({
      email: r.email,
      language: r.language,
      subject: renderMail({
        messages: messages[r.language],
        kind: opts.kind,
        language: r.language,
        name: r.name,
        link: '',
        optOutLink: '',
      }).subject,
    }));
    const first = batch[0];
    if (first) {
      const m = renderMail({
        messages: messages[first.language],
        kind: opts.kind,
        language: first.language,
        name: first.name,
        link: `${linkBase}/i/PERSONAL-TOKEN`,
        optOutLink: `${linkBase}/optout/PERSONAL-TOKEN`,
      });
      report.sample = { to: first.email, ...m };
    }
    return report;
  }

  const transport = opts.transport ?? createTransport(opts.config);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  try {
    if (batch.length > 0 && transport.verify) {
      try {
        await transport.verify();
      } catch (e) {
        throw cairnetError(
          'CAIRNET_MAIL_UNREACHABLE',
          `Cannot reach the SMTP server: ${(e as Error).message}`,
          report,
        );
      }
    }
    let n = 0;
    let last = 0;
    await opts.onProgress?.(report);
    for (const r of batch) {
      const wait = last + interval - Date.now();
      if (n > 0 && wait > 0) await sleep(wait);
      if (opts.shouldStop?.()) {
        report.stopped = 'stopped';
        break;
      }
      last = Date.now();
      const token = newInvitationToken();
      const messageId = await recordIntent(db, r, opts.kind, round.id, tokenHash(token));
      if (!messageId) {
        report.remaining--;
        await opts.onProgress?.(report);
        continue; // another run took this person
      }
      await opts.hooks?.beforeSend?.(n);
      const mail = renderMail({
        messages: messages[r.language],
        kind: opts.kind,
        language: r.language,
        name: r.name,
        link: `${linkBase}/i/${token}`,
        optOutLink: `${linkBase}/optout/${token}`,
      });
      let info: { response?: string };
      try {
        info = await transport.sendMail({
          from: opts.config.from,
          to: { name: r.name ?? '', address: r.email },
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: {
            'List-Unsubscribe': `<${linkBase}/optout/${token}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            'X-Cairnet-Message': messageId,
          },
        });
      } catch (e) {
        const outcome = await recordFailure(db, messageId, r.personId, e);
        report.remaining--;
        if (outcome === 'failed') report.failed++;
        else if (outcome === 'retry') report.retryLater++;
        if (outcome === 'failed' || outcome === 'retry') await opts.onProgress?.(report);
        else if (outcome === 'refused') {
          report.retryLater++;
          report.stopped = `the SMTP server refused the message: ${(e as Error).message}`;
          throw cairnetError(
            'CAIRNET_MAIL_UNREACHABLE',
            `The SMTP server refused a message (not its recipient) after ${report.sent} message(s): ${(e as Error).message}. Nothing was sent twice; fix the cause and run again.`,
            report,
          );
        } else {
          report.uncertain++;
          report.stopped = `the SMTP connection broke: ${(e as Error).message}`;
          throw cairnetError(
            'CAIRNET_MAIL_UNREACHABLE',
            `The SMTP server dropped the connection after ${report.sent} message(s); the message in flight is recorded as uncertain and will not be resent blindly. Run again to continue.`,
            report,
          );
        }
        n++;
        continue;
      }
      await opts.hooks?.afterAccepted?.(n);
      await recordSent(db, messageId, r.personId, opts.kind, info.response ?? null);
      report.sent++;
      report.remaining--;
      await opts.onProgress?.(report);
      n++;
    }
    if (opts.kind === 'reminder' && report.remaining === 0) await finishRound(db, survey, round.id);
    if (report.remaining > 0 && !report.stopped) report.stopped = 'limit reached';
    return report;
  } finally {
    if (!opts.transport) transport.close?.();
  }
}

/** nodemailer over `config.smtpUrl`, with the timeouts every campaign message uses. */
export function createTransport(config: MailConfig): MailTransport {
  return nodemailer.createTransport({
    url: config.smtpUrl,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  }) as unknown as MailTransport;
}

/** Who this round goes to: reachable people of the survey without a message in it (or with one to retry). */
export async function eligibleRecipients(
  db: Kysely<CairnetDatabase>,
  survey: string,
  kind: MessageKind,
  roundId: string,
  resendUncertain: boolean,
): Promise<Recipient[]> {
  const rows = await selectRecipients(
    db,
    survey,
    roundId,
    resendUncertain ? ['retry', 'uncertain'] : ['retry'],
    kind === 'reminder' ? INVITATION_ROUND : undefined,
  );
  return rows.map((r) => ({ ...r, language: r.language === 'en' ? 'en' : 'fr' }));
}

/**
 * Classifies an SMTP failure and records it: `failed` (5xx to the recipient), `retry` (4xx),
 * `refused` (5xx to anything else: recorded `retry`) or `uncertain` (no answer).
 */
export async function recordFailure(
  db: Kysely<CairnetDatabase>,
  messageId: string,
  personId: string,
  e: unknown,
): Promise<'failed' | 'retry' | 'refused' | 'uncertain'> {
  const err = e as { responseCode?: number; message?: string; response?: string; command?: string };
  const code = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  // A 5xx on RCPT TO is about this address; a 5xx elsewhere (sender, content) is about the run.
  const outcome =
    code === undefined
      ? 'uncertain'
      : code < 500
        ? 'retry'
        : String(err.command ?? '').startsWith('RCPT')
          ? 'failed'
          : 'refused';
  const message = String(err.response ?? err.message ?? e).slice(0, 500);
  await recordMessageFailure(db, messageId, personId, outcome === 'refused' ? 'retry' : outcome, message);
  return outcome;
}

/** Messages left "sending" by a run that died: their fate is unknown, so they become "uncertain". */
async function markStale(db: Kysely<CairnetDatabase>, survey: string, staleAfterMs: number): Promise<void> {
  const before = new Date(Date.now() - staleAfterMs).toISOString();
  await markSendingUncertain(db, survey, before, 'in flight when a run stopped; delivery unknown', {
    inclusive: true,
  });
}
