import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { readCampaignSettingRows, upsertCampaignSetting } from '../store/repositories/campaign-settings.js';
import type { CairnetDatabase } from '../store/schema.js';

/**
 * A survey's campaign settings, stored in `campaign_settings` per survey (`cairnet campaign set
 * KEY VALUE --instrument NAME`). Each survey has its own campaign: its population, rounds,
 * messages and settings.
 *
 * - `anonymous`: `yes` cuts the link between a person and their response at completion (only
 *   "has completed" remains on the person); `no` (default) keeps the pseudonym on both.
 * - `consent_version`: the label of the consent text in force, recorded with each response
 *   (default: derived from the questionnaire's consent page, see `consentRecord`).
 * - `retention_days`: how long personal data are kept after `closed_at` (default 365);
 *   `cairnet campaign retention --apply` erases everyone once that time has passed.
 * - `closed_at`: when the campaign closed (ISO date), set by `cairnet campaign close`.
 * - `rate_per_minute`: the default sending pace (default 60).
 * - `access`: `open` or `invitation` (see src/campaign/survey-access.ts).
 * - `thanks`: `yes` (default) sends the survey's thank-you to an invited person once their
 *   response is completed (src/campaign/send-thanks.ts); `no` sends none, not even those waiting.
 */
export interface CampaignSettings {
  /** The survey this campaign is for (its links open it). */
  instrument: string;
  anonymous: boolean;
  consentVersion: string | null;
  retentionDays: number;
  closedAt: string | null;
  ratePerMinute: number;
  /** Whether completions are thanked by e-mail (`thanks`, default yes). */
  thanks: boolean;
}

export const SETTING_KEYS = [
  'anonymous',
  'consent_version',
  'retention_days',
  'closed_at',
  'rate_per_minute',
  'access',
  'thanks',
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

const CHECKS: Record<SettingKey, (v: string) => boolean> = {
  anonymous: (v) => v === 'yes' || v === 'no',
  consent_version: (v) => v.length > 0 && v.length <= 64,
  retention_days: (v) => /^\d{1,5}$/.test(v),
  closed_at: (v) => !Number.isNaN(Date.parse(v)),
  rate_per_minute: (v) => /^\d{1,6}$/.test(v) && Number(v) > 0,
  access: (v) => v === 'open' || v === 'invitation',
  thanks: (v) => v === 'yes' || v === 'no',
};

/** A survey name as the campaign takes it (the instrument's name). */
export function checkSurveyName(survey: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(survey)) {
    throw cairnetError('CAIRNET_CAMPAIGN_SETTING_INVALID', `"${survey}" is not a survey name`);
  }
  return survey;
}

export async function readSettings(db: Kysely<CairnetDatabase>, survey: string): Promise<CampaignSettings> {
  const m = await readCampaignSettingRows(db, survey);
  return {
    instrument: survey,
    anonymous: m.get('anonymous') === 'yes',
    consentVersion: m.get('consent_version') ?? null,
    retentionDays: Number(m.get('retention_days') ?? 365),
    closedAt: m.get('closed_at') ?? null,
    ratePerMinute: Number(m.get('rate_per_minute') ?? 60),
    thanks: m.get('thanks') !== 'no',
  };
}

export async function writeSetting(
  db: Kysely<CairnetDatabase>,
  survey: string,
  key: string,
  value: string,
): Promise<void> {
  checkSurveyName(survey);
  if (key === 'instrument') {
    throw cairnetError(
      'CAIRNET_CAMPAIGN_SETTING_INVALID',
      'Each survey has its own campaign: name it with --instrument NAME instead of the instrument setting',
    );
  }
  if (!(SETTING_KEYS as readonly string[]).includes(key)) {
    throw cairnetError(
      'CAIRNET_CAMPAIGN_SETTING_INVALID',
      `Unknown setting "${key}"; one of ${SETTING_KEYS.join(', ')}`,
    );
  }
  if (!CHECKS[key as SettingKey](value)) {
    throw cairnetError('CAIRNET_CAMPAIGN_SETTING_INVALID', `"${value}" is not a valid value for ${key}`);
  }
  await upsertCampaignSetting(db, survey, key, value);
}
