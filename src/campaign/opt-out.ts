import type { Kysely } from 'kysely';
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
  const now = new Date().toISOString();
  await db
    .updateTable('campaign_people')
    .set({ opted_out_at: now, updated_at: now })
    .where('id', '=', inv.personId)
    .where('opted_out_at', 'is', null)
    .execute();
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
  const now = anonymous ? utcDay() : new Date().toISOString();
  await db
    .updateTable('campaign_people')
    .set({ opened_at: now })
    .where('id', '=', inv.personId)
    .where('opened_at', 'is', null)
    .execute();
  if (!inv.completed) {
    await db.transaction().execute(async (trx) => {
      const here = await trx
        .selectFrom('drafts')
        .select('token_hash')
        .where('token_hash', '=', hash)
        .executeTakeFirst();
      if (here) return;
      const hashes = trx
        .selectFrom('campaign_messages')
        .select('token_hash')
        .where('person_id', '=', inv.personId);
      const latest = await trx
        .selectFrom('drafts')
        .select('token_hash')
        .where('token_hash', 'in', hashes)
        .where('completed_response_id', 'is', null)
        .orderBy('updated_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (latest) {
        await trx
          .updateTable('drafts')
          .set({ token_hash: hash })
          .where('token_hash', '=', latest.token_hash)
          .execute();
      }
    });
  }
  return { survey: inv.survey, language: inv.language, completed: inv.completed };
}
