import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CairnetDatabase } from '../store/schema.js';

/** The answers a press search may filter on (each optional; all given must match). */
export interface PressSearch {
  field?: string | undefined;
  researchKind?: string | undefined;
  relation?: string | undefined;
  /** A piece of an association's name as cited (case and accents ignored). */
  association?: string | undefined;
}

/**
 * A researcher the press office may ask to contact: a random handle and the answers that matter
 * for the search. Never a name, an address, a pseudonym or a response id.
 */
export interface PressContact {
  handle: string;
  field: string | null;
  researchKind: string | null;
  relation: string | null;
  associations: string[];
  /** The state of the newest contact request to this handle (any press officer), if any. */
  lastRequest: { state: string; at: string } | null;
}

/** The answer that says yes to being contacted (`press_contact_optin`). */
export const PRESS_OPTIN_QUESTION = 'press_contact_optin';

export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function citedAssociations(data: Record<string, unknown>): string[] {
  const list = Array.isArray(data.associations) ? data.associations : [];
  return list
    .map((a) => (a && typeof a === 'object' ? str((a as Record<string, unknown>).name) : null))
    .filter((n): n is string => n !== null && n.trim() !== '')
    .map((n) =>
      n
        .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
        .trim()
        .slice(0, 200),
    );
}

export interface ContactableRow {
  responseId: string;
  personId: string;
  data: Record<string, unknown>;
}

/**
 * Completed invited responses (of `survey`, or of any survey when null) whose author said yes to `press_contact_optin` and can still be
 * reached (not erased, not opted out of the survey's messages, not undeliverable). Responses
 * without an invitation (or whose link anonymous mode cut) have no one to write to.
 */
export async function contactableResponses(
  db: Kysely<CairnetDatabase>,
  survey: string | null,
  responseIds?: string[],
): Promise<ContactableRow[]> {
  let q = db
    .selectFrom('responses as r')
    .innerJoin('campaign_people as p', 'p.pseudonym', 'r.invitation_id')
    .select(['r.id', 'r.data', 'p.id as person_id'])
    .whereRef('r.instrument_name', '=', 'p.survey')
    .$if(survey !== null, (qb) => qb.where('r.instrument_name', '=', survey!))
    .where('r.invitation_id', 'is not', null)
    .where('p.erased_at', 'is', null)
    .where('p.email', 'is not', null)
    .where('p.opted_out_at', 'is', null)
    .where('p.undeliverable_at', 'is', null);
  if (responseIds) {
    if (responseIds.length === 0) return [];
    q = q.where('r.id', 'in', responseIds);
  }
  // Only invited responses of reachable people (a population's size at most) are read; the
  // opt-in is checked on the parsed answers rather than by matching the stored JSON's text.
  const rows = await q.orderBy('r.completed_at').orderBy('r.id').execute();
  const out: ContactableRow[] = [];
  for (const r of rows) {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(r.data) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (data[PRESS_OPTIN_QUESTION] !== 'yes') continue;
    out.push({ responseId: r.id, personId: r.person_id, data });
  }
  return out;
}

/** The handle of each response, made (random, 48 bits) the first time it is shown. */
async function handlesFor(db: Kysely<CairnetDatabase>, responseIds: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const read = async () => {
    for (let i = 0; i < responseIds.length; i += 500) {
      const rows = await db
        .selectFrom('campaign_press_handles')
        .select(['handle', 'response_id'])
        .where('response_id', 'in', responseIds.slice(i, i + 500))
        .execute();
      for (const r of rows) found.set(r.response_id, r.handle);
    }
  };
  await read();
  const missing = responseIds.filter((id) => !found.has(id));
  if (missing.length === 0) return found;
  const now = new Date().toISOString();
  for (const id of missing) {
    await db
      .insertInto('campaign_press_handles')
      .values({ handle: `R-${randomBytes(6).toString('base64url')}`, response_id: id, created_at: now })
      .onConflict((oc) => oc.column('response_id').doNothing())
      .execute();
  }
  await read();
  return found;
}

/**
 * Searches the researchers who agreed to be contacted, by theme (field, kind of research,
 * relation with associations) or by an association they cited. Returns handles only.
 *
 * @example
 * await searchPressContacts(db, 'cairnet', { field: 'neurosciences', association: 'téléthon' });
 */
export async function searchPressContacts(
  db: Kysely<CairnetDatabase>,
  survey: string,
  search: PressSearch,
): Promise<PressContact[]> {
  const want = search.association ? fold(search.association) : '';
  const matches = (await contactableResponses(db, survey)).filter(({ data }) => {
    if (search.field && data.field !== search.field) return false;
    if (search.researchKind && data.research_kind !== search.researchKind) return false;
    if (search.relation && data.relation !== search.relation) return false;
    if (want && !citedAssociations(data).some((a) => fold(a).includes(want))) return false;
    return true;
  });
  const handles = await handlesFor(
    db,
    matches.map((m) => m.responseId),
  );
  const last = new Map<string, { state: string; at: string }>();
  const hs = [...handles.values()];
  for (let i = 0; i < hs.length; i += 500) {
    const rows = await db
      .selectFrom('campaign_press_requests')
      .select(['handle', 'state', 'created_at', 'answered_at'])
      .where('handle', 'in', hs.slice(i, i + 500))
      .orderBy('created_at')
      .execute();
    for (const r of rows) last.set(r.handle, { state: r.state, at: r.answered_at ?? r.created_at });
  }
  return matches.map(({ responseId, data }) => {
    const handle = handles.get(responseId)!;
    return {
      handle,
      field: str(data.field),
      researchKind: str(data.research_kind),
      relation: str(data.relation),
      associations: citedAssociations(data),
      lastRequest: last.get(handle) ?? null,
    };
  });
}

/** The person behind a handle, if they can still be contacted. */
export async function contactByHandle(
  db: Kysely<CairnetDatabase>,
  handle: string,
): Promise<{ personId: string; responseId: string } | undefined> {
  const h = await db
    .selectFrom('campaign_press_handles')
    .select('response_id')
    .where('handle', '=', handle)
    .executeTakeFirst();
  if (!h) return undefined;
  const [row] = await contactableResponses(db, null, [h.response_id]);
  return row ? { personId: row.personId, responseId: row.responseId } : undefined;
}
