import type { Kysely } from 'kysely';
import type { CairnetDatabase } from '../schema.js';

/** A survey's campaign settings as stored (`campaign_settings`, one row per survey and key). */
export async function readCampaignSettingRows(
  db: Kysely<CairnetDatabase>,
  survey: string,
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('campaign_settings')
    .select(['key', 'value'])
    .where('survey', '=', survey)
    .execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** One setting of a survey's campaign, or undefined. */
export async function readCampaignSetting(
  db: Kysely<CairnetDatabase>,
  survey: string,
  key: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('campaign_settings')
    .select('value')
    .where('survey', '=', survey)
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

export async function upsertCampaignSetting(
  db: Kysely<CairnetDatabase>,
  survey: string,
  key: string,
  value: string,
): Promise<void> {
  await db
    .insertInto('campaign_settings')
    .values({ survey, key, value })
    .onConflict((oc) => oc.columns(['survey', 'key']).doUpdateSet({ value }))
    .execute();
}

/** Removes a setting; true when there was one. */
export async function deleteCampaignSetting(
  db: Kysely<CairnetDatabase>,
  survey: string,
  key: string,
): Promise<boolean> {
  const res = await db
    .deleteFrom('campaign_settings')
    .where('survey', '=', survey)
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** The surveys whose campaign runs in anonymous mode. */
export async function anonymousSurveys(db: Kysely<CairnetDatabase>): Promise<string[]> {
  const rows = await db
    .selectFrom('campaign_settings')
    .select('survey')
    .where('key', '=', 'anonymous')
    .where('value', '=', 'yes')
    .execute();
  return rows.map((r) => r.survey);
}

/** The surveys a campaign can be run for: every stored questionnaire's name, sorted. */
export async function campaignSurveyNames(db: Kysely<CairnetDatabase>): Promise<string[]> {
  const rows = await db.selectFrom('instruments').select('name').distinct().orderBy('name').execute();
  return rows.map((r) => r.name);
}
