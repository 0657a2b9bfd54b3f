import { type Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { StoreAdapter } from '../store-adapter.js';

export interface PostgresOptions {
  url: string;
  /** A schema to work in (created if missing); tests use a fresh one each. */
  schema?: string;
  /** Pool size per app server. */
  max?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The server back end: a pg pool; several app servers can share one database. */
export function postgresAdapter(options: PostgresOptions): StoreAdapter {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`Invalid schema name "${options.schema}"`);
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  const safe = redact(options.url);
  return {
    name: 'postgres',
    ...(options.schema ? { schema: options.schema } : {}),
    dialect: new PostgresDialect({ pool }),
    description: options.schema ? `${safe} (schema ${options.schema})` : safe,
    async purgeRowVersions(db: Kysely<unknown>, tables: readonly string[]) {
      // CLUSTER rewrites the table into a new file in primary-key order: no dead tuple survives,
      // and the physical order (ctid) no longer tells the order in which rows were written.
      for (const table of tables) {
        if (!SCHEMA_NAME.test(table)) throw new Error(`Invalid table name "${table}"`);
        await sql`cluster ${sql.table(table)} using ${sql.raw(`${table}_pkey`)}`.execute(db);
      }
    },
    async prepare() {
      if (options.schema) {
        const client = await pool.connect();
        try {
          await client.query(`create schema if not exists ${options.schema}`);
        } finally {
          client.release();
        }
      }
    },
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}
