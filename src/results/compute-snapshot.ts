import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { cairnetError } from '../errors.js';
import type { ParsedPlan } from '../plan/parse-plan.js';
import { contentHash } from '../store/canonical-json.js';
import type { Store } from '../store/open-store.js';
import { ensureRegistry, reconcileStoredMentions } from '../store/repositories/associations.js';
import { currentInstrument } from '../store/repositories/instruments.js';
import {
  decisionsPosition,
  insertSnapshot,
  type ResponsesDigest,
  registryPosition,
  responsesDigest,
} from '../store/repositories/snapshots.js';
import { codeVersion } from './code-version.js';
import type { Snapshot, SnapshotAssociations, SnapshotBody, SnapshotInputs } from './snapshot.js';
import { evaluateParsedPlan } from './store-results.js';
import { surveyPlan } from './survey-plan.js';

export interface ComputeSnapshotOptions {
  /** Who asks: a user id, or `cli:` and the operating-system user. */
  by: string;
  /** A plan already parsed; else `planFile`, else the instrument's plan (see {@link surveyPlan}). */
  plan?: ParsedPlan;
  planFile?: string | undefined;
  instrument?: string | undefined;
  /** Where to count (default: SQL on PostgreSQL, in memory on SQLite). */
  counts?: 'memory' | 'sql';
  /** Draw the typology's factor map (default true). */
  factorMap?: boolean;
  /** Reconcile the association names for the most cited (default true). */
  associations?: boolean;
  exactRows?: number;
}

/** A new snapshot id: when it was made (UTC, to the second) and 24 random bits, e.g. `20261202T130102Z-9f3a1c`. */
export function newSnapshotId(at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

async function associationCounts(store: Store): Promise<SnapshotAssociations> {
  await ensureRegistry(store.db);
  const r = await reconcileStoredMentions(store.db, 20);
  return {
    distinct: r.distinct,
    mostCited: r.mostCited.map((c) => ({ label: c.label, responses: c.responses, entryId: c.entryId })),
  };
}

/**
 * Evaluates a plan on the stored responses and stores the result as a new, immutable snapshot
 * with its inputs named (instrument and versions, plan hash, the responses' count, latest
 * completion and hash, the association decisions log's position, the code version, when and by
 * whom). The responses are hashed while the plan is evaluated; should responses arrive in
 * between (the count evaluated differs from the count hashed), the evaluation is made again, up
 * to three times. An empty store is `CAIRNET_DATASET_EMPTY` and stores nothing.
 *
 * @example
 * const snap = await computeSnapshot(store, { by: cliActor() });
 * console.log(snap.snapshot.id, snap.results.n);
 */
export async function computeSnapshot(store: Store, options: ComputeSnapshotOptions): Promise<Snapshot> {
  const parsed =
    options.plan ??
    (await surveyPlan(store.db, { instrument: options.instrument, plan: options.planFile })).parsed;
  const instrument = parsed.plan.instrument;
  let evaluated: Awaited<ReturnType<typeof evaluateParsedPlan>> | undefined;
  let digest: ResponsesDigest | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    [evaluated, digest] = await Promise.all([
      evaluateParsedPlan(store, parsed, {
        factorMap: options.factorMap ?? true,
        ...(options.counts ? { counts: options.counts } : {}),
        ...(options.exactRows !== undefined ? { exactRows: options.exactRows } : {}),
      }),
      responsesDigest(store.db, instrument),
    ]);
    if (digest.count === evaluated.published.results.n) break;
  }
  if (!evaluated || !digest) throw cairnetError('CAIRNET_INTERNAL', 'The snapshot was not evaluated');
  const { published, mode } = evaluated;
  const [decisions, registry, stored, associations] = await Promise.all([
    decisionsPosition(store.db),
    options.associations === false ? null : registryPosition(store.db),
    currentInstrument(store.db, instrument),
    options.associations === false ? undefined : associationCounts(store),
  ]);
  const inputs: SnapshotInputs = {
    instrument: {
      name: instrument,
      version: stored?.version ?? null,
      hash: stored?.hash ?? null,
      responseVersions: digest.versions,
    },
    plan: { hash: contentHash(parsed.plan), file: basename(parsed.source) },
    responses: {
      count: digest.count,
      last: digest.last,
      hash: digest.hash,
      ...(digest.count !== published.results.n
        ? { note: `responses arrived while computing: the figures are on ${published.results.n} of them` }
        : {}),
    },
    decisions,
    registry,
    code: codeVersion(),
    counts: mode,
  };
  const body: SnapshotBody = {
    results: published.results,
    plan: published.plan,
    codebook: published.codebook,
    ...(published.factorMap ? { factorMap: published.factorMap } : {}),
    ...(associations ? { associations } : {}),
    ...(published.source !== undefined ? { source: published.source } : {}),
    ...(published.texts ? { texts: published.texts } : {}),
  };
  const computedAt = published.computedAt.toISOString();
  const id = newSnapshotId(published.computedAt);
  const resultsHash = contentHash(published.results);
  await insertSnapshot(store.db, {
    id,
    instrument,
    computed_at: computedAt,
    computed_by: options.by,
    plan_hash: inputs.plan.hash,
    code_version: inputs.code,
    responses_count: digest.count,
    responses_last: digest.last,
    responses_hash: digest.hash,
    decisions_count: decisions.count,
    decisions_last: decisions.last,
    results_hash: resultsHash,
    inputs: JSON.stringify(inputs),
    body: JSON.stringify(body),
  });
  return {
    ...published,
    ...(associations ? { associations } : {}),
    snapshot: { id, instrument, computedAt, computedBy: options.by, resultsHash, inputs },
  };
}
