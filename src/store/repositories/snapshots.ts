import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { cairnetError } from '../../errors.js';
import type { CairnetDatabase, ResultSnapshotTable } from '../schema.js';

type Db = Kysely<CairnetDatabase>;

/** A snapshot's row without its body: what lists and checks read. */
export type SnapshotMeta = Omit<ResultSnapshotTable, 'body'>;

const META_COLUMNS = [
  'id',
  'instrument',
  'computed_at',
  'computed_by',
  'plan_hash',
  'code_version',
  'responses_count',
  'responses_last',
  'responses_hash',
  'decisions_count',
  'decisions_last',
  'results_hash',
  'inputs',
] as const;

function meta<T extends SnapshotMeta>(row: T): T {
  return {
    ...row,
    responses_count: Number(row.responses_count),
    decisions_count: Number(row.decisions_count),
  };
}

/** Stores a new snapshot (snapshots are never updated: a trigger refuses it). */
export async function insertSnapshot(db: Db, row: ResultSnapshotTable): Promise<void> {
  await db.insertInto('result_snapshots').values(row).execute();
}

/** A snapshot's whole row, or undefined. */
export async function findSnapshotRow(db: Db, id: string): Promise<ResultSnapshotTable | undefined> {
  const row = await db.selectFrom('result_snapshots').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? meta(row) : undefined;
}

/** Snapshots without their bodies, newest first. */
export async function listSnapshots(
  db: Db,
  options: { instrument?: string | undefined; limit?: number } = {},
): Promise<SnapshotMeta[]> {
  let q = db.selectFrom('result_snapshots').select(META_COLUMNS);
  if (options.instrument) q = q.where('instrument', '=', options.instrument);
  const rows = await q
    .orderBy('computed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 1000)
    .execute();
  return rows.map(meta);
}

/** The newest snapshot of an instrument (without its body), or undefined. */
export async function latestSnapshotMeta(db: Db, instrument: string): Promise<SnapshotMeta | undefined> {
  return (await listSnapshots(db, { instrument, limit: 1 }))[0];
}

/**
 * Deletes a snapshot that was never published: one that is or was public is refused
 * (`CAIRNET_SNAPSHOT_PUBLISHED`; the foreign keys of `publications` and `publication_history`
 * refuse it too). An unknown id is `CAIRNET_SNAPSHOT_NOT_FOUND`.
 */
export async function deleteSnapshot(db: Db, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('result_snapshots').select('id').where('id', '=', id).executeTakeFirst();
    if (!row) throw cairnetError('CAIRNET_SNAPSHOT_NOT_FOUND', `No results snapshot "${id}"`);
    const published = await tx
      .selectFrom('publication_history')
      .select('instrument')
      .where('snapshot_id', '=', id)
      .union(tx.selectFrom('publications').select('instrument').where('snapshot_id', '=', id))
      .executeTakeFirst();
    if (published)
      throw cairnetError(
        'CAIRNET_SNAPSHOT_PUBLISHED',
        `Snapshot ${id} was published (${published.instrument}): what was published is kept`,
      );
    await tx.deleteFrom('result_snapshots').where('id', '=', id).execute();
  });
}

/** The responses a snapshot is computed from, named. */
export interface ResponsesDigest {
  count: number;
  /** The latest completion, or null without responses. */
  last: string | null;
  /** sha256 over `id:data_hash` of every response, in (completed_at, id) order. */
  hash: string;
  /** The instrument versions the responses were given under, ascending. */
  versions: number[];
}

/**
 * Reads the ids and answer hashes of an instrument's completed responses, a page at a time
 * along the (instrument, completed_at) index, and hashes them: the same responses give the
 * same hash, one changed, added or removed response another.
 */
export async function responsesDigest(db: Db, instrument: string, page = 20_000): Promise<ResponsesDigest> {
  const hash = createHash('sha256');
  const versions = new Set<number>();
  let count = 0;
  let last: string | null = null;
  let after: { at: string; id: string } | undefined;
  for (;;) {
    let q = db
      .selectFrom('responses')
      .select(['id', 'data_hash', 'completed_at', 'instrument_version'])
      .where('instrument_name', '=', instrument);
    if (after) {
      const a = after;
      q = q
        .where('completed_at', '>=', a.at)
        .where((eb) =>
          eb.or([
            eb('completed_at', '>', a.at),
            eb.and([eb('completed_at', '=', a.at), eb('id', '>', a.id)]),
          ]),
        );
    }
    const rows = await q.orderBy('completed_at').orderBy('id').limit(page).execute();
    for (const r of rows) {
      hash.update(`${r.id}:${r.data_hash}\n`);
      versions.add(Number(r.instrument_version));
      if (last === null || r.completed_at > last) last = r.completed_at;
    }
    count += rows.length;
    const end = rows.at(-1);
    if (!end || rows.length < page) break;
    after = { at: end.completed_at, id: end.id };
  }
  return { count, last, hash: hash.digest('hex'), versions: [...versions].sort((a, b) => a - b) };
}

/** How many responses an instrument has and the latest completion: one indexed query. */
export async function responsesFingerprint(
  db: Db,
  instrument: string,
): Promise<{ count: number; last: string | null }> {
  const row = await db
    .selectFrom('responses')
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('completed_at').as('last')])
    .where('instrument_name', '=', instrument)
    .executeTakeFirst();
  return { count: Number(row?.n ?? 0), last: (row?.last as string | null | undefined) ?? null };
}

/**
 * Where the association decisions log stands: how many events (each decision, and each undo of
 * one, counts once, so the position only grows), and the last decision's id.
 */
export async function decisionsPosition(db: Db): Promise<{ count: number; last: string | null }> {
  const [n, lastRow] = await Promise.all([
    db
      .selectFrom('association_decisions')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.count('undone_at').as('undone')])
      .executeTakeFirst(),
    db.selectFrom('association_decisions').select('id').orderBy('seq', 'desc').limit(1).executeTakeFirst(),
  ]);
  return { count: Number(n?.n ?? 0) + Number(n?.undone ?? 0), last: lastRow?.id ?? null };
}

/** Where the association registry stands: how many entries, and the latest change. */
export async function registryPosition(db: Db): Promise<{ count: number; last: string | null }> {
  const row = await db
    .selectFrom('association_entries')
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('updated_at').as('last')])
    .executeTakeFirst();
  return { count: Number(row?.n ?? 0), last: (row?.last as string | null | undefined) ?? null };
}
