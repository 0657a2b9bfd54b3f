import type { FastifyInstance } from 'fastify';
import { readSettings } from '../../campaign/campaign-settings.js';
import { assertOpen } from '../../campaign/close-campaign.js';
import type { MailConfig } from '../../campaign/mail-config.js';
import { cairnetError } from '../../errors.js';
import type { Store } from '../../store/open-store.js';
import { currentInstrument } from '../../store/repositories/instruments.js';
import { activeJob, createJob, getJob, type Job, type JobKind } from '../../store/repositories/jobs.js';
import { recordAudit } from '../../store/repositories/users.js';

const sendBody = {
  type: 'object',
  additionalProperties: false,
  required: ['instrument'],
  properties: {
    instrument: { type: 'string', minLength: 1, maxLength: 64 },
    ratePerMinute: { type: 'integer', minimum: 1, maximum: 100_000 },
  },
} as const;

const jobParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const;

/** The job as `GET /api/admin/jobs/:id` shows it (the contract's fields first). */
export function jobView(j: Job) {
  return {
    state: j.state,
    done: j.done,
    total: j.total,
    failed: j.failed,
    uncertain: j.uncertain,
    id: j.id,
    kind: j.kind,
    instrument: j.instrument,
    round: j.roundId,
    sent: j.sent,
    retryLater: j.retryLater,
    attempts: j.attempts,
    createdAt: j.createdAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    ...(j.errorCode ? { error: { code: j.errorCode, message: j.error } } : {}),
  };
}

/**
 * Sending rounds as background jobs: `POST /api/admin/campaign/invitations` (or `/reminders`)
 * queues one and answers `202 {"jobId"}` at once; a server's worker works it (see JobWorker),
 * and `GET /api/admin/jobs/:id` tells its progress. The round goes to the population of the
 * survey named by `instrument` (each survey has its own campaign). Refused before anything is
 * queued: an unknown instrument, a closed campaign, a missing SMTP configuration, or a job of the
 * same kind for that survey already queued or running.
 */
export function jobRoutes(
  app: FastifyInstance,
  deps: { store: Store; mailConfig: () => MailConfig; poke?: () => void },
): void {
  const { db } = deps.store;
  const enqueue = (kind: JobKind, path: string) =>
    app.post<{ Body: { instrument: string; ratePerMinute?: number } }>(
      path,
      { schema: { body: sendBody }, config: { roles: ['admin'] } },
      async (req, reply) => {
        const { instrument, ratePerMinute } = req.body;
        if (!(await currentInstrument(db, instrument))) {
          throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${instrument}"`);
        }
        const settings = await readSettings(db, instrument);
        assertOpen(settings.closedAt, kind === 'invitation' ? 'invitations' : 'reminders');
        deps.mailConfig();
        const active = await activeJob(db, kind, instrument);
        if (active) {
          throw cairnetError(
            'CAIRNET_JOB_ACTIVE',
            `${kind === 'invitation' ? 'An invitation' : 'A reminder'} job is already ${active.state}`,
            {
              jobId: active.id,
            },
          );
        }
        const job = await createJob(db, {
          kind,
          instrument,
          params: ratePerMinute ? { ratePerMinute } : {},
          createdBy: req.session!.user.id,
        });
        await recordAudit(db, {
          userId: req.session!.user.id,
          action: `jobs.${kind}.queued`,
          target: job.id,
          detail: JSON.stringify({ instrument, ratePerMinute: ratePerMinute ?? null }),
        });
        deps.poke?.();
        return reply.status(202).send({ jobId: job.id });
      },
    );
  enqueue('invitation', '/api/admin/campaign/invitations');
  enqueue('reminder', '/api/admin/campaign/reminders');

  app.get<{ Params: { id: string } }>(
    '/api/admin/jobs/:id',
    { schema: { params: jobParams }, config: { roles: ['admin'] } },
    async (req) => {
      const job = await getJob(db, req.params.id);
      if (!job) throw cairnetError('CAIRNET_JOB_NOT_FOUND', `No job ${req.params.id}`);
      return jobView(job);
    },
  );
}
