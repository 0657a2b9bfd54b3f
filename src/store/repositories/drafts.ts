import type { Kysely } from 'kysely';
import type { CairnetDatabase } from '../schema.js';

export interface StoredDraft {
  instrumentName: string;
  instrumentVersion: number;
  data: Record<string, unknown>;
  pageNo: number;
  updatedAt: string;
  completedResponseId: string | null;
  invitationId: string | null;
}

/**
 * Saves a draft under the hash of its resume token (insert or update). A draft that already
 * became a completed response is left as it is; the caller answers 409.
 */
export async function saveDraft(
  db: Kysely<CairnetDatabase>,
  d: {
    tokenHash: string;
    instrumentName: string;
    instrumentVersion: number;
    data: Record<string, unknown>;
    pageNo: number;
    invitationId?: string | null;
  },
): Promise<{ saved: boolean; completedResponseId: string | null; updatedAt: string }> {
  const now = new Date().toISOString();
  const data = JSON.stringify(d.data);
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('drafts')
      .select(['completed_response_id', 'instrument_name'])
      .where('token_hash', '=', d.tokenHash)
      .executeTakeFirst();
    if (existing?.completed_response_id) {
      return { saved: false, completedResponseId: existing.completed_response_id, updatedAt: now };
    }
    await trx
      .insertInto('drafts')
      .values({
        token_hash: d.tokenHash,
        instrument_name: d.instrumentName,
        instrument_version: d.instrumentVersion,
        data,
        page_no: d.pageNo,
        invitation_id: d.invitationId ?? null,
        created_at: now,
        updated_at: now,
        completed_response_id: null,
      })
      .onConflict((oc) =>
        oc.column('token_hash').doUpdateSet({
          data,
          page_no: d.pageNo,
          instrument_version: d.instrumentVersion,
          updated_at: now,
        }),
      )
      .execute();
    return { saved: true, completedResponseId: null, updatedAt: now };
  });
}

export async function getDraft(
  db: Kysely<CairnetDatabase>,
  tokenHash: string,
): Promise<StoredDraft | undefined> {
  const row = await db
    .selectFrom('drafts')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    instrumentName: row.instrument_name,
    instrumentVersion: Number(row.instrument_version),
    data: JSON.parse(row.data) as Record<string, unknown>,
    pageNo: Number(row.page_no),
    updatedAt: row.updated_at,
    completedResponseId: row.completed_response_id,
    invitationId: row.invitation_id,
  };
}
