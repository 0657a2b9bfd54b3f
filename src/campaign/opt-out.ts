import type { Kysely } from 'kysely';
import { markPersonOnce, moveDraftToToken } from '../store/repositories/campaign-people.js';
import type { CairnetDatabase } from '../store/schema.js';
import { readSettings } from './campaign-settings.js';
import { findInvitation, utcDay } from './invitation-link.js';

/**
 * Records that the person behind a message token wants no more messages about this survey: the
 * opt-out is per survey (the person's row in that survey's population); the same address in
 * another survey's population still gets that survey's messages. Idempotent. Returns the survey.
 */
export async function optOut(db: Kysely<CairnetDatabase>, hash: string): Promise<string | undefined> {
  const inv = await findInvitation(db, hash);
  if (!inv) return undefined;
  await markPersonOnce(db, inv.personId, 'opted_out_at', new Date().toISOString());
  return inv.survey;
}

/**
 * Records that a personal link was opened, and brings the person's draft under this link's
 * token (each message carries its own token; the draft follows the newest link used).
 */
export async function recordOpened(
  db: Kysely<CairnetDatabase>,
  hash: string,
): Promise<{ survey: string; language: 'fr' | 'en'; completed: boolean } | undefined> {
  const inv = await findInvitation(db, hash);
  if (!inv) return undefined;
  // Anonymous mode keeps the day only: a time could be matched against a response's.
  const { anonymous } = await readSettings(db, inv.survey);
  await markPersonOnce(db, inv.personId, 'opened_at', anonymous ? utcDay() : new Date().toISOString());
  if (!inv.completed) await moveDraftToToken(db, inv.personId, hash);
  return { survey: inv.survey, language: inv.language, completed: inv.completed };
}
