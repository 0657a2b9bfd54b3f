import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import type { CairnetDatabase } from '../store/schema.js';
import { readSettings } from './campaign-settings.js';

/**
 * Who may answer a survey: `invitation` (only through a personal link) or `open` (anyone with
 * the open link). A survey with a population (the campaign's instrument, once people are
 * imported) is invitation-only unless declared open; any other survey is open unless declared
 * invitation-only. Stored as the campaign setting `access:NAME`.
 */
export type SurveyAccess = 'invitation' | 'open';

export const ACCESS_VALUES: readonly SurveyAccess[] = ['invitation', 'open'];

const accessKey = (instrument: string) => `access:${instrument}`;

/** The access of a survey: as declared, else `invitation` when it has a population. */
export async function surveyAccess(db: Kysely<CairnetDatabase>, instrument: string): Promise<SurveyAccess> {
  const declared = await db
    .selectFrom('campaign_settings')
    .select('value')
    .where('key', '=', accessKey(instrument))
    .executeTakeFirst();
  if (declared?.value === 'open' || declared?.value === 'invitation') return declared.value;
  const settings = await readSettings(db);
  if (settings.instrument !== instrument) return 'open';
  const someone = await db
    .selectFrom('campaign_people')
    .select('id')
    .where('erased_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return someone ? 'invitation' : 'open';
}

/** Declares a survey open or invitation-only (`cairnet campaign set access open|invitation`). */
export async function setSurveyAccess(
  db: Kysely<CairnetDatabase>,
  instrument: string,
  value: string,
): Promise<void> {
  if (!/^[a-z0-9_-]{1,64}$/.test(instrument)) {
    throw cairnetError('CAIRNET_CAMPAIGN_SETTING_INVALID', `"${instrument}" is not a survey name`);
  }
  if (!(ACCESS_VALUES as readonly string[]).includes(value)) {
    throw cairnetError(
      'CAIRNET_CAMPAIGN_SETTING_INVALID',
      `"${value}" is not a valid value for access (open or invitation)`,
    );
  }
  await db
    .insertInto('campaign_settings')
    .values({ key: accessKey(instrument), value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
