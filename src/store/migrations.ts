import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { StoreAdapter } from './store-adapter.js';

/**
 * The store's migrations, in order. Each is written once against Kysely's schema builder and
 * runs on both dialects; where a type differs, the adapter says which to use. Never edit a
 * migration that has shipped: add the next one.
 */
function migrations(_adapter: StoreAdapter): Record<string, Migration> {
  return {
    '0001_core': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('instruments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('json', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('instruments_name_version', ['name', 'version'])
          .addUniqueConstraint('instruments_name_hash', ['name', 'hash'])
          .execute();
        await db.schema
          .createTable('responses')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('instrument_name', 'text', (c) => c.notNull())
          .addColumn('instrument_version', 'integer', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('idempotency_key', 'text', (c) => c.unique())
          .addColumn('data_hash', 'text', (c) => c.notNull())
          .addColumn('synthetic', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('meta', 'text')
          .addColumn('invitation_id', 'text')
          .addColumn('started_at', 'text')
          .addColumn('completed_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('responses_instrument_completed')
          .on('responses')
          .columns(['instrument_name', 'completed_at'])
          .execute();
        await db.schema
          .createTable('drafts')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('instrument_name', 'text', (c) => c.notNull())
          .addColumn('instrument_version', 'integer', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('page_no', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('invitation_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('completed_response_id', 'text')
          .execute();
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('sessions')
          .addColumn('id_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('csrf_token', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('audit_log')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
      },
    },
  };
}

class InCodeMigrations implements MigrationProvider {
  constructor(private readonly adapter: StoreAdapter) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.adapter);
  }
}

/** Brings the database up to the newest schema. Safe to run at every start, from several servers. */
export async function migrateToLatest(db: Kysely<unknown>, adapter: StoreAdapter): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new InCodeMigrations(adapter),
    // Without it, Kysely looks for its lock table in every schema and may find another store's.
    ...(adapter.schema ? { migrationTableSchema: adapter.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? failed?.migrationName);
    throw new Error(`Migration failed: ${reason}`);
  }
}
