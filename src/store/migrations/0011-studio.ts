import type { Kysely, Migration } from 'kysely';

/**
 * The studio (issue #16): durable background jobs (invitation and reminder rounds run by the
 * server, claimed under a lease that a heartbeat keeps), team members that can be disabled, and
 * one-time links (the first admin's setup link, password resets) kept as hashes.
 */
export const studioMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('instrument', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('round_id', 'text')
      .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sent', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('retry_later', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('uncertain', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('error_code', 'text')
      .addColumn('error', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema.createIndex('jobs_state_created').on('jobs').columns(['state', 'created_at']).execute();
    await db.schema.alterTable('users').addColumn('disabled_at', 'text').execute();
    await db.schema
      .createTable('user_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('user_tokens').execute();
    await db.schema.alterTable('users').dropColumn('disabled_at').execute();
    await db.schema.dropTable('jobs').execute();
  },
};
