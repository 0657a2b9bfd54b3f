import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Survey access and ballot stuffing. Each response records how it came (`via`: `invitation`
 * for a personal link, `open` for the open link), so an analyst can see and exclude a burst;
 * responses stored before are `invitation` when they carry an invitation's pseudonym, `open`
 * otherwise. `open_submit_counts` holds the open submissions (completions and new drafts) of
 * each client address per minute, so the limit holds across several app servers; the address
 * is kept only as a salted hash, and rows older than two minutes are deleted as new ones come.
 */
export const surveyAccessMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('responses')
      .addColumn('via', 'text', (c) => c.notNull().defaultTo('open'))
      .execute();
    await sql`update responses set via = 'invitation' where invitation_id is not null`.execute(db);
    await db.schema
      .createTable('open_submit_counts')
      .addColumn('address_key', 'text', (c) => c.notNull())
      .addColumn('minute', 'text', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('open_submit_counts_pk', ['address_key', 'minute'])
      .execute();
  },
};
