import type { Kysely } from 'kysely';
import type { CairnetDatabase } from '../schema.js';

/**
 * Whether a stored message (invitation or reminder) carries this token's hash: the opt-out page
 * asks its question only for a link Cairnet sent (an erased person's messages are gone).
 */
export async function isKnownMessageToken(db: Kysely<CairnetDatabase>, hash: string): Promise<boolean> {
  const message = await db
    .selectFrom('campaign_messages')
    .select('id')
    .where('token_hash', '=', hash)
    .executeTakeFirst();
  return message !== undefined;
}
