import type { Kysely, Migration } from 'kysely';

/**
 * Publishing: one row per instrument whose results are public (the public results page shows
 * them only then), with who published them and when. Withdrawing deletes the row.
 */
export const publishingMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('publications')
      .addColumn('instrument', 'text', (c) => c.primaryKey())
      .addColumn('published_at', 'text', (c) => c.notNull())
      .addColumn('published_by', 'text')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('publications').execute();
  },
};
