import type { Kysely } from 'kysely';
import type { CairnetDatabase } from '../store/schema.js';

/** The `publications` table (migration 0004): an instrument's results are public while it has a row. */
export interface PublicationTable {
  instrument: string;
  published_at: string;
  /** The user who published, or null from the CLI. */
  published_by: string | null;
}

export interface Publication {
  instrument: string;
  publishedAt: string;
  publishedBy: string | null;
}

function table(db: Kysely<CairnetDatabase>) {
  return db.withTables<{ publications: PublicationTable }>();
}

/** The publication of an instrument's results, or null when they are not public. */
export async function findPublication(
  db: Kysely<CairnetDatabase>,
  instrument: string,
): Promise<Publication | null> {
  const row = await table(db)
    .selectFrom('publications')
    .selectAll()
    .where('instrument', '=', instrument)
    .executeTakeFirst();
  return row
    ? { instrument: row.instrument, publishedAt: row.published_at, publishedBy: row.published_by }
    : null;
}

/** Makes an instrument's results public (again: the date is kept from the first time). */
export async function publishResults(
  db: Kysely<CairnetDatabase>,
  instrument: string,
  by: string | null,
  at: Date = new Date(),
): Promise<Publication> {
  await table(db)
    .insertInto('publications')
    .values({ instrument, published_at: at.toISOString(), published_by: by })
    .onConflict((oc) => oc.column('instrument').doNothing())
    .execute();
  return (await findPublication(db, instrument))!;
}

/** Withdraws an instrument's results from the public page; true if they were public. */
export async function withdrawResults(db: Kysely<CairnetDatabase>, instrument: string): Promise<boolean> {
  const r = await table(db)
    .deleteFrom('publications')
    .where('instrument', '=', instrument)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
