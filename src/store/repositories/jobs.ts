import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Store } from '../open-store.js';
import type { CairnetDatabase, JobTable } from '../schema.js';
import { markSendingUncertain } from './campaign-messages.js';

export type JobKind = 'invitation' | 'reminder';
export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface Job {
  id: string;
  kind: JobKind;
  instrument: string;
  /** `limit` and `resendUncertain` come from the command line only. */
  params: { ratePerMinute?: number; limit?: number; resendUncertain?: boolean };
  state: JobState;
  roundId: string | null;
  total: number;
  done: number;
  sent: number;
  failed: number;
  retryLater: number;
  uncertain: number;
  attempts: number;
  errorCode: string | null;
  error: string | null;
  leaseOwner: string | null;
  leaseUntil: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** The counters a worker writes as it goes. */
export interface JobProgress {
  roundId?: string;
  total: number;
  done: number;
  sent: number;
  failed: number;
  retryLater: number;
  uncertain: number;
}

function toJob(r: JobTable): Job {
  return {
    id: r.id,
    kind: r.kind === 'reminder' ? 'reminder' : 'invitation',
    instrument: r.instrument,
    params: JSON.parse(r.params) as Job['params'],
    state: r.state as JobState,
    roundId: r.round_id,
    total: Number(r.total),
    done: Number(r.done),
    sent: Number(r.sent),
    failed: Number(r.failed),
    retryLater: Number(r.retry_later),
    uncertain: Number(r.uncertain),
    attempts: Number(r.attempts),
    errorCode: r.error_code,
    error: r.error,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
    createdBy: r.created_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/**
 * Adds a job. `runBy` creates it already claimed by that worker (the command line runs its own
 * job, so no server takes it meanwhile); otherwise it waits, `queued`, for a server's worker.
 */
export async function createJob(
  db: Kysely<CairnetDatabase>,
  j: { kind: JobKind; instrument: string; params: Job['params']; createdBy: string | null },
  runBy?: { owner: string; leaseMs: number },
): Promise<Job> {
  const now = new Date();
  const row: JobTable = {
    id: randomUUID(),
    kind: j.kind,
    instrument: j.instrument,
    params: JSON.stringify(j.params),
    state: runBy ? 'running' : 'queued',
    round_id: null,
    total: 0,
    done: 0,
    sent: 0,
    failed: 0,
    retry_later: 0,
    uncertain: 0,
    attempts: runBy ? 1 : 0,
    error_code: null,
    error: null,
    lease_owner: runBy?.owner ?? null,
    lease_until: runBy ? new Date(now.getTime() + runBy.leaseMs).toISOString() : null,
    created_by: j.createdBy,
    created_at: now.toISOString(),
    started_at: runBy ? now.toISOString() : null,
    finished_at: null,
  };
  await db.insertInto('jobs').values(row).execute();
  return toJob(row);
}

export async function getJob(db: Kysely<CairnetDatabase>, id: string): Promise<Job | undefined> {
  const r = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toJob(r) : undefined;
}

/** A job of this kind for this survey still queued or running (with a live lease or not), if any. */
export async function activeJob(
  db: Kysely<CairnetDatabase>,
  kind: JobKind,
  instrument: string,
): Promise<Job | undefined> {
  const r = await db
    .selectFrom('jobs')
    .selectAll()
    .where('kind', '=', kind)
    .where('instrument', '=', instrument)
    .where('state', 'in', ['queued', 'running'])
    .orderBy('created_at')
    .executeTakeFirst();
  return r ? toJob(r) : undefined;
}

/**
 * Claims the oldest job that is queued, or running under a lease that ran out (its worker died
 * or lost the database): it becomes `running` under `owner` until now + `leaseMs`. Exactly one
 * worker wins a job: on PostgreSQL the candidate row is locked `FOR UPDATE SKIP LOCKED` (other
 * servers skip it and look at the next); on SQLite the one writer makes the conditional update
 * atomic. Returns the claimed job with `attempts` counted, or undefined.
 */
export async function claimJob(store: Store, owner: string, leaseMs: number): Promise<Job | undefined> {
  const now = new Date();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const claim = async (trx: Kysely<CairnetDatabase> | Transaction<CairnetDatabase>, lock: boolean) => {
    let q = trx
      .selectFrom('jobs')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('state', '=', 'queued'),
          eb.and([eb('state', '=', 'running'), eb('lease_until', '<', now.toISOString())]),
        ]),
      )
      .orderBy('created_at')
      .limit(1);
    if (lock) q = q.forUpdate().skipLocked();
    const candidate = await q.executeTakeFirst();
    if (!candidate) return undefined;
    const res = await trx
      .updateTable('jobs')
      .set((eb) => ({
        state: 'running',
        lease_owner: owner,
        lease_until: until,
        attempts: eb('attempts', '+', 1),
        started_at: eb.fn.coalesce('started_at', sql<string>`${now.toISOString()}`),
      }))
      .where('id', '=', candidate.id)
      .where((eb) =>
        eb.or([
          eb('state', '=', 'queued'),
          eb.and([eb('state', '=', 'running'), eb('lease_until', '<', now.toISOString())]),
        ]),
      )
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return undefined;
    const row = await trx.selectFrom('jobs').selectAll().where('id', '=', candidate.id).executeTakeFirst();
    return row ? toJob(row) : undefined;
  };
  if (store.adapter.name === 'postgres') return store.db.transaction().execute((trx) => claim(trx, true));
  return claim(store.db, false);
}

/**
 * Pushes the lease forward and writes the counters; false when the lease is no longer this
 * worker's (it ran out and another took the job): the worker must stop at once.
 */
export async function heartbeat(
  db: Kysely<CairnetDatabase>,
  id: string,
  owner: string,
  leaseMs: number,
  progress?: JobProgress,
): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({
      lease_until: new Date(Date.now() + leaseMs).toISOString(),
      ...(progress ? progressColumns(progress) : {}),
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

function progressColumns(p: JobProgress) {
  return {
    ...(p.roundId ? { round_id: p.roundId } : {}),
    total: p.total,
    done: p.done,
    sent: p.sent,
    failed: p.failed,
    retry_later: p.retryLater,
    uncertain: p.uncertain,
  };
}

/** Ends a job this worker holds: `done`, or `failed` with the error's code and message. */
export async function finishJob(
  db: Kysely<CairnetDatabase>,
  id: string,
  owner: string,
  outcome: { state: 'done' | 'failed'; progress: JobProgress; errorCode?: string; error?: string },
): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({
      ...progressColumns(outcome.progress),
      state: outcome.state,
      error_code: outcome.errorCode ?? null,
      error: outcome.error?.slice(0, 1000) ?? null,
      lease_owner: null,
      lease_until: null,
      finished_at: new Date().toISOString(),
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Gives a job back (a server shutting down): another worker may claim it at once. */
export async function releaseJob(
  db: Kysely<CairnetDatabase>,
  id: string,
  owner: string,
  progress: JobProgress,
): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ ...progressColumns(progress), state: 'queued', lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

/**
 * Messages of a round left `sending` by a worker that died (attempted before `before`, when the
 * job was claimed again): whether the SMTP server accepted them is unknown, so they become
 * `uncertain` and are never resent blindly. Returns how many.
 */
export async function markInFlightUncertain(
  db: Kysely<CairnetDatabase>,
  survey: string,
  roundId: string,
  before: string,
): Promise<number> {
  return markSendingUncertain(
    db,
    survey,
    before,
    'in flight when its sending job stopped; delivery unknown',
    {
      roundId,
    },
  );
}

/** The latest jobs, newest first. */
export async function listJobs(db: Kysely<CairnetDatabase>, limit: number): Promise<Job[]> {
  const rows = await db.selectFrom('jobs').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
  return rows.map(toJob);
}
