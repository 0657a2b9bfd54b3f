import { resolve } from 'node:path';
import { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { migrateToLatest } from './migrations.js';
import { postgresAdapter } from './postgres/postgres-adapter.js';
import type { CairnetDatabase } from './schema.js';
import { sqliteAdapter } from './sqlite/sqlite-adapter.js';
import type { StoreAdapter } from './store-adapter.js';

/** An open, migrated store. */
export interface Store {
  readonly db: Kysely<CairnetDatabase>;
  readonly adapter: StoreAdapter;
  close(): Promise<void>;
}

export const DEFAULT_DB_PATH = './data/cairnet.db';

/**
 * Which database a `--db` value names: `postgres://…` (or `postgresql://…`), `sqlite:PATH`,
 * `:memory:`, or a plain file path. Without a value: `DATABASE_URL`, then `./data/cairnet.db`.
 */
export function resolveDbLocation(value: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const v = value?.trim() || env.DATABASE_URL?.trim() || DEFAULT_DB_PATH;
  return v;
}

export interface OpenStoreOptions {
  /** A `--db` value (see {@link resolveDbLocation}). */
  db?: string;
  /** PostgreSQL only: work inside this schema. */
  schema?: string;
  /** SQLite only: the synchronous pragma (default from CAIRNET_SQLITE_SYNC, else FULL). */
  synchronous?: 'FULL' | 'NORMAL';
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

export function adapterFor(options: OpenStoreOptions = {}): StoreAdapter {
  const location = resolveDbLocation(options.db);
  if (/^postgres(ql)?:\/\//i.test(location)) {
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      throw cairnetError('CAIRNET_DB_URL_INVALID', `"${location}" is not a valid PostgreSQL URL`);
    }
    // `?schema=NAME` keeps several Cairnet stores apart in one database (tests use it too).
    const schema = options.schema ?? (url.searchParams.get('schema') || undefined);
    url.searchParams.delete('schema');
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw cairnetError('CAIRNET_DB_URL_INVALID', `"${schema}" is not a valid schema name (a-z, 0-9, _)`);
    }
    return postgresAdapter({
      url: url.toString(),
      ...(schema ? { schema } : {}),
      ...(options.poolSize ? { max: options.poolSize } : {}),
    });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw cairnetError(
      'CAIRNET_DB_URL_INVALID',
      `"${location.split('://')[0]}://" databases are not supported: use postgres://… or a SQLite file path`,
    );
  }
  const path = location.startsWith('sqlite:') ? location.slice('sqlite:'.length) : location;
  const envSync = process.env.CAIRNET_SQLITE_SYNC?.toUpperCase();
  const synchronous = options.synchronous ?? (envSync === 'NORMAL' ? 'NORMAL' : 'FULL');
  return sqliteAdapter({ path: path === ':memory:' ? path : resolve(path), synchronous });
}

/** Opens the store named by `--db` (or the environment) and runs its migrations. */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const adapter = adapterFor(options);
  const db = new Kysely<CairnetDatabase>({ dialect: adapter.dialect });
  try {
    await adapter.prepare?.();
    await migrateToLatest(db as unknown as Kysely<unknown>, adapter);
  } catch (e) {
    await db.destroy().catch(() => {});
    const msg = e instanceof Error ? e.message : String(e);
    throw cairnetError('CAIRNET_DB_UNREACHABLE', `Cannot open ${adapter.description}: ${msg}`);
  }
  return {
    db,
    adapter,
    async close() {
      await db.destroy();
      await adapter.dispose?.();
    },
  };
}
