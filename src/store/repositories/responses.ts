import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import { cairnetError } from '../../errors.js';
import { contentHash } from '../canonical-json.js';
import type { CairnetDatabase, ResponseTable } from '../schema.js';

/** A response row as read or written whole. */
export type ResponseRow = Selectable<ResponseTable>;

export interface NewResponse {
  instrumentName: string;
  instrumentVersion: number;
  data: Record<string, unknown>;
  idempotencyKey?: string | undefined;
  synthetic?: boolean;
  meta?: Record<string, unknown> | undefined;
  invitationId?: string | undefined;
  /** The draft this response completes (its hashed resume token); its answers are then cleared. */
  draftTokenHash?: string | undefined;
  startedAt?: string | undefined;
  completedAt?: string | undefined;
  /** How it came: a personal link (`invitation`) or the open link (`open`, the default). */
  via?: ResponseVia | undefined;
  /**
   * Runs in the insert's transaction, only when the response was stored (not on a replay):
   * completing an invitation there makes the response and the person's flag one commit.
   */
  onStored?: ((trx: Kysely<CairnetDatabase>, id: string) => Promise<void>) | undefined;
  /**
   * Runs in the insert's transaction before it (not on the retry of a stored key): a check that
   * throws there (a full quota) stores nothing.
   */
  beforeInsert?: ((trx: Kysely<CairnetDatabase>) => Promise<void>) | undefined;
}

export type ResponseVia = 'invitation' | 'open';

export interface StoredResponse {
  id: string;
  instrumentName: string;
  instrumentVersion: number;
  data: Record<string, unknown>;
  synthetic: boolean;
  meta: Record<string, unknown> | null;
  invitationId: string | null;
  startedAt: string | null;
  completedAt: string;
  via: string;
}

/**
 * Stores a completed response (one statement, or one transaction with its draft) and returns
 * its id once committed. A draft already completed refuses another response
 * (`CAIRNET_RESPONSE_ALREADY_COMPLETED`), except the replay of its first one's key.
 * With an idempotency key, a second call with the same key returns the first id and stores
 * nothing (`replayed: true`); the same key with different answers is a conflict.
 */
export async function insertCompletedResponse(
  db: Kysely<CairnetDatabase>,
  r: NewResponse,
): Promise<{ id: string; replayed: boolean }> {
  const row = responseRow(r);
  const { id, data_hash: dataHash } = row;
  const key = r.idempotencyKey;
  const now = new Date().toISOString();
  // One statement on the common path: the insert itself tells whether the key was new.
  const insert = (q: Kysely<CairnetDatabase>) =>
    q
      .insertInto('responses')
      .values(row)
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
  let inserted: { id: string } | undefined;
  if (r.onStored || r.draftTokenHash || r.beforeInsert) {
    inserted = await db.transaction().execute(async (trx) => {
      // A retry of a stored response is answered below, not checked again.
      if (r.beforeInsert && !(key && (await findByKey(trx, key)))) await r.beforeInsert(trx);
      const done = await insert(trx);
      if (done) {
        await r.onStored?.(trx, done.id);
        if (r.draftTokenHash) await completeDraft(trx, r.draftTokenHash, id, now);
      }
      return done;
    });
  } else {
    inserted = await insert(db);
  }
  if (inserted) return { id: inserted.id, replayed: false };
  // The key was already used (a retry, or a concurrent twin): answer with the stored id.
  const existing = key ? await findByKey(db, key) : undefined;
  if (!existing) throw new Error('Response insert reported a conflict but no row holds its key');
  return replay(existing, dataHash, key!);
}

/** Marks a draft completed by a response; a draft completes once. */
async function completeDraft(trx: Kysely<CairnetDatabase>, draft: string, id: string, now: string) {
  const updated = await trx
    .updateTable('drafts')
    .set({ data: '{}', completed_response_id: id, updated_at: now })
    .where('token_hash', '=', draft)
    .where('completed_response_id', 'is', null)
    .executeTakeFirst();
  // A draft completes once: another key than the first completion's is not a retry.
  if (Number(updated.numUpdatedRows) === 0) {
    const other = await trx
      .selectFrom('drafts')
      .select('completed_response_id')
      .where('token_hash', '=', draft)
      .executeTakeFirst();
    if (other?.completed_response_id) {
      throw cairnetError('CAIRNET_RESPONSE_ALREADY_COMPLETED', 'This questionnaire was already completed');
    }
  }
}

/**
 * The columns of a stored response (PostgreSQL also keeps the answers as jsonb for counting,
 * migration 0006: reading them back would parse every response twice).
 */
const RESPONSE_COLUMNS = [
  'id',
  'instrument_name',
  'instrument_version',
  'data',
  'idempotency_key',
  'data_hash',
  'synthetic',
  'meta',
  'invitation_id',
  'started_at',
  'completed_at',
  'via',
] as const;

/** The row a new response becomes (a fresh id, the hash of its answers). */
export function responseRow(r: NewResponse): ResponseRow {
  return {
    id: randomUUID(),
    instrument_name: r.instrumentName,
    instrument_version: r.instrumentVersion,
    data: JSON.stringify(r.data),
    idempotency_key: r.idempotencyKey ?? null,
    data_hash: contentHash(r.data),
    synthetic: r.synthetic ? 1 : 0,
    meta: r.meta ? JSON.stringify(r.meta) : null,
    invitation_id: r.invitationId ?? null,
    started_at: r.startedAt ?? null,
    completed_at: r.completedAt ?? new Date().toISOString(),
    via: r.via ?? 'open',
  };
}

async function findByKey(db: Kysely<CairnetDatabase>, key: string) {
  return db
    .selectFrom('responses')
    .select(['id', 'data_hash'])
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** The answer to a retry: the stored id, or a conflict when the key came with other answers. */
export function replay(existing: { id: string; data_hash: string }, dataHash: string, key: string) {
  if (existing.data_hash !== dataHash) {
    throw cairnetError(
      'CAIRNET_IDEMPOTENCY_CONFLICT',
      `Idempotency key "${key}" was already used for a response with different answers`,
    );
  }
  return { id: existing.id, replayed: true };
}

/** Inserts many responses (the demonstration panel) in one transaction. */
export async function insertResponsesBulk(db: Kysely<CairnetDatabase>, rows: NewResponse[]): Promise<number> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200).map(responseRow);
      await trx.insertInto('responses').values(chunk).execute();
    }
  });
  return rows.length;
}

export interface ResponsePage {
  items: StoredResponse[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * Completed responses, oldest first (or `order: 'newest'` first), one page at a time; `search`
 * keeps those whose id starts with it or whose answers hold it (any case, as stored: codes and
 * typed texts).
 */
export async function listResponses(
  db: Kysely<CairnetDatabase>,
  opts: {
    instrumentName?: string;
    page: number;
    pageSize: number;
    order?: 'oldest' | 'newest';
    search?: string;
  },
): Promise<ResponsePage> {
  const dir = opts.order === 'newest' ? 'desc' : 'asc';
  let q = db.selectFrom('responses');
  if (opts.instrumentName) q = q.where('instrument_name', '=', opts.instrumentName);
  const search = opts.search?.trim();
  if (search) {
    const like = (s: string) => s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    q = q.where((eb) =>
      eb.or([
        sql<boolean>`lower(${sql.ref('id')}) like ${`${like(search)}%`} escape '\\'`,
        sql<boolean>`lower(${sql.ref('data')}) like ${`%${like(search)}%`} escape '\\'`,
      ]),
    );
  }
  const totalRow = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const rows = await q
    .select(RESPONSE_COLUMNS)
    .orderBy('completed_at', dir)
    .orderBy('id', dir)
    .limit(opts.pageSize)
    .offset((opts.page - 1) * opts.pageSize)
    .execute();
  return {
    items: rows.map(toStored),
    total: Number(totalRow?.n ?? 0),
    page: opts.page,
    pageSize: opts.pageSize,
  };
}

/** Every completed response of an instrument, streamed in batches (for exports and analysis). */
export async function* iterateResponses(
  db: Kysely<CairnetDatabase>,
  instrumentName: string,
  batch = 1000,
): AsyncGenerator<StoredResponse> {
  let after: { completedAt: string; id: string } | undefined;
  for (;;) {
    let q = db.selectFrom('responses').select(RESPONSE_COLUMNS).where('instrument_name', '=', instrumentName);
    if (after) {
      const a = after;
      // `completed_at >=` first, so that the index on (instrument_name, completed_at) starts the
      // scan at the page (an OR alone is a filter: every page would scan from the first row)
      q = q
        .where('completed_at', '>=', a.completedAt)
        .where((eb) =>
          eb.or([
            eb('completed_at', '>', a.completedAt),
            eb.and([eb('completed_at', '=', a.completedAt), eb('id', '>', a.id)]),
          ]),
        );
    }
    const rows = await q.orderBy('completed_at').orderBy('id').limit(batch).execute();
    for (const row of rows) yield toStored(row);
    const last = rows.at(-1);
    if (!last || rows.length < batch) return;
    after = { completedAt: last.completed_at, id: last.id };
  }
}

export async function getResponse(
  db: Kysely<CairnetDatabase>,
  id: string,
): Promise<StoredResponse | undefined> {
  const row = await db
    .selectFrom('responses')
    .select(RESPONSE_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toStored(row) : undefined;
}

export async function countResponses(db: Kysely<CairnetDatabase>, instrumentName?: string): Promise<number> {
  let q = db.selectFrom('responses');
  if (instrumentName) q = q.where('instrument_name', '=', instrumentName);
  const row = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** How many completed responses each version of an instrument holds (`name@version` → count). */
export async function countResponsesByVersion(db: Kysely<CairnetDatabase>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('responses')
    .select(['instrument_name', 'instrument_version', (eb) => eb.fn.countAll().as('n')])
    .groupBy(['instrument_name', 'instrument_version'])
    .execute();
  return new Map(rows.map((r) => [`${r.instrument_name}@${Number(r.instrument_version)}`, Number(r.n)]));
}

function toStored(row: ResponseRow): StoredResponse {
  return {
    id: row.id,
    instrumentName: row.instrument_name,
    instrumentVersion: Number(row.instrument_version),
    data: JSON.parse(row.data) as Record<string, unknown>,
    synthetic: Number(row.synthetic) === 1,
    meta: row.meta ? (JSON.parse(row.meta) as Record<string, unknown>) : null,
    invitationId: row.invitation_id,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    via: row.via,
  };
}

/** When an instrument's completed responses came in: the first and last `completed_at` (ISO), or null. */
export async function fieldworkPeriod(
  db: Kysely<CairnetDatabase>,
  instrumentName: string,
): Promise<{ from: string; to: string } | null> {
  const row = await db
    .selectFrom('responses')
    .where('instrument_name', '=', instrumentName)
    .select((eb) => [eb.fn.min('completed_at').as('from'), eb.fn.max('completed_at').as('to')])
    .executeTakeFirst();
  if (!row?.from || !row.to) return null;
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
  return { from: iso(row.from), to: iso(row.to) };
}

/**
 * The ids of an instrument's responses whose answer to a (top-level) question is `value`: the
 * stored text is narrowed by a `LIKE` (answers are stored as compact JSON), then each candidate's
 * answers are parsed to confirm.
 */
export async function responsesAnswering(
  db: Kysely<CairnetDatabase>,
  instrumentName: string,
  question: string,
  value: string,
): Promise<Set<string>> {
  const needle = JSON.stringify({ [question]: value }).slice(1, -1);
  const escaped = needle.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db
    .selectFrom('responses')
    .select(['id', 'data'])
    .where('instrument_name', '=', instrumentName)
    .where(sql<boolean>`data like ${`%${escaped}%`} escape '\\'`)
    .execute();
  const out = new Set<string>();
  for (const r of rows) {
    try {
      if ((JSON.parse(r.data) as Record<string, unknown>)[question] === value) out.add(r.id);
    } catch {}
  }
  return out;
}
