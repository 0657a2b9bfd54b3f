import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { deleteCampaignSetting } from '../store/repositories/campaign-settings.js';
import type { CairnetDatabase } from '../store/schema.js';
import { readSettings, writeSetting } from './campaign-settings.js';

/**
 * Closes a survey's campaign: sets `closed_at` (now, or the given date), after which no invitation or
 * reminder is sent (`CAIRNET_CAMPAIGN_CLOSED`) and the retention period starts. Closing again
 * keeps the first date. Personal links keep working, so a person can still finish their answers.
 */
export async function closeCampaign(
  db: Kysely<CairnetDatabase>,
  survey: string,
  at: Date = new Date(),
): Promise<{ closedAt: string; alreadyClosed: boolean }> {
  if (Number.isNaN(at.getTime())) throw cairnetError('CAIRNET_CAMPAIGN_SETTING_INVALID', 'Not a valid date');
  const s = await readSettings(db, survey);
  // A closing date already reached stands; one still to come (set by `campaign set`) is brought forward.
  if (s.closedAt && Date.parse(s.closedAt) <= at.getTime())
    return { closedAt: s.closedAt, alreadyClosed: true };
  const closedAt = at.toISOString();
  await writeSetting(db, survey, 'closed_at', closedAt);
  return { closedAt, alreadyClosed: false };
}

/** Reopens a closed campaign (removes `closed_at`). */
export async function reopenCampaign(db: Kysely<CairnetDatabase>, survey: string): Promise<boolean> {
  return deleteCampaignSetting(db, survey, 'closed_at');
}

/** Refuses to send once the campaign is closed (its `closed_at` has come). */
export function assertOpen(closedAt: string | null, what: string, now: Date = new Date()): void {
  if (closedAt && Date.parse(closedAt) <= now.getTime()) {
    throw cairnetError(
      'CAIRNET_CAMPAIGN_CLOSED',
      `The campaign closed on ${closedAt}: no more ${what} are sent (cairnet campaign reopen to undo)`,
    );
  }
}
