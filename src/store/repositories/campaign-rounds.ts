import type { Kysely } from 'kysely';
import type { CairnetDatabase } from '../schema.js';

export interface CampaignRound {
  id: string;
  kind: string;
  createdAt: string;
  finishedAt: string | null;
}

/** Adds a survey's round unless it exists; true when this call added it. */
export async function insertRound(
  db: Kysely<CairnetDatabase>,
  survey: string,
  id: string,
  kind: string,
): Promise<boolean> {
  const inserted = await db
    .insertInto('campaign_rounds')
    .values({ survey, id, kind, created_at: new Date().toISOString(), finished_at: null })
    .onConflict((oc) => oc.columns(['survey', 'id']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** A survey's rounds, oldest first; of one kind when given. */
export async function listRounds(
  db: Kysely<CairnetDatabase>,
  survey: string,
  kind?: string,
): Promise<CampaignRound[]> {
  const rows = await db
    .selectFrom('campaign_rounds')
    .selectAll()
    .where('survey', '=', survey)
    .$if(kind !== undefined, (q) => q.where('kind', '=', kind!))
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, createdAt: r.created_at, finishedAt: r.finished_at }));
}

export async function markRoundFinished(
  db: Kysely<CairnetDatabase>,
  survey: string,
  id: string,
): Promise<void> {
  await db
    .updateTable('campaign_rounds')
    .set({ finished_at: new Date().toISOString() })
    .where('survey', '=', survey)
    .where('id', '=', id)
    .where('finished_at', 'is', null)
    .execute();
}
