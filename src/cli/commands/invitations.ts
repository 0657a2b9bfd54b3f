import { readFile } from 'node:fs/promises';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { applyDeliveryReports, parseDeliveryReport } from '../../campaign/bounces.js';
import { readSettings } from '../../campaign/campaign-settings.js';
import { assertOpen } from '../../campaign/close-campaign.js';
import { type MailConfig, mailConfigFromEnv } from '../../campaign/mail-config.js';
import type { MessageKind } from '../../campaign/mail-templates.js';
import { type SendReport, sendRound } from '../../campaign/send-campaign.js';
import { runSendingJob } from '../../campaign/sending-job.js';
import { cairnetError, isCairnetError } from '../../errors.js';
import { openStore, type Store } from '../../store/open-store.js';
import { activeJob, createJob } from '../../store/repositories/jobs.js';
import { recordAudit } from '../../store/repositories/users.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

interface SendFlags {
  dryRun?: boolean;
  limit?: string;
  rate?: string;
  resendUncertain?: boolean;
  enqueue?: boolean;
  json?: boolean;
  db?: string;
  instrument: string;
}

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw cairnetError('CAIRNET_USAGE', `${name} must be a whole number, not "${v}"`);
  return Number(v);
}

function print(r: SendReport, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  const out = process.stdout;
  if (r.dryRun) {
    out.write(
      `dry run (${r.round}): ${r.eligible} would receive ${r.kind === 'invitation' ? 'an invitation' : 'a reminder'}; nothing sent, nothing stored\n`,
    );
    for (const p of r.preview ?? []) out.write(`  ${p.email} [${p.language}] ${p.subject}\n`);
    if (r.sample) {
      out.write(
        `\n--- first message (links hold a placeholder) ---\nTo: ${r.sample.to}\nSubject: ${r.sample.subject}\n\n${r.sample.text}`,
      );
    }
    return;
  }
  out.write(
    `${r.round}: sent ${r.sent}, refused for good ${r.failed}, to retry ${r.retryLater}, uncertain ${r.uncertain}, remaining ${r.remaining}` +
      `${r.stopped ? ` (${r.stopped})` : ''}\n`,
  );
}

function sendCommand(parent: Command, name: string, kind: MessageKind, description: string): void {
  withDbOption(
    parent
      .command(name)
      .description(description)
      .option('--dry-run', 'show who would receive what (and the first message); send and store nothing')
      .option('--limit <n>', 'send to at most N people in this run (the next run continues)')
      .option('--rate <perMinute>', 'messages a minute (default: the campaign setting rate_per_minute, 60)')
      .option(
        '--resend-uncertain',
        'also send to people whose earlier message is uncertain (a run stopped mid-exchange): they may get it twice',
      )
      .option(
        '--enqueue',
        'queue the round as a background job for the server (cairnet serve) and print its id; the page and GET /api/admin/jobs/ID show its progress',
      )
      .option('--json', 'print the report as JSON')
      .option('--instrument <name>', 'the survey whose population receives the round', 'cairnet'),
  ).action(
    action(async (opts: SendFlags) => {
      const limit = positive('--limit', opts.limit);
      const rate = positive('--rate', opts.rate);
      // A queued job is sent by the server, with the server's mail configuration.
      const config = opts.enqueue
        ? { smtpUrl: '', from: '', publicUrl: '' }
        : mailConfigFromEnv(process.env, !opts.dryRun);
      const store = await openStore({ db: opts.db });
      try {
        if (opts.dryRun) {
          print(
            await sendRound(store.db, opts.instrument, {
              kind,
              config,
              dryRun: true,
              limit,
              ratePerMinute: rate,
            }),
            opts.json,
          );
          return;
        }
        const report = await runAsJob(store, kind, opts, { limit, rate, config });
        if (report) print(report, opts.json);
      } finally {
        await store.close();
      }
    }),
  );
}

/**
 * Runs the round as a job, the same as a server's (one row in `jobs`, at most once per person),
 * held by this process while a progress bar shows on stderr; or, with `--enqueue`, only queues it.
 */
async function runAsJob(
  store: Store,
  kind: MessageKind,
  opts: SendFlags,
  o: { limit: number | undefined; rate: number | undefined; config: MailConfig },
): Promise<(SendReport & { jobId: string }) | undefined> {
  const settings = await readSettings(store.db, opts.instrument);
  assertOpen(settings.closedAt, kind === 'invitation' ? 'invitations' : 'reminders');
  const active = await activeJob(store.db, kind, opts.instrument);
  if (active) {
    throw cairnetError(
      'CAIRNET_JOB_ACTIVE',
      `${kind === 'invitation' ? 'An invitation' : 'A reminder'} job is already ${active.state} (${active.id})`,
      {
        jobId: active.id,
      },
    );
  }
  const params = {
    ...(o.rate ? { ratePerMinute: o.rate } : {}),
    ...(o.limit !== undefined ? { limit: o.limit } : {}),
    ...(opts.resendUncertain ? { resendUncertain: true } : {}),
  };
  const job = { kind, instrument: settings.instrument, params, createdBy: null };
  if (opts.enqueue) {
    const queued = await createJob(store.db, job);
    if (opts.json) process.stdout.write(`${JSON.stringify({ jobId: queued.id }, null, 2)}\n`);
    else process.stdout.write(`queued job ${queued.id}: a server (cairnet serve) sends it\n`);
    return undefined;
  }
  const owner = `cli:${process.pid}`;
  const leaseMs = 30_000;
  const claimed = await createJob(store.db, job, { owner, leaseMs });
  const bar = new SingleBar(
    { stream: process.stderr, format: `${kind}s [{bar}] {value}/{total} sent {sent} uncertain {uncertain}` },
    Presets.shades_classic,
  );
  let started = false;
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSigint);
  try {
    const outcome = await runSendingJob(store.db, claimed, {
      owner,
      leaseMs,
      mailConfig: () => o.config,
      stopping: () => interrupted,
      stopAs: 'failed',
      onProgress: (p) => {
        if (!started) bar.start(p.total, p.done, { sent: p.sent, uncertain: p.uncertain });
        started = true;
        bar.setTotal(p.total);
        bar.update(p.done, { sent: p.sent, uncertain: p.uncertain });
      },
    });
    if (started) bar.stop();
    if (outcome.error) {
      if (outcome.report) print(outcome.report, opts.json);
      else if (isCairnetError(outcome.error) && outcome.error.details) {
        print(outcome.error.details as SendReport, opts.json);
      }
      throw outcome.error;
    }
    return { ...outcome.report!, jobId: claimed.id };
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

export function register(program: Command): void {
  const invitations = program
    .command('invitations')
    .description('Personal invitations and reminders, by e-mail');
  sendCommand(
    invitations,
    'send',
    'invitation',
    'Send each person not yet invited their personal link (paced, resumable, never twice); needs CAIRNET_SMTP_URL, CAIRNET_MAIL_FROM, CAIRNET_PUBLIC_URL',
  );
  sendCommand(
    invitations,
    'remind',
    'reminder',
    'Send a reminder to those invited who have not completed (one per round; a stopped round is resumed)',
  );
  withDbOption(
    invitations
      .command('bounces')
      .description(
        'Read delivery reports that came back after sending (bounces, RFC 3464 .eml files): a permanent failure marks the person undeliverable',
      )
      .argument('<files...>', 'returned messages, one per file (.eml)')
      .option('--dry-run', 'report what would change; change nothing')
      .option('--json', 'print the report as JSON')
      .option('--instrument <name>', 'the survey whose messages came back', 'cairnet'),
  ).action(
    action(
      async (
        files: string[],
        opts: { dryRun?: boolean; json?: boolean; db?: string; instrument: string },
      ) => {
        const reports = [];
        for (const file of files) {
          let raw: string;
          try {
            raw = await readFile(file, 'utf8');
          } catch (e) {
            throw cairnetError('CAIRNET_FILE_UNREADABLE', `Cannot read ${file}: ${(e as Error).message}`);
          }
          reports.push(parseDeliveryReport(raw));
        }
        const store = await openStore({ db: opts.db });
        try {
          const r = await applyDeliveryReports(store.db, opts.instrument, reports, { dryRun: opts.dryRun });
          if (!opts.dryRun && r.undeliverable > 0) {
            await recordAudit(store.db, {
              userId: null,
              action: 'invitations.bounces',
              target: opts.instrument,
              detail: `undeliverable ${r.undeliverable}`,
            });
          }
          if (opts.json)
            process.stdout.write(`${JSON.stringify({ dryRun: opts.dryRun === true, ...r }, null, 2)}\n`);
          else {
            process.stdout.write(
              `${opts.dryRun ? 'dry run: would mark' : 'marked'} ${r.undeliverable} undeliverable; already known ${r.alreadyKnown}; temporary or other ${r.ignored}; not delivery reports ${r.notReports}; unknown addresses ${r.unknown.length}\n`,
            );
            for (const a of r.unknown) process.stdout.write(`  unknown: ${a}\n`);
          }
        } finally {
          await store.close();
        }
      },
    ),
  );
}
