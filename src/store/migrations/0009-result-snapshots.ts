import { type Kysely, type Migration, sql } from 'kysely';
import type { StoreAdapter } from '../store-adapter.js';

/**
 * Results as stored snapshots (issue 13): `result_snapshots` holds each evaluation of a plan on
 * an instrument's responses, with its inputs named, and is never updated (a trigger refuses it
 * on both dialects); `publications.snapshot_id` says which snapshot is public, and
 * `publication_history` keeps every publication and withdrawal. Both reference the snapshot, so a
 * snapshot that is or was ever published cannot be deleted. A publication made before this
 * migration has no snapshot yet: the first reader stores one for it (src/results/).
 */
export function resultSnapshotsMigration(adapter: StoreAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('result_snapshots')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('instrument', 'text', (c) => c.notNull())
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .addColumn('computed_by', 'text', (c) => c.notNull())
        .addColumn('plan_hash', 'text', (c) => c.notNull())
        .addColumn('code_version', 'text', (c) => c.notNull())
        .addColumn('responses_count', 'integer', (c) => c.notNull())
        .addColumn('responses_last', 'text')
        .addColumn('responses_hash', 'text', (c) => c.notNull())
        .addColumn('decisions_count', 'integer', (c) => c.notNull())
        .addColumn('decisions_last', 'text')
        .addColumn('results_hash', 'text', (c) => c.notNull())
        .addColumn('inputs', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('result_snapshots_instrument_computed')
        .on('result_snapshots')
        .columns(['instrument', 'computed_at'])
        .execute();
      await db.schema
        .alterTable('publications')
        .addColumn('snapshot_id', 'text', (c) => c.references('result_snapshots.id'))
        .execute();
      await db.schema
        .createTable('publication_history')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('instrument', 'text', (c) => c.notNull())
        .addColumn('snapshot_id', 'text', (c) => c.references('result_snapshots.id'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('by', 'text')
        .execute();
      if (adapter.name === 'postgres') {
        await sql`create function result_snapshots_immutable() returns trigger language plpgsql as $$
          begin raise exception 'result snapshots are immutable'; end $$`.execute(db);
        await sql`create trigger result_snapshots_no_update before update on result_snapshots
          for each row execute function result_snapshots_immutable()`.execute(db);
      } else {
        await sql`create trigger result_snapshots_no_update before update on result_snapshots
          begin select raise(abort, 'result snapshots are immutable'); end`.execute(db);
      }
    },
  };
}
