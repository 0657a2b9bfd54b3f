import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Kysely, SqliteDialect, sql } from 'kysely';
import type { StoreAdapter } from '../store-adapter.js';

export interface SqliteOptions {
  /** A file path, or ":memory:". */
  path: string;
  /**
   * SQLite's `synchronous` pragma. FULL (the default) makes each commit durable before the
   * response is acknowledged, even if the machine loses power; NORMAL is durable against a crash
   * of the process only.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

/** The embedded back end: one file, WAL journal, foreign keys on. */
export function sqliteAdapter(options: SqliteOptions): StoreAdapter {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const database = new Database(options.path);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  database.pragma('busy_timeout = 10000');
  database.pragma('foreign_keys = ON');
  // Deleted and overwritten content is zeroed, not left in free pages (anonymous mode: a cut
  // link must not survive in the file).
  database.pragma('secure_delete = ON');
  return {
    name: 'sqlite',
    dialect: new SqliteDialect({ database }),
    description: `sqlite:${options.path}`,
    async purgeRowVersions(db: Kysely<unknown>) {
      // The WAL keeps every page as it was before each commit: copy it back and empty it. A
      // reader holding an old snapshot makes TRUNCATE give up; try again a few times.
      for (let attempt = 0; attempt < 20; attempt++) {
        const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(db);
        if (Number(rows[0]?.busy ?? 0) === 0) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('The WAL could not be checkpointed: a reader kept it busy');
    },
  };
}
