import type { Dialect } from 'kysely';

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
  /** Releases whatever the dialect holds beyond Kysely's own pool. */
  dispose?(): Promise<void>;
}
