import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { MailConfig } from '../campaign/mail-config.js';
import type { MailTransport } from '../campaign/send-campaign.js';
import { runSendingJob } from '../campaign/sending-job.js';
import type { Store } from '../store/open-store.js';
import { claimJob } from '../store/repositories/jobs.js';

export interface JobWorkerOptions {
  /** How long a claimed job stays this worker's without a heartbeat (default 30 s). */
  leaseMs?: number;
  /** How often an idle worker looks for a job (default 1 s). */
  pollMs?: number;
  mailConfig: () => MailConfig;
  transport?: MailTransport;
  log?: (message: string) => void;
}

/** The lease of `cairnet serve`'s worker: `CAIRNET_JOB_LEASE_MS`, else 30 s. */
export function leaseFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.CAIRNET_JOB_LEASE_MS);
  return Number.isInteger(v) && v >= 200 ? v : 30_000;
}

/**
 * The background worker of an app server: claims one job at a time (see `claimJob`: exactly one
 * server works a job), runs it under a lease kept by a heartbeat, and goes back to looking. A
 * job whose worker died is claimed again once its lease has run out, by any server, including
 * the same one restarted. `stop()` lets the job in hand give itself back before the next person.
 */
export class JobWorker {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly store: Store,
    private readonly opts: JobWorkerOptions,
  ) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.pollMs = opts.pollMs ?? 1000;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Looks for a job now (a job was just queued) rather than at the next poll. */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let worked = false;
      try {
        const job = await claimJob(this.store, this.owner, this.leaseMs);
        if (job) {
          worked = true;
          const outcome = await runSendingJob(this.store.db, job, {
            owner: this.owner,
            leaseMs: this.leaseMs,
            mailConfig: this.opts.mailConfig,
            stopping: () => this.stopping,
            ...(this.opts.transport ? { transport: this.opts.transport } : {}),
          });
          this.opts.log?.(`cairnet: job ${job.id} (${job.kind}) ${outcome.state}`);
        }
      } catch (e) {
        this.opts.log?.(`cairnet: job worker: ${(e as Error).message}`);
      }
      if (!worked && !this.stopping) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.pollMs);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }
}
