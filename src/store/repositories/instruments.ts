import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { contentHash } from '../canonical-json.js';
import type { CairnetDatabase } from '../schema.js';

export interface StoredInstrument {
  id: string;
  name: string;
  version: number;
  hash: string;
  json: Record<string, unknown>;
  createdAt: string;
}

/**
 * Stores a questionnaire under a name. The same content twice keeps one version; new content
 * becomes the next version. Responses record the version they answered.
 */
export async function saveInstrument(
  db: Kysely<CairnetDatabase>,
  name: string,
  json: Record<string, unknown>,
): Promise<{ instrument: StoredInstrument; created: boolean }> {
  const hash = contentHash(json);
  try {
    return await insertVersion(db, name, json, hash);
  } catch (e) {
    // Two servers starting together may race to store the same content: the loser finds it.
    const same = await db
      .selectFrom('instruments')
      .selectAll()
      .where('name', '=', name)
      .where('hash', '=', hash)
      .executeTakeFirst();
    if (same) return { instrument: toStored(same), created: false };
    throw e;
  }
}

async function insertVersion(
  db: Kysely<CairnetDatabase>,
  name: string,
  json: Record<string, unknown>,
  hash: string,
): Promise<{ instrument: StoredInstrument; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const same = await trx
      .selectFrom('instruments')
      .selectAll()
      .where('name', '=', name)
      .where('hash', '=', hash)
      .executeTakeFirst();
    if (same) return { instrument: toStored(same), created: false };
    const last = await trx
      .selectFrom('instruments')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('name', '=', name)
      .executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const row = {
      id: randomUUID(),
      name,
      version,
      hash,
      json: JSON.stringify(json),
      created_at: new Date().toISOString(),
    };
    await trx.insertInto('instruments').values(row).execute();
    return { instrument: toStored(row), created: true };
  });
}

/** The newest version of a named instrument, or undefined. */
export async function currentInstrument(
  db: Kysely<CairnetDatabase>,
  name: string,
): Promise<StoredInstrument | undefined> {
  const row = await db
    .selectFrom('instruments')
    .selectAll()
    .where('name', '=', name)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toStored(row) : undefined;
}

export async function listInstruments(db: Kysely<CairnetDatabase>): Promise<StoredInstrument[]> {
  const rows = await db.selectFrom('instruments').selectAll().orderBy('name').orderBy('version').execute();
  return rows.map(toStored);
}

function toStored(row: CairnetDatabase['instruments']): StoredInstrument {
  return {
    id: row.id,
    name: row.name,
    version: Number(row.version),
    hash: row.hash,
    json: JSON.parse(row.json) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}
