import type { Dialect, Kysely } from 'kysely';

/**
 * What differs between the store's back ends, and nothing else. Code outside `store/` reads
 * these flags; it never asks which database it is talking to by name.
 */
export interface StoreAdapter {
  /** A short name for logs and test titles: "sqlite" or "postgres". */
  readonly name: 'sqlite' | 'postgres';
  /** The Kysely dialect to build the query layer on. */
  readonly dialect: Dialect;
  /** PostgreSQL: the schema the store lives in (its migration tables too). */
  readonly schema?: string;
  /** A description safe to print (no password). */
  readonly description: string;
  /** Runs once before migrations; for example to create the working schema. */
  prepare?(): Promise<void>;
  /**
   * Removes the old versions of the rows of these tables that the database keeps beyond the
   * live rows, and leaves their live rows in primary-key order: SQLite checkpoints its WAL and
   * truncates it (deleted content is already zeroed: `secure_delete` is on); PostgreSQL
   * rewrites each table in primary-key order (`CLUSTER`), dropping dead tuples.
   */
  purgeRowVersions(db: Kysely<unknown>, tables: readonly string[]): Promise<void>;
  /** Releases whatever the dialect holds beyond Kysely's own pool. */
  dispose?(): Promise<void>;
}
