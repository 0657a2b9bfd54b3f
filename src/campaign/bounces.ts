import type { Kysely } from 'kysely';
import { markBounced, personDeliveryState, surveyMessage } from '../store/repositories/campaign-people.js';
import type { CairnetDatabase } from '../store/schema.js';
import { emailKey, normaliseEmail } from './email-address.js';

/** One recipient of a delivery status notification (RFC 3464). */
export interface BouncedRecipient {
  address: string;
  /** failed, delayed, delivered, relayed, expanded */
  action: string;
  /** The enhanced status code, e.g. 5.1.1. */
  status: string;
  diagnostic: string | null;
}

/** What a returned message says: its recipients and, when the original's headers came back, our message id. */
export interface DeliveryReport {
  messageId: string | null;
  recipients: BouncedRecipient[];
}

function unfold(s: string): string {
  return s.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ');
}

function field(block: string, name: string): string | null {
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(block);
  return m?.[1]?.trim() ?? null;
}

/**
 * Reads a delivery status notification: the `message/delivery-status` part's per-recipient
 * fields, and the `X-Cairnet-Message` header of the returned original (our id of the message),
 * if the reporting server sent the headers back. Returns null for a message that is not a DSN.
 */
export function parseDeliveryReport(raw: string): DeliveryReport | null {
  const text = unfold(raw);
  const start = text.search(/^content-type:[ \t]*message\/delivery-status/im);
  if (start < 0) return null;
  const afterHeaders = text.indexOf('\n\n', start);
  if (afterHeaders < 0) return null;
  const rest = text.slice(afterHeaders + 2);
  const end = rest.search(/^--/m);
  const status = end < 0 ? rest : rest.slice(0, end);
  // The first block is per-message; each following one is per-recipient.
  const recipients: BouncedRecipient[] = [];
  for (const block of status.split(/\n\s*\n/)) {
    const recipient = field(block, 'Final-Recipient') ?? field(block, 'Original-Recipient');
    const action = field(block, 'Action');
    if (!recipient || !action) continue;
    const address = recipient.includes(';') ? recipient.slice(recipient.indexOf(';') + 1).trim() : recipient;
    recipients.push({
      address: address.replace(/^<|>$/g, ''),
      action: action.toLowerCase(),
      status: field(block, 'Status') ?? '',
      diagnostic: field(block, 'Diagnostic-Code'),
    });
  }
  const id = /^X-Cairnet-Message:[ \t]*([0-9a-f-]{36})[ \t]*$/im.exec(text.slice(afterHeaders));
  return { messageId: id?.[1] ?? null, recipients };
}

export interface BounceReport {
  files: number;
  /** Files that are not delivery status notifications. */
  notReports: number;
  /** People newly marked undeliverable. */
  undeliverable: number;
  /** Permanent failures about people already undeliverable (or erased). */
  alreadyKnown: number;
  /** Temporary failures (4.x.x) and other actions: nothing changes. */
  ignored: number;
  /** Failed recipients that match no one in the population. */
  unknown: string[];
}

/**
 * Applies delivery reports that arrived after sending a survey's messages (bounces; only that
 * survey's population is looked at): a permanent failure (`Action:
 * failed`, status 5.x.x) marks the person undeliverable — never written to again — and their
 * message `failed`, as a refusal during the SMTP exchange does. The person is found by our
 * message id when the original's headers came back, else by the failed address. A temporary
 * failure changes nothing. With `dryRun`, only reports.
 */
export async function applyDeliveryReports(
  db: Kysely<CairnetDatabase>,
  survey: string,
  reports: (DeliveryReport | null)[],
  opts: { dryRun?: boolean } = {},
): Promise<BounceReport> {
  const out: BounceReport = {
    files: reports.length,
    notReports: 0,
    undeliverable: 0,
    alreadyKnown: 0,
    ignored: 0,
    unknown: [],
  };
  const now = new Date().toISOString();
  for (const r of reports) {
    if (!r) {
      out.notReports++;
      continue;
    }
    for (const rcpt of r.recipients) {
      if (rcpt.action !== 'failed' || !rcpt.status.startsWith('5')) {
        out.ignored++;
        continue;
      }
      const message = r.messageId ? await surveyMessage(db, survey, r.messageId) : undefined;
      const person = await personDeliveryState(
        db,
        survey,
        message ? { id: message.person_id } : { key: emailKey(normaliseEmail(rcpt.address)) },
      );
      if (!person) {
        out.unknown.push(rcpt.address);
        continue;
      }
      if (person.undeliverable_at || person.erased_at) {
        out.alreadyKnown++;
        continue;
      }
      out.undeliverable++;
      if (opts.dryRun) continue;
      const reason = `bounce ${rcpt.status}${rcpt.diagnostic ? `: ${rcpt.diagnostic}` : ''}`.slice(0, 200);
      await markBounced(db, person.id, message?.id, reason, now);
    }
  }
  return out;
}
