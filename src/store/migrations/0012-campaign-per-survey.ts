import { type Kysely, type Migration, sql } from 'kysely';
import type { StoreAdapter } from '../store-adapter.js';

/**
 * One campaign per survey. The population, the rounds and the settings gain a `survey` column
 * (the survey's name, as in `surveys.name` and `responses.instrument_name`): a person's import
 * key (`email_key`) is unique per survey, so one address may be in the populations of two
 * surveys as two people, each with their own links, messages, opt-out and erasure. Strata,
 * messages and press requests hang on a person, so they follow the person's survey.
 *
 * Stores made before had one campaign: its rows go to the survey its `instrument` setting named
 * (`cairnet` without it); a survey's declared access (`access:NAME`) becomes that survey's
 * `access` setting, and the `instrument` setting goes.
 *
 * A new table, `campaign_texts`, holds a survey's invitation, reminder and thank-you texts by
 * language, as the survey team edits them (src/campaign/message-texts.ts).
 *
 * PostgreSQL alters the tables in place; SQLite, which cannot drop a constraint, rebuilds them.
 */
export function campaignPerSurveyMigration(adapter: StoreAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const named = await sql<{
        value: string;
      }>`select value from campaign_settings where key = 'instrument'`.execute(db);
      const survey = named.rows[0]?.value ?? 'cairnet';
      if (adapter.name === 'postgres') await alterInPlace(db, survey);
      else await rebuild(db, survey);
      await db.schema
        .createIndex('campaign_people_survey')
        .on('campaign_people')
        .columns(['survey', 'imported_at'])
        .execute();
      await db.schema
        .createTable('campaign_texts')
        .addColumn('survey', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .addPrimaryKeyConstraint('campaign_texts_pkey', ['survey', 'kind', 'language'])
        .execute();
    },
  };
}

async function alterInPlace(db: Kysely<unknown>, survey: string): Promise<void> {
  for (const table of ['campaign_people', 'campaign_rounds', 'campaign_settings']) {
    await sql`alter table ${sql.table(table)} add column survey text`.execute(db);
    await sql`update ${sql.table(table)} set survey = ${survey}`.execute(db);
  }
  await sql`update campaign_settings set survey = substr(key, 8), key = 'access' where key like 'access:%'`.execute(
    db,
  );
  await sql`delete from campaign_settings where key = 'instrument'`.execute(db);
  for (const table of ['campaign_people', 'campaign_rounds', 'campaign_settings']) {
    await sql`alter table ${sql.table(table)} alter column survey set not null`.execute(db);
  }
  await sql`alter table campaign_people drop constraint campaign_people_email_key_key`.execute(db);
  await sql`alter table campaign_people add constraint campaign_people_survey_email_key unique (survey, email_key)`.execute(
    db,
  );
  await sql`alter table campaign_rounds drop constraint campaign_rounds_pkey`.execute(db);
  await sql`alter table campaign_rounds add constraint campaign_rounds_pkey primary key (survey, id)`.execute(
    db,
  );
  await sql`alter table campaign_settings drop constraint campaign_settings_pkey`.execute(db);
  await sql`alter table campaign_settings add constraint campaign_settings_pkey primary key (survey, key)`.execute(
    db,
  );
}

async function rebuild(db: Kysely<unknown>, survey: string): Promise<void> {
  await db.schema
    .createTable('campaign_people_new')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('survey', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull())
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
    .addUniqueConstraint('campaign_people_survey_email_key', ['survey', 'email_key'])
    .execute();
  await sql`insert into campaign_people_new (id, survey, email_key, email, name, language, pseudonym,
      invited_at, opened_at, started_at, completed, completed_at, opted_out_at, undeliverable_at,
      undeliverable_reason, erased_at, imported_at, updated_at)
    select id, ${survey}, email_key, email, name, language, pseudonym, invited_at, opened_at,
      started_at, completed, completed_at, opted_out_at, undeliverable_at, undeliverable_reason,
      erased_at, imported_at, updated_at
    from campaign_people`.execute(db);
  await db.schema
    .createTable('campaign_rounds_new')
    .addColumn('survey', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addPrimaryKeyConstraint('campaign_rounds_pkey', ['survey', 'id'])
    .execute();
  await sql`insert into campaign_rounds_new (survey, id, kind, created_at, finished_at)
    select ${survey}, id, kind, created_at, finished_at from campaign_rounds`.execute(db);
  await db.schema
    .createTable('campaign_settings_new')
    .addColumn('survey', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_settings_pkey', ['survey', 'key'])
    .execute();
  await sql`insert into campaign_settings_new (survey, key, value)
    select case when key like 'access:%' then substr(key, 8) else ${survey} end,
      case when key like 'access:%' then 'access' else key end, value
    from campaign_settings where key <> 'instrument'`.execute(db);
  for (const table of ['campaign_people', 'campaign_rounds', 'campaign_settings']) {
    await db.schema.dropTable(table).execute();
    await db.schema.alterTable(`${table}_new`).renameTo(table).execute();
  }
}
