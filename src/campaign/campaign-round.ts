import type { Kysely } from 'kysely';
import type { CairnetDatabase } from '../store/schema.js';
import type { MessageKind } from './mail-templates.js';

/** The one round of invitations of a survey's campaign: everyone is invited once. */
export const INVITATION_ROUND = 'invitation';

/**
 * The round a run sends in. Invitations have a single round. A reminder run resumes the newest
 * reminder round that is not finished (a run stopped by a crash or `--limit`), else opens the
 * next one (`reminder-1`, `reminder-2`, …). With `create: false` (dry runs), nothing is written
 * and the round that would be used is named.
 */
export async function currentRound(
  db: Kysely<CairnetDatabase>,
  survey: string,
  kind: MessageKind,
  create: boolean,
): Promise<{ id: string; isNew: boolean }> {
  if (kind === 'invitation') {
    if (create) {
      await db
        .insertInto('campaign_rounds')
        .values({
          survey,
          id: INVITATION_ROUND,
          kind,
          created_at: new Date().toISOString(),
          finished_at: null,
        })
        .onConflict((oc) => oc.columns(['survey', 'id']).doNothing())
        .execute();
    }
    return { id: INVITATION_ROUND, isNew: false };
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const rounds = await db
      .selectFrom('campaign_rounds')
      .selectAll()
      .where('survey', '=', survey)
      .where('kind', '=', 'reminder')
      .execute();
    const open = rounds
      .filter((r) => r.finished_at === null)
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
    if (open[0]) return { id: open[0].id, isNew: false };
    const id = `reminder-${rounds.length + 1}`;
    if (!create) return { id, isNew: true };
    const inserted = await db
      .insertInto('campaign_rounds')
      .values({ survey, id, kind, created_at: new Date().toISOString(), finished_at: null })
      .onConflict((oc) => oc.columns(['survey', 'id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { id, isNew: true };
  }
  throw new Error('Could not open a reminder round (concurrent runs?)');
}

export async function finishRound(db: Kysely<CairnetDatabase>, survey: string, id: string): Promise<void> {
  await db
    .updateTable('campaign_rounds')
    .set({ finished_at: new Date().toISOString() })
    .where('survey', '=', survey)
    .where('id', '=', id)
    .where('finished_at', 'is', null)
    .execute();
}
