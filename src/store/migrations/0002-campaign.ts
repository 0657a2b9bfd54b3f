import type { Kysely, Migration } from 'kysely';

/**
 * The campaign: the surveyed population (the only tables holding personal data), their strata,
 * the messages sent to them (one row per person and round, written before the SMTP exchange),
 * the rounds of sending, and the campaign's settings. Responses get a unique index on
 * `invitation_id`, so one invitation can never complete twice, whatever the race.
 */
export const campaignMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('campaign_people')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email_key', 'text', (c) => c.notNull().unique())
      .addColumn('email', 'text')
      .addColumn('name', 'text')
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('pseudonym', 'text', (c) => c.unique())
      .addColumn('invited_at', 'text')
      .addColumn('opened_at', 'text')
      .addColumn('started_at', 'text')
      .addColumn('completed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('completed_at', 'text')
      .addColumn('opted_out_at', 'text')
      .addColumn('undeliverable_at', 'text')
      .addColumn('undeliverable_reason', 'text')
      .addColumn('erased_at', 'text')
      .addColumn('imported_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('campaign_strata')
      .addColumn('person_id', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('campaign_strata_pk', ['person_id', 'field'])
      .execute();
    await db.schema
      .createIndex('campaign_strata_field_value')
      .on('campaign_strata')
      .columns(['field', 'value'])
      .execute();
    await db.schema
      .createTable('campaign_rounds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema
      .createTable('campaign_messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('person_id', 'text', (c) => c.notNull())
      .addColumn('round_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('attempted_at', 'text')
      .addColumn('sent_at', 'text')
      .addColumn('smtp_response', 'text')
      .addColumn('error', 'text')
      .addUniqueConstraint('campaign_messages_person_round', ['person_id', 'round_id'])
      .execute();
    await db.schema
      .createIndex('campaign_messages_round_state')
      .on('campaign_messages')
      .columns(['round_id', 'state'])
      .execute();
    await db.schema
      .createTable('campaign_settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('responses_invitation_unique')
      .on('responses')
      .column('invitation_id')
      .unique()
      .execute();
  },
};
