import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SCHEMA_CHANGE_LOCK } from '../../src/store/migrations.js';
import { openStore, type Store } from '../../src/store/open-store.js';

export type DialectName = 'sqlite' | 'postgres';

/** The PostgreSQL server the integration tests use (a fresh schema each). */
export const TEST_PG_URL = process.env.CAIRNET_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The dialects the integration suite runs on: both, unless CAIRNET_TEST_DIALECTS narrows them.
 * PostgreSQL is skipped only when it is unreachable outside CI; in CI (CI=true) it must be there.
 */
export const DIALECTS: DialectName[] = (process.env.CAIRNET_TEST_DIALECTS ?? 'sqlite,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is DialectName => s === 'sqlite' || s === 'postgres');

let pgReachable: boolean | undefined;

export async function postgresReachable(): Promise<boolean> {
  if (pgReachable !== undefined) return pgReachable;
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    pgReachable = true;
  } catch (e) {
    if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL is unreachable at ${TEST_PG_URL} and CI=true: ${(e as Error).message}`);
    }
    pgReachable = false;
  } finally {
    await client.end().catch(() => {});
  }
  return pgReachable;
}

export interface TestStore {
  store: Store;
  /** The `--db` value that reaches this store from another process (with `schema` for PostgreSQL). */
  location: string;
  schema?: string;
  dispose(): Promise<void>;
}

/** A fresh, migrated store: a temporary SQLite file, or a new PostgreSQL schema. */
export async function openTestStore(dialect: DialectName): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cairnet-test-'));
    const location = join(dir, 'test.db');
    const store = await openStore({ db: location, synchronous: 'NORMAL' });
    return {
      store,
      location,
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const store = await openStore({ db: TEST_PG_URL, schema, poolSize: 4 });
  return {
    store,
    location: `${TEST_PG_URL}?schema=${schema}`,
    schema,
    async dispose() {
      await store.close();
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      // under the lock migrations hold: another store's migrator must not see the schema vanish
      await client.query('select pg_advisory_lock($1)', [SCHEMA_CHANGE_LOCK]);
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.query('select pg_advisory_unlock($1)', [SCHEMA_CHANGE_LOCK]);
        await client.end();
      }
    },
  };
}

/** The dialects to run now: PostgreSQL only when reachable (always in CI). */
export async function availableDialects(): Promise<DialectName[]> {
  const out: DialectName[] = [];
  for (const d of DIALECTS) {
    if (d === 'postgres' && !(await postgresReachable())) continue;
    out.push(d);
  }
  return out;
}
