import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
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
  return {
    name: 'sqlite',
    dialect: new SqliteDialect({ database }),
    description: `sqlite:${options.path}`,
  };
}
