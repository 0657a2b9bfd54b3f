import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { cairnetError } from '../../errors.js';
import type { CairnetDatabase } from '../schema.js';
import { recordAudit } from './users.js';

type Db = Kysely<CairnetDatabase>;

/** An instrument's publication: which snapshot is public since when, and who chose it. */
export interface Publication {
  instrument: string;
  publishedAt: string;
  publishedBy: string | null;
  /** Null only for a publication made before snapshots existed, until its first reader stores one. */
  snapshot: string | null;
}

/** One publication or withdrawal. */
export interface PublicationEvent {
  instrument: string;
  snapshot: string | null;
  action: 'publish' | 'withdraw';
  at: string;
  by: string | null;
}

/** The publication of an instrument's results, or null when they are not public. */
export async function findPublication(db: Db, instrument: string): Promise<Publication | null> {
  const row = await db
    .selectFrom('publications')
    .selectAll()
    .where('instrument', '=', instrument)
    .executeTakeFirst();
  return row
    ? {
        instrument: row.instrument,
        publishedAt: row.published_at,
        publishedBy: row.published_by,
        snapshot: row.snapshot_id,
      }
    : null;
}

/**
 * Makes a snapshot the public results of its instrument, replacing the one published before
 * (if any); written to the publication history and to the audit log (`results.publish`, detail
 * `{snapshot, previous}`) in the same transaction. Publishing the snapshot already public
 * changes nothing. A snapshot of another instrument, or unknown, is refused; so is the snapshot
 * of a demonstration survey, or of one holding synthetic responses (`CAIRNET_RESULTS_SYNTHETIC_REFUSED`):
 * synthetic data never reaches the public page. `demonstration: true` lifts that refusal for the
 * tests of the public page's own rendering of a synthetic flag; no route or command passes it.
 */
export async function publishSnapshot(
  db: Db,
  snapshotId: string,
  by: string | null,
  at: Date = new Date(),
  options: { demonstration?: boolean } = {},
): Promise<Publication> {
  const instrument = await db.transaction().execute(async (tx) => {
    const snap = await tx
      .selectFrom('result_snapshots')
      .select(['id', 'instrument'])
      .where('id', '=', snapshotId)
      .executeTakeFirst();
    if (!snap) throw cairnetError('CAIRNET_SNAPSHOT_NOT_FOUND', `No results snapshot "${snapshotId}"`);
    if (!options.demonstration && (await holdsSyntheticData(tx, snap.instrument)))
      throw cairnetError(
        'CAIRNET_RESULTS_SYNTHETIC_REFUSED',
        `"${snap.instrument}" is a demonstration survey (synthetic responses): its results are never published`,
      );
    const before = await tx
      .selectFrom('publications')
      .select('snapshot_id')
      .where('instrument', '=', snap.instrument)
      .executeTakeFirst();
    if (before?.snapshot_id === snapshotId) return snap.instrument;
    const values = {
      instrument: snap.instrument,
      published_at: at.toISOString(),
      published_by: by,
      snapshot_id: snapshotId,
    };
    await tx
      .insertInto('publications')
      .values(values)
      .onConflict((oc) =>
        oc.column('instrument').doUpdateSet({
          published_at: values.published_at,
          published_by: by,
          snapshot_id: snapshotId,
        }),
      )
      .execute();
    await history(tx, {
      instrument: snap.instrument,
      snapshot: snapshotId,
      action: 'publish',
      at: at.toISOString(),
      by,
    });
    await recordAudit(tx, {
      userId: by,
      action: 'results.publish',
      target: snap.instrument,
      detail: JSON.stringify({ snapshot: snapshotId, previous: before?.snapshot_id ?? null }),
    });
    return snap.instrument;
  });
  return (await findPublication(db, instrument))!;
}

/** Withdraws an instrument's results from the public page (history and audit log); true if they were public. */
export async function withdrawPublication(
  db: Db,
  instrument: string,
  by: string | null,
  at: Date = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('publications')
      .select('snapshot_id')
      .where('instrument', '=', instrument)
      .executeTakeFirst();
    if (!before) return false;
    await tx.deleteFrom('publications').where('instrument', '=', instrument).execute();
    await history(tx, {
      instrument,
      snapshot: before.snapshot_id,
      action: 'withdraw',
      at: at.toISOString(),
      by,
    });
    await recordAudit(tx, {
      userId: by,
      action: 'results.withdraw',
      target: instrument,
      detail: JSON.stringify({ snapshot: before.snapshot_id }),
    });
    return true;
  });
}

/**
 * Gives a publication made before snapshots existed its snapshot, once: when two servers race,
 * the first one's stays and both read it back.
 */
export async function attachSnapshot(
  db: Db,
  instrument: string,
  snapshotId: string,
): Promise<Publication | null> {
  await db
    .updateTable('publications')
    .set({ snapshot_id: snapshotId })
    .where('instrument', '=', instrument)
    .where('snapshot_id', 'is', null)
    .execute();
  return findPublication(db, instrument);
}

/** The publications and withdrawals of an instrument, oldest first. */
export async function publicationHistory(db: Db, instrument: string): Promise<PublicationEvent[]> {
  const rows = await db
    .selectFrom('publication_history')
    .selectAll()
    .where('instrument', '=', instrument)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    instrument: r.instrument,
    snapshot: r.snapshot_id,
    action: r.action,
    at: r.at,
    by: r.by,
  }));
}

async function history(db: Db, e: PublicationEvent): Promise<void> {
  await db
    .insertInto('publication_history')
    .values({
      id: randomUUID(),
      instrument: e.instrument,
      snapshot_id: e.snapshot,
      action: e.action,
      at: e.at,
      by: e.by,
    })
    .execute();
}

/** Whether a survey is a demonstration, or holds any synthetic response. */
export async function holdsSyntheticData(db: Db, instrument: string): Promise<boolean> {
  const survey = await db
    .selectFrom('surveys')
    .select('kind')
    .where('name', '=', instrument)
    .executeTakeFirst();
  if (survey?.kind === 'demo') return true;
  const synthetic = await db
    .selectFrom('responses')
    .select('id')
    .where('instrument_name', '=', instrument)
    .where('synthetic', '=', 1)
    .limit(1)
    .executeTakeFirst();
  return synthetic !== undefined;
}
