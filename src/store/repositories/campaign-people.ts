import type { Kysely } from 'kysely';
import type { CairnetDatabase } from '../schema.js';

/** Whether a survey's population holds anyone not erased. */
export async function hasPopulation(db: Kysely<CairnetDatabase>, survey: string): Promise<boolean> {
  const someone = await db
    .selectFrom('campaign_people')
    .select('id')
    .where('survey', '=', survey)
    .where('erased_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return someone !== undefined;
}
