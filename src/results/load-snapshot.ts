import { cairnetError } from '../errors.js';
import type { Store } from '../store/open-store.js';
import { attachSnapshot, findPublication, type Publication } from '../store/repositories/publications.js';
import { findSnapshotRow } from '../store/repositories/snapshots.js';
import type { ResultSnapshotTable } from '../store/schema.js';
import { computeSnapshot } from './compute-snapshot.js';
import type { Snapshot, SnapshotBody, SnapshotInputs } from './snapshot.js';

/** A stored row, as the snapshot it holds. */
export function snapshotFromRow(row: ResultSnapshotTable): Snapshot {
  const body = JSON.parse(row.body) as SnapshotBody;
  return {
    results: body.results,
    plan: body.plan,
    codebook: body.codebook,
    ...(body.factorMap ? { factorMap: body.factorMap } : {}),
    ...(body.associations ? { associations: body.associations } : {}),
    ...(body.source !== undefined ? { source: body.source } : {}),
    ...(body.texts ? { texts: body.texts } : {}),
    computedAt: new Date(row.computed_at),
    snapshot: {
      id: row.id,
      instrument: row.instrument,
      computedAt: row.computed_at,
      computedBy: row.computed_by,
      resultsHash: row.results_hash,
      inputs: JSON.parse(row.inputs) as SnapshotInputs,
    },
  };
}

/** Loads a stored snapshot (`CAIRNET_SNAPSHOT_NOT_FOUND` when there is none with this id). */
export async function loadSnapshot(store: Store, id: string): Promise<Snapshot> {
  const row = await findSnapshotRow(store.db, id);
  if (!row)
    throw cairnetError(
      'CAIRNET_SNAPSHOT_NOT_FOUND',
      `No results snapshot "${id}" (see \`cairnet results list\`)`,
    );
  return snapshotFromRow(row);
}

/**
 * An instrument's publication with its snapshot id, or null when its results are not public. A
 * publication made before snapshots existed gets one now, computed from the current responses
 * and stored once (two servers racing keep the first).
 */
export async function publishedSnapshotId(
  store: Store,
  instrument: string,
): Promise<(Publication & { snapshot: string }) | null> {
  const p = await findPublication(store.db, instrument);
  if (!p) return null;
  if (p.snapshot !== null) return { ...p, snapshot: p.snapshot };
  const snap = await computeSnapshot(store, { instrument, by: p.publishedBy ?? 'publication' });
  const attached = await attachSnapshot(store.db, instrument, snap.snapshot.id);
  return attached?.snapshot ? { ...attached, snapshot: attached.snapshot } : null;
}
