import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { CairnetDatabase } from '../schema.js';

let lastCleanup = 0;

/**
 * Counts one open submission (a completion or a new draft without a personal link) of a client
 * address in the current minute and returns the minute's count so far. The count lives in the
 * database, so several app servers share it. The address is stored as a hash only, and rows of
 * minutes already past are deleted (at most every 30 s per server).
 */
export async function countOpenSubmission(
  db: Kysely<CairnetDatabase>,
  address: string,
  now: Date = new Date(),
): Promise<number> {
  const minute = now.toISOString().slice(0, 16);
  const key = createHash('sha256').update(`cairnet-open-submit:${address}`).digest('hex');
  const row = await db
    .insertInto('open_submit_counts')
    .values({ address_key: key, minute, n: 1 })
    .onConflict((oc) =>
      oc.columns(['address_key', 'minute']).doUpdateSet({ n: sql`open_submit_counts.n + 1` }),
    )
    .returning('n')
    .executeTakeFirstOrThrow();
  if (now.getTime() - lastCleanup > 30_000) {
    lastCleanup = now.getTime();
    await db.deleteFrom('open_submit_counts').where('minute', '<', minute).execute();
  }
  return Number(row.n);
}
