import type { Kysely } from 'kysely';
import { insertRound, listRounds, markRoundFinished } from '../store/repositories/campaign-rounds.js';
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
    if (create) await insertRound(db, survey, INVITATION_ROUND, kind);
    return { id: INVITATION_ROUND, isNew: false };
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const rounds = await listRounds(db, survey, 'reminder');
    const open = rounds.filter((r) => r.finishedAt === null);
    if (open[0]) return { id: open[0].id, isNew: false };
    const id = `reminder-${rounds.length + 1}`;
    if (!create) return { id, isNew: true };
    if (await insertRound(db, survey, id, kind)) return { id, isNew: true };
  }
  throw new Error('Could not open a reminder round (concurrent runs?)');
}

export async function finishRound(db: Kysely<CairnetDatabase>, survey: string, id: string): Promise<void> {
  await markRoundFinished(db, survey, id);
}
