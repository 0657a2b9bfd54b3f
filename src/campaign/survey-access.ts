import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { hasPopulation } from '../store/repositories/campaign-people.js';
import { readCampaignSetting } from '../store/repositories/campaign-settings.js';
import type { CairnetDatabase } from '../store/schema.js';
import { writeSetting } from './campaign-settings.js';

/**
 * Who may answer a survey: `invitation` (only through a personal link) or `open` (anyone with
 * the open link). A survey with a population (once people are imported into its campaign) is
 * invitation-only unless declared open; any other survey is open unless declared
 * invitation-only. Stored as the survey's campaign setting `access`.
 */
export type SurveyAccess = 'invitation' | 'open';

export const ACCESS_VALUES: readonly SurveyAccess[] = ['invitation', 'open'];

/** The access of a survey: as declared, else `invitation` when it has a population. */
export async function surveyAccess(db: Kysely<CairnetDatabase>, instrument: string): Promise<SurveyAccess> {
  const declared = await readCampaignSetting(db, instrument, 'access');
  if (declared === 'open' || declared === 'invitation') return declared;
  return (await hasPopulation(db, instrument)) ? 'invitation' : 'open';
}

/** Declares a survey open or invitation-only (`cairnet campaign set access open|invitation`). */
export async function setSurveyAccess(
  db: Kysely<CairnetDatabase>,
  instrument: string,
  value: string,
): Promise<void> {
  if (!(ACCESS_VALUES as readonly string[]).includes(value)) {
    throw cairnetError(
      'CAIRNET_CAMPAIGN_SETTING_INVALID',
      `"${value}" is not a valid value for access (open or invitation)`,
    );
  }
  await writeSetting(db, instrument, 'access', value);
}
