import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Surveys as data: one row per survey (its name is its instrument's name), whether it is a
 * demonstration (synthetic responses only) and where its texts live (`instruments/<source>/`),
 * and the analysis plan versions stored for it (`cairnet plan set`).
 *
 * Stores made before: every instrument becomes a survey; a demonstration panel that was loaded
 * into `cairnet` itself moves to the survey `cairnet-demo` (same questionnaire versions), so
 * that the survey real respondents answer holds only their responses.
 */
export const surveysMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('surveys')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text')
      .addColumn('languages', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('source', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('survey_plans')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('survey', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('yaml', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('survey_plans_survey_version', ['survey', 'version'])
      .execute();
    const now = new Date().toISOString();
    await sql`insert into surveys (name, title, languages, kind, source, created_at)
      select distinct name, null, '["fr","en"]', 'survey', case when name = 'cairnet' then 'cairnet' else null end, ${now}
      from instruments`.execute(db);
    const moved = await sql<{ n: number | string }>`select count(*) as n from responses
      where instrument_name = 'cairnet' and synthetic = 1`.execute(db);
    if (Number(moved.rows[0]?.n ?? 0) === 0) return;
    await sql`insert into instruments (id, name, version, hash, json, created_at)
      select 'cairnet-demo:' || id, 'cairnet-demo', version, hash, json, created_at
      from instruments where name = 'cairnet'`.execute(db);
    await sql`insert into surveys (name, title, languages, kind, source, created_at)
      values ('cairnet-demo', null, '["fr","en"]', 'demo', 'cairnet', ${now})`.execute(db);
    await sql`update responses set instrument_name = 'cairnet-demo'
      where instrument_name = 'cairnet' and synthetic = 1`.execute(db);
  },
};
