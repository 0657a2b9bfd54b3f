import type { Kysely } from 'kysely';
import { cairnetError, isCairnetError } from '../errors.js';
import {
  finishJob,
  heartbeat,
  type Job,
  type JobProgress,
  markInFlightUncertain,
  releaseJob,
} from '../store/repositories/jobs.js';
import { recordAudit } from '../store/repositories/users.js';
import type { CairnetDatabase } from '../store/schema.js';
import type { MailConfig } from './mail-config.js';
import { type MailTransport, type SendReport, sendRound } from './send-campaign.js';

export interface RunJobOptions {
  /** Who holds the job's lease (a server's worker, or `cli:PID`). */
  owner: string;
  leaseMs: number;
  /** Read when the job starts: a missing SMTP configuration fails the job, not the worker. */
  mailConfig: () => MailConfig;
  /** True once the worker is asked to stop (the server shuts down): the job is given back. */
  stopping?: () => boolean;
  /** What a stop makes of the job: given back `queued` (a server) or `failed` (the command line's Ctrl-C). */
  stopAs?: 'queued' | 'failed';
  /** Told each change of the counters (the command line's progress bar). */
  onProgress?: (p: JobProgress) => void;
  transport?: MailTransport;
  /** Test seam, as `sendRound`'s. */
  hooks?: { beforeSend?: (n: number) => void | Promise<void> };
}

export interface JobOutcome {
  state: 'done' | 'failed' | 'released' | 'lost';
  progress: JobProgress;
  /** The last run's report (undefined when it failed before any). */
  report?: SendReport;
  error?: unknown;
}

/**
 * Works one sending job that this owner has claimed: runs `sendRound` (at most once per person
 * and round; see there) while a heartbeat keeps the lease, writing the counters as it goes.
 * A job claimed again after a crash first turns its round's messages left `sending` into
 * `uncertain` (never resent blindly), then sends to whoever is still eligible. A lost lease
 * (another worker took the job) stops the run before the next person; a shutdown gives the job
 * back, `queued`, for the next worker.
 */
export async function runSendingJob(
  db: Kysely<CairnetDatabase>,
  job: Job,
  opts: RunJobOptions,
): Promise<JobOutcome> {
  const claimedAt = new Date().toISOString();
  let marked = 0;
  if (job.attempts > 1 && job.roundId)
    marked = await markInFlightUncertain(db, job.instrument, job.roundId, claimedAt);
  const base = { done: job.done + marked, sent: job.sent, failed: job.failed, retry: job.retryLater };
  const baseUncertain = job.uncertain + marked;
  let progress: JobProgress = {
    ...(job.roundId ? { roundId: job.roundId } : {}),
    total: Math.max(job.total, base.done),
    done: base.done,
    sent: base.sent,
    failed: base.failed,
    retryLater: base.retry,
    uncertain: baseUncertain,
  };
  let lost = false;
  let writing: Promise<unknown> = Promise.resolve();
  const beat = async () => {
    const ok = await heartbeat(db, job.id, opts.owner, opts.leaseMs, progress).catch(() => true);
    if (!ok) lost = true;
  };
  const timer = setInterval(
    () => {
      writing = writing.then(beat);
    },
    Math.max(50, Math.floor(opts.leaseMs / 3)),
  );
  const stop = () => lost || (opts.stopping?.() ?? false);
  const onReport = async (r: SendReport) => {
    progress = {
      roundId: r.round,
      total: base.done + r.eligible,
      done: base.done + (r.eligible - r.remaining),
      sent: base.sent + r.sent,
      failed: base.failed + r.failed,
      retryLater: base.retry + r.retryLater,
      uncertain: baseUncertain + r.uncertain,
    };
    opts.onProgress?.(progress);
    writing = writing.then(beat);
    await writing;
  };
  const sleep = async (ms: number) => {
    const end = Date.now() + ms;
    while (!stop() && Date.now() < end) {
      await new Promise<void>((r) => setTimeout(r, Math.min(100, end - Date.now())));
    }
  };
  try {
    let report: SendReport | undefined;
    let error: unknown;
    try {
      report = await sendRound(db, job.instrument, {
        kind: job.kind,
        config: opts.mailConfig(),
        ratePerMinute: job.params.ratePerMinute,
        limit: job.params.limit,
        resendUncertain: job.params.resendUncertain,
        transport: opts.transport,
        shouldStop: stop,
        onProgress: onReport,
        sleep,
        ...(opts.hooks ? { hooks: opts.hooks } : {}),
      });
    } catch (e) {
      error = e;
      const partial = isCairnetError(e) ? (e.details as SendReport | undefined) : undefined;
      if (partial && typeof partial.eligible === 'number') await onReport(partial);
    }
    clearInterval(timer);
    await writing;
    if (lost) return { state: 'lost', progress, ...(report ? { report } : {}), error };
    if (!error && report?.stopped === 'stopped' && opts.stopAs !== 'failed') {
      await releaseJob(db, job.id, opts.owner, progress);
      return { state: 'released', progress, report };
    }
    if (!error && report?.stopped === 'stopped') {
      error = cairnetError(
        'CAIRNET_JOB_INTERRUPTED',
        'The run was stopped before its end; start it again to continue',
      );
    }
    const state = error ? 'failed' : 'done';
    // Logged before the job shows as finished: whoever sees it finished finds it in the log.
    await recordAudit(db, {
      userId: job.createdBy,
      action: job.kind === 'invitation' ? 'invitations.send' : 'invitations.remind',
      target: progress.roundId ?? job.kind,
      detail: `job ${job.id} ${state}: sent ${progress.sent}, failed ${progress.failed}, uncertain ${progress.uncertain}`,
    });
    await finishJob(db, job.id, opts.owner, {
      state,
      progress,
      ...(error
        ? {
            errorCode: isCairnetError(error) ? error.code : 'CAIRNET_INTERNAL',
            error: error instanceof Error ? error.message : String(error),
          }
        : {}),
    });
    return { state, progress, ...(report ? { report } : {}), ...(error ? { error } : {}) };
  } finally {
    clearInterval(timer);
  }
}
