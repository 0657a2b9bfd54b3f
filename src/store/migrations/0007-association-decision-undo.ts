import type { Kysely, Migration } from 'kysely';

/**
 * Decisions can be undone (`undone_at`, `undone_by`: the log keeps them, the replay skips them),
 * and an entry a `create` decision adds is no longer written into `association_entries`: it
 * lives in the decision, so that undoing the decision removes it. Rows written by earlier
 * `create` decisions (same id, written in the decision's transaction: same `updated_at`) are
 * removed; the replay of the log adds them back unchanged.
 */
export const decisionUndoMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('association_decisions').addColumn('undone_at', 'text').execute();
    await db.schema.alterTable('association_decisions').addColumn('undone_by', 'text').execute();
    const d = db as Kysely<{
      association_decisions: { kind: string; decision: string; at: string };
      association_entries: { id: string; updated_at: string };
    }>;
    const creates = await d
      .selectFrom('association_decisions')
      .select(['decision', 'at'])
      .where('kind', '=', 'create')
      .execute();
    for (const c of creates) {
      const id = (JSON.parse(c.decision) as { entry?: { id?: unknown } }).entry?.id;
      if (typeof id !== 'string') continue;
      await d.deleteFrom('association_entries').where('id', '=', id).where('updated_at', '=', c.at).execute();
    }
  },
};
