import { sql } from 'kysely';
import type { Store } from '../../../src/store/open-store.js';

/**
 * Counts every row a store commits (inserted, updated or deleted, in any table) with triggers that
 * bump one counter in the same transaction: a refused input must leave the count where it was,
 * and a rolled-back write rolls its count back too. For test stores only.
 */
export async function watchStoreWrites(store: Store): Promise<() => Promise<number>> {
  const dialect = store.adapter.name;
  const db = store.db;
  if (dialect === 'sqlite') {
    await sql`create table if not exists fuzz_writes (n integer not null)`.execute(db);
    await sql`insert into fuzz_writes (n) select 0 where not exists (select 1 from fuzz_writes)`.execute(db);
    const tables = await sql<{ name: string }>`
      select name from sqlite_master
      where type = 'table' and name not like 'sqlite_%' and name <> 'fuzz_writes'`.execute(db);
    for (const { name } of tables.rows) {
      for (const op of ['insert', 'update', 'delete']) {
        await sql
          .raw(
            `create trigger if not exists "fuzz_${op}_${name}" after ${op} on "${name}"
             begin update fuzz_writes set n = n + 1; end`,
          )
          .execute(db);
      }
    }
  } else {
    await sql`create table if not exists fuzz_writes (n bigint not null)`.execute(db);
    await sql`insert into fuzz_writes (n) select 0 where not exists (select 1 from fuzz_writes)`.execute(db);
    await sql`
      create or replace function fuzz_count_write() returns trigger language plpgsql as $$
      begin update fuzz_writes set n = n + 1; return null; end $$`.execute(db);
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name <> 'fuzz_writes'`.execute(
      db,
    );
    for (const { name } of tables.rows) {
      await sql
        .raw(
          `create or replace trigger "fuzz_${name}" after insert or update or delete on "${name}"
           for each row execute function fuzz_count_write()`,
        )
        .execute(db);
    }
  }
  return async () => {
    const r = await sql<{ n: number | string }>`select n from fuzz_writes`.execute(db);
    return Number(r.rows[0]?.n);
  };
}
