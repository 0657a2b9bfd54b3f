import type { Kysely, Migration } from 'kysely';

/**
 * The association registry (seeded from the built-in registry on first use) and the reviewers'
 * decisions on reconciled mentions, in the order they were taken (`seq`), with who and when.
 */
export const associationsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('association_entries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('acronyms', 'text', (c) => c.notNull())
      .addColumn('aliases', 'text', (c) => c.notNull())
      .addColumn('area', 'text', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('association_decisions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('decision', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('association_decisions').execute();
    await db.schema.dropTable('association_entries').execute();
  },
};
