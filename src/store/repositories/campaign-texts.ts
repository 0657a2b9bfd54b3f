import type { Kysely } from 'kysely';
import type { CairnetDatabase } from '../schema.js';

export interface StoredCampaignText {
  kind: string;
  language: string;
  subject: string;
  body: string;
  updatedAt: string;
  updatedBy: string | null;
}

/** A survey's message texts as the team stored them (`campaign_texts`). */
export async function readCampaignTexts(
  db: Kysely<CairnetDatabase>,
  survey: string,
): Promise<StoredCampaignText[]> {
  const rows = await db.selectFrom('campaign_texts').selectAll().where('survey', '=', survey).execute();
  return rows.map((r) => ({
    kind: r.kind,
    language: r.language,
    subject: r.subject,
    body: r.body,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  }));
}

/** Stores a survey's texts in one language (one row per kind), in one transaction. */
export async function saveCampaignTexts(
  db: Kysely<CairnetDatabase>,
  survey: string,
  language: string,
  texts: { kind: string; subject: string; body: string }[],
  userId: string | null,
): Promise<void> {
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    for (const t of texts) {
      const values = { subject: t.subject, body: t.body, updated_at: now, updated_by: userId };
      await trx
        .insertInto('campaign_texts')
        .values({ survey, kind: t.kind, language, ...values })
        .onConflict((oc) => oc.columns(['survey', 'kind', 'language']).doUpdateSet(values))
        .execute();
    }
  });
}
