import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { coreMigration } from './migrations/0001-core.js';
import { campaignMigration } from './migrations/0002-campaign.js';
import { associationsMigration } from './migrations/0003-associations.js';
import { publishingMigration } from './migrations/0004-publishing.js';
import { pressContactsMigration } from './migrations/0005-press-contacts.js';
import { answersJsonbMigration } from './migrations/0006-answers-jsonb.js';
import { decisionUndoMigration } from './migrations/0007-association-decision-undo.js';
import { surveyAccessMigration } from './migrations/0008-survey-access.js';
import { resultSnapshotsMigration } from './migrations/0009-result-snapshots.js';
import { surveysMigration } from './migrations/0010-surveys.js';
import { studioMigration } from './migrations/0011-studio.js';
import { campaignPerSurveyMigration } from './migrations/0012-campaign-per-survey.js';
import { thanksMigration } from './migrations/0013-thanks.js';
import type { StoreAdapter } from './store-adapter.js';

/**
 * The store's migrations, in order. Each is written once against Kysely's schema builder and
 * runs on both dialects. Never edit a migration that has shipped: add the next file in
 * `migrations/` and list it here.
 */
function migrations(adapter: StoreAdapter): Record<string, Migration> {
  return {
    '0001_core': coreMigration,
    '0002_campaign': campaignMigration,
    '0003_associations': associationsMigration,
    '0004_publishing': publishingMigration,
    '0005_press_contacts': pressContactsMigration,
    '0006_answers_jsonb': answersJsonbMigration(adapter),
    '0007_association_decision_undo': decisionUndoMigration,
    '0008_survey_access': surveyAccessMigration,
    '0011_studio': studioMigration,
    '0009_result_snapshots': resultSnapshotsMigration(adapter),
    '0010_surveys': surveysMigration,
    '0012_campaign_per_survey': campaignPerSurveyMigration(adapter),
    '0013_thanks': thanksMigration,
  };
}

class InCodeMigrations implements MigrationProvider {
  constructor(private readonly adapter: StoreAdapter) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.adapter);
  }
}

/**
 * A PostgreSQL advisory lock held while migrating and while dropping a schema: Kysely's migrator
 * looks through every schema of the database for its tables, and fails ("schema … does not
 * exist") if another store's schema is dropped meanwhile (tests drop theirs when done).
 */
export const SCHEMA_CHANGE_LOCK = 1_128_352_082;

/** Brings the database up to the newest schema. Safe to run at every start, from several servers. */
export async function migrateToLatest(db: Kysely<unknown>, adapter: StoreAdapter): Promise<void> {
  if (adapter.name !== 'postgres') return migrateWith(db, adapter);
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${SCHEMA_CHANGE_LOCK})`.execute(conn);
    try {
      await migrateWith(conn, adapter);
    } finally {
      await sql`select pg_advisory_unlock(${SCHEMA_CHANGE_LOCK})`.execute(conn);
    }
  });
}

async function migrateWith(db: Kysely<unknown>, adapter: StoreAdapter): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new InCodeMigrations(adapter),
    // Without it, Kysely looks for its lock table in every schema and may find another store's.
    ...(adapter.schema ? { migrationTableSchema: adapter.schema } : {}),
    // Migrations written side by side may land out of number order (0005 before 0004): a store
    // that already ran a later one still runs the earlier one it lacks.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? failed?.migrationName);
    throw new Error(`Migration failed: ${reason}`);
  }
}
