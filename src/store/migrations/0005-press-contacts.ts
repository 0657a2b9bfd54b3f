import type { Kysely, Migration } from 'kysely';

/**
 * Press contacts. `campaign_press_handles` gives each contactable response a random handle, the
 * only name the press office sees. `campaign_press_requests` holds the contact requests relayed
 * to researchers: who asked, the text, the hashed token of the researcher's answer link, and
 * what became of it. Both are campaign tables: erasing a person deletes their requests.
 */
export const pressContactsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('campaign_press_handles')
      .addColumn('handle', 'text', (c) => c.primaryKey())
      .addColumn('response_id', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('campaign_press_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('handle', 'text', (c) => c.notNull())
      .addColumn('person_id', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addColumn('answered_at', 'text')
      .addColumn('shared_at', 'text')
      .addColumn('error', 'text')
      .execute();
    await db.schema
      .createIndex('campaign_press_requests_handle')
      .on('campaign_press_requests')
      .columns(['handle', 'state'])
      .execute();
  },
};
