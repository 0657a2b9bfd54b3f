import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { tokenHash } from '../store/canonical-json.js';
import {
  completePersonAnonymously,
  markPersonCompleted,
  markPersonOnce,
  personByTokenHash,
  responseIdBy,
} from '../store/repositories/campaign-people.js';
import type { CairnetDatabase } from '../store/schema.js';
import { readSettings } from './campaign-settings.js';
import { invitationTokenHash, isWellFormedToken } from './invitation-token.js';
import { optedIn } from './press-search.js';

/** A person's invitation as the respondent's API sees it: no name, no address. */
export interface InvitationRef {
  personId: string;
  /** The survey whose campaign sent the link: the one it opens. */
  survey: string;
  /** The pseudonymous id written on the response; null once anonymous mode cut it. */
  pseudonym: string | null;
  completed: boolean;
  language: 'fr' | 'en';
  tokenHash: string;
}

/** The invitation a token belongs to (any message's token: invitation or reminder), if any. */
export async function findInvitation(
  db: Kysely<CairnetDatabase>,
  hash: string,
): Promise<InvitationRef | undefined> {
  const row = await personByTokenHash(db, hash);
  if (!row) return undefined;
  return {
    personId: row.id,
    survey: row.survey,
    pseudonym: row.pseudonym,
    completed: Number(row.completed) === 1,
    language: row.language === 'en' ? 'en' : 'fr',
    tokenHash: hash,
  };
}

const otherSurvey = () =>
  cairnetError('CAIRNET_INVITATION_NOT_FOUND', 'This personal link belongs to another survey');

const alreadyCompleted = () =>
  cairnetError('CAIRNET_RESPONSE_ALREADY_COMPLETED', 'This invitation already has a completed response');

/** What the response route needs to tie a submission to an invitation. */
export interface InvitedSubmission {
  /** The pseudonym to write on the response: none in anonymous mode (press opt-in excepted). */
  invitationId: string | undefined;
  /** The idempotency key to store: hashed, so the stored key never reveals the token. */
  idempotencyKey: string | undefined;
  /**
   * Anonymous mode: the response's completion time is kept at the day and its start time not at
   * all, so that no time of the response can be matched against the campaign's own times.
   */
  anonymous: boolean;
  /** Turns a failed insert into a 409 when it lost the race for this invitation. */
  conflict(e: unknown): Promise<never>;
  /**
   * Anonymous mode: marks the person completed in the response's own transaction (one commit:
   * a second completion of the invitation, whatever the race, rolls back), and removes the
   * person's drafts. Undefined otherwise.
   */
  onStored: ((trx: Kysely<CairnetDatabase>, responseId: string) => Promise<void>) | undefined;
  /**
   * Marks the invitation completed after the insert (not in anonymous mode). Idempotent: true
   * only when this call completed it and made a thank-you due (to send now).
   */
  complete(responseId: string): Promise<boolean>;
}

/**
 * Resolves the invitation of a submission to the survey `instrument` (a link of another survey's
 * campaign is refused, `CAIRNET_INVITATION_NOT_FOUND`): `invitationToken` (must be well formed and known:
 * `CAIRNET_INVITATION_TOKEN_INVALID` / `CAIRNET_INVITATION_NOT_FOUND` otherwise), or else a
 * `resumeToken` that happens to be a personal link's token. Refuses a second completion with
 * `CAIRNET_RESPONSE_ALREADY_COMPLETED` — except the replay of the first one's idempotency key.
 */
export async function prepareInvitedSubmission(
  db: Kysely<CairnetDatabase>,
  instrument: string,
  body: {
    invitationToken?: string | undefined;
    resumeToken?: string | undefined;
    idempotencyKey?: string | undefined;
  },
  answers: Record<string, unknown> = {},
): Promise<InvitedSubmission | undefined> {
  let inv: InvitationRef | undefined;
  if (body.invitationToken !== undefined) {
    inv = await findInvitation(db, invitationTokenHash(body.invitationToken));
    if (!inv) throw cairnetError('CAIRNET_INVITATION_NOT_FOUND', 'This personal link is not valid (anymore)');
  } else if (body.resumeToken !== undefined && isWellFormedToken(body.resumeToken)) {
    inv = await findInvitation(db, tokenHash(body.resumeToken));
  }
  if (!inv) return undefined;
  if (inv.survey !== instrument) throw otherSurvey();
  const ref = inv;
  const key = body.idempotencyKey
    ? `inv:${createHash('sha256').update(body.idempotencyKey).digest('hex')}`
    : undefined;
  if (ref.completed) {
    const replay = key ? await responseIdBy(db, 'idempotency_key', key) : undefined;
    if (!replay) throw alreadyCompleted();
  }
  const settings = await readSettings(db, ref.survey);
  const { anonymous } = settings;
  // Only people who agreed to be contacted by the press keep the link (README, threat model).
  const keepLink = !anonymous || (await optedIn(db, ref.survey, answers));
  // A thank-you is owed for a completion while the campaign is open and its thank-you on.
  const thanksDue = settings.thanks && !(settings.closedAt && Date.parse(settings.closedAt) <= Date.now());
  return {
    invitationId: ref.completed || !keepLink ? undefined : (ref.pseudonym ?? undefined),
    idempotencyKey: key,
    anonymous,
    async conflict(e) {
      const now = await findInvitation(db, ref.tokenHash);
      if (now?.completed) throw alreadyCompleted();
      if (ref.pseudonym && (await responseIdBy(db, 'invitation_id', ref.pseudonym))) throw alreadyCompleted();
      throw e;
    },
    onStored: anonymous ? (trx) => completeAnonymously(trx, ref, keepLink, thanksDue) : undefined,
    async complete(responseId) {
      if (anonymous) return false;
      return (await completeInvitation(db, ref, responseId, thanksDue)) && thanksDue;
    },
  };
}

/** Today (UTC) as `YYYY-MM-DD`: the only time anonymous mode keeps about a person. */
export function utcDay(at: Date = new Date()): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Anonymous completion, inside the response's transaction: the person keeps only "has
 * completed" (and the day of their last change); their pseudonym goes (unless they opted in to
 * press contacts) and so do their drafts, which hold their answers under their link's token.
 * Nothing written here holds a value of the response or a time finer than the day; the row
 * versions the commit leaves behind (SQLite's WAL, PostgreSQL's old tuples and transaction ids)
 * are removed by the next {@link scrubUnlinkedCompletions}.
 */
async function completeAnonymously(
  trx: Kysely<CairnetDatabase>,
  ref: InvitationRef,
  keepLink: boolean,
  thanksDue: boolean,
): Promise<void> {
  if (!(await completePersonAnonymously(trx, ref.personId, ref.pseudonym, keepLink, utcDay(), thanksDue))) {
    throw alreadyCompleted();
  }
}

/**
 * Marks a person as having completed, outside anonymous mode: the flag and the completion time
 * (the response carries the person's pseudonym anyway), and the thank-you owed when `thanksDue`.
 * Anonymous mode completes in the response's own transaction instead (see `completeAnonymously`).
 * True when this call completed them.
 */
export async function completeInvitation(
  db: Kysely<CairnetDatabase>,
  ref: InvitationRef,
  _responseId: string,
  thanksDue: boolean,
): Promise<boolean> {
  return markPersonCompleted(db, ref.personId, new Date().toISOString(), thanksDue);
}

/**
 * For a draft saved under a personal link's token: refuses it once the invitation is completed,
 * marks the person as started, and returns the pseudonym to tie the draft to.
 */
export async function invitationForDraft(
  db: Kysely<CairnetDatabase>,
  instrument: string,
  hash: string,
): Promise<{ invitationId: string | null } | undefined> {
  const inv = await findInvitation(db, hash);
  if (!inv) return undefined;
  if (inv.survey !== instrument) throw otherSurvey();
  if (inv.completed) throw alreadyCompleted();
  // Anonymous mode: the day only, and no pseudonym on the draft (its token already finds it).
  const { anonymous } = await readSettings(db, inv.survey);
  await markPersonOnce(db, inv.personId, 'started_at', anonymous ? utcDay() : new Date().toISOString());
  return { invitationId: anonymous ? null : inv.pseudonym };
}

/**
 * The consent recorded with each response: the campaign's `consent_version` when set, else the
 * questionnaire's version and a hash of its consent text (the `html` elements named `consent…`).
 */
export async function consentRecord(
  db: Kysely<CairnetDatabase>,
  instrument: { name: string; version: number; json: unknown },
): Promise<{ consent: { version: string; textHash: string | null } }> {
  const texts: unknown[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'html' && typeof o.name === 'string' && o.name.startsWith('consent')) texts.push(o.html);
      for (const k of ['pages', 'elements', 'templateElements']) if (k in o) walk(o[k]);
    }
  };
  walk(instrument.json);
  const textHash = texts.length
    ? createHash('sha256').update(JSON.stringify(texts)).digest('hex').slice(0, 16)
    : null;
  const settings = await readSettings(db, instrument.name);
  const version =
    settings.consentVersion ?? `${instrument.name}@${instrument.version}${textHash ? `#${textHash}` : ''}`;
  return { consent: { version, textHash } };
}
