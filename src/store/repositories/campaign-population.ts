import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CairnetDatabase } from '../schema.js';

/** A person of a survey's population as a re-import compares them. */
export interface KnownPerson {
  id: string;
  email_key: string;
  email: string | null;
  name: string | null;
  language: string;
  erased_at: string | null;
  strata: Record<string, string>;
}

/** The people of a survey with these import keys, with their strata. */
export async function peopleByKeys(
  db: Kysely<CairnetDatabase>,
  survey: string,
  keys: string[],
): Promise<KnownPerson[]> {
  const existing = await db
    .selectFrom('campaign_people')
    .select(['id', 'email_key', 'email', 'name', 'language', 'erased_at'])
    .where('survey', '=', survey)
    .where('email_key', 'in', keys)
    .execute();
  const ids = existing.map((e) => e.id);
  const strataRows = ids.length
    ? await db.selectFrom('campaign_strata').selectAll().where('person_id', 'in', ids).execute()
    : [];
  const strataOf = new Map<string, Record<string, string>>();
  for (const s of strataRows) {
    const m = strataOf.get(s.person_id) ?? {};
    m[s.field] = s.value;
    strataOf.set(s.person_id, m);
  }
  return existing.map((e) => ({ ...e, strata: strataOf.get(e.id) ?? {} }));
}

/** Adds a person to a survey's population (a fresh pseudonym), with their strata. */
export async function insertPerson(
  db: Kysely<CairnetDatabase>,
  survey: string,
  p: { key: string; email: string; name: string | null; language: string; strata: Record<string, string> },
  now: string,
): Promise<void> {
  const id = randomUUID();
  await db
    .insertInto('campaign_people')
    .values({
      id,
      survey,
      email_key: p.key,
      email: p.email,
      name: p.name,
      language: p.language,
      pseudonym: randomUUID(),
      invited_at: null,
      opened_at: null,
      started_at: null,
      completed: 0,
      completed_at: null,
      opted_out_at: null,
      undeliverable_at: null,
      undeliverable_reason: null,
      erased_at: null,
      imported_at: now,
      updated_at: now,
    })
    .execute();
  const rows = Object.entries(p.strata).map(([field, value]) => ({ person_id: id, field, value }));
  if (rows.length) await db.insertInto('campaign_strata').values(rows).execute();
}

/** Updates a person from a re-import: their fields, and the strata of `fields` replaced. */
export async function updatePerson(
  db: Kysely<CairnetDatabase>,
  id: string,
  p: { email: string; name: string | null; language: string; strata: Record<string, string> },
  fields: string[],
  now: string,
): Promise<void> {
  await db
    .updateTable('campaign_people')
    .set({ name: p.name, language: p.language, email: p.email, updated_at: now })
    .where('id', '=', id)
    .execute();
  if (fields.length) {
    await db.deleteFrom('campaign_strata').where('person_id', '=', id).where('field', 'in', fields).execute();
    const rows = Object.entries(p.strata).map(([field, value]) => ({ person_id: id, field, value }));
    if (rows.length) await db.insertInto('campaign_strata').values(rows).execute();
  }
}
