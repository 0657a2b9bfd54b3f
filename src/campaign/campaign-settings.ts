import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import type { CairnetDatabase } from '../store/schema.js';

/**
 * The campaign's settings, stored in `campaign_settings` (`cairnet campaign set KEY VALUE`).
 *
 * - `instrument`: the questionnaire the links open (`cairnet`).
 * - `anonymous`: `yes` cuts the link between a person and their response at completion (only
 *   "has completed" remains on the person); `no` (default) keeps the pseudonym on both.
 * - `consent_version`: the label of the consent text in force, recorded with each response
 *   (default: derived from the questionnaire's consent page, see `consentRecord`).
 * - `retention_days`: how long personal data are kept after `closed_at` (default 365);
 *   `cairnet campaign retention --apply` erases everyone once that time has passed.
 * - `closed_at`: when the campaign closed (ISO date), set by `cairnet campaign close`.
 * - `rate_per_minute`: the default sending pace (default 60).
 */
export interface CampaignSettings {
  instrument: string;
  anonymous: boolean;
  consentVersion: string | null;
  retentionDays: number;
  closedAt: string | null;
  ratePerMinute: number;
}

export const SETTING_KEYS = [
  'instrument',
  'anonymous',
  'consent_version',
  'retention_days',
  'closed_at',
  'rate_per_minute',
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

const CHECKS: Record<SettingKey, (v: string) => boolean> = {
  instrument: (v) => /^[a-z0-9_-]{1,64}$/.test(v),
  anonymous: (v) => v === 'yes' || v === 'no',
  consent_version: (v) => v.length > 0 && v.length <= 64,
  retention_days: (v) => /^\d{1,5}$/.test(v),
  closed_at: (v) => !Number.isNaN(Date.parse(v)),
  rate_per_minute: (v) => /^\d{1,6}$/.test(v) && Number(v) > 0,
};

export async function readSettings(db: Kysely<CairnetDatabase>): Promise<CampaignSettings> {
  const rows = await db.selectFrom('campaign_settings').selectAll().execute();
  const m = new Map(rows.map((r) => [r.key, r.value]));
  return {
    instrument: m.get('instrument') ?? 'cairnet',
    anonymous: m.get('anonymous') === 'yes',
    consentVersion: m.get('consent_version') ?? null,
    retentionDays: Number(m.get('retention_days') ?? 365),
    closedAt: m.get('closed_at') ?? null,
    ratePerMinute: Number(m.get('rate_per_minute') ?? 60),
  };
}

export async function writeSetting(db: Kysely<CairnetDatabase>, key: string, value: string): Promise<void> {
  if (!(SETTING_KEYS as readonly string[]).includes(key)) {
    throw cairnetError(
      'CAIRNET_CAMPAIGN_SETTING_INVALID',
      `Unknown setting "${key}"; one of ${SETTING_KEYS.join(', ')}`,
    );
  }
  if (!CHECKS[key as SettingKey](value)) {
    throw cairnetError('CAIRNET_CAMPAIGN_SETTING_INVALID', `"${value}" is not a valid value for ${key}`);
  }
  await db
    .insertInto('campaign_settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
