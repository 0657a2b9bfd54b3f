import type { Kysely, Migration } from 'kysely';

/**
 * The thank-you message after a completion (src/campaign/send-thanks.ts). A person gains
 * `thanks_due`: set to 1 in the very statement that marks them completed (when the survey's
 * `thanks` setting is on and its campaign open), cleared when their thank-you is claimed for
 * sending — a `campaign_messages` row of kind `thanks` in the round `thanks`, whose unique
 * (person, round) constraint makes it one per person, ever — or dropped (opted out,
 * undeliverable, erased, thank-you switched off, campaign closed). A flag on the person, not a
 * row written at completion: in anonymous mode a row per completion would carry the order and
 * time of the completions; the flag lives in the person's row, which the scrub rewrites.
 * People who completed before this migration owe nothing (0).
 */
export const thanksMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('campaign_people')
      .addColumn('thanks_due', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('campaign_people_thanks_due')
      .on('campaign_people')
      .columns(['thanks_due', 'survey'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('campaign_people_thanks_due').execute();
    await db.schema.alterTable('campaign_people').dropColumn('thanks_due').execute();
  },
};
