import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { ensureCairnetInstrument } from '../../server/bootstrap.js';
import { buildApp } from '../../server/build-app.js';
import { leaseFromEnv } from '../../server/job-worker.js';
import { loggerOptions } from '../../server/logging.js';
import { openStore } from '../../store/open-store.js';
import { countResponses } from '../../store/repositories/responses.js';
import { countUsers, issueOneTimeToken, LINK_HOURS } from '../../store/repositories/team.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';
import { writeDemoPanel } from './demo.js';

interface ServeOptions {
  port: string;
  host: string;
  db?: string;
  demo: boolean;
}

export function register(program: Command): void {
  withDbOption(
    program
      .command('serve')
      .description('Serve the platform: the respondent form, the API and the survey team pages')
      .option('--port <port>', 'TCP port', process.env.PORT ?? '3000')
      .option('--host <host>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
      .option('--no-demo', 'do not load the demonstration panel into an empty database'),
  ).action(
    action(async (opts: ServeOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw cairnetError(
          'CAIRNET_USAGE',
          `--port must be a whole number from 0 to 65535, not "${opts.port}"`,
        );
      }
      const store = await openStore({ db: opts.db });
      const { instrument, created } = await ensureCairnetInstrument(store);
      const log = (s: string) => process.stderr.write(`${s}\n`);
      log(
        `cairnet: store ${store.adapter.description}; instrument cairnet v${instrument.version}${created ? ' (new)' : ''}`,
      );
      if (opts.demo && (await countResponses(store.db)) === 0) {
        const n = await writeDemoPanel(store, { respondents: 651, seed: 2013 });
        log(
          `cairnet: empty database, loaded the demonstration panel into the survey cairnet-demo (${n} synthetic responses; --no-demo skips it, \`cairnet demo --remove\` deletes it)`,
        );
      }
      const publicUrl = process.env.CAIRNET_PUBLIC_URL ?? '';
      const app = await buildApp({
        store,
        logger: loggerOptions(process.env.LOG_LEVEL ?? 'info'),
        secureCookies: publicUrl.startsWith('https://'),
        trustProxy: ['1', 'true', 'yes'].includes((process.env.CAIRNET_TRUST_PROXY ?? '').toLowerCase()),
        // Sending jobs (invitations, reminders) are worked here; a job whose server died is
        // taken again once its lease (CAIRNET_JOB_LEASE_MS, 30 s) has run out.
        jobWorker: { leaseMs: leaseFromEnv(), log },
      });
      const close = async () => {
        await app.close();
        await store.close();
        process.exit(0);
      };
      process.once('SIGINT', close);
      process.once('SIGTERM', close);
      const address = await app.listen({ port, host: opts.host });
      log(
        `cairnet: serving ${address} (questionnaire at ${address}/s/cairnet, dashboard at ${address}/admin/dashboard)`,
      );
      if ((await countUsers(store.db)) === 0) {
        // First run: a one-time link to create the first admin (a new one at each start until then).
        const { token } = await issueOneTimeToken(store.db, 'setup', null);
        const base = publicUrl.trim().replace(/\/+$/, '') || address;
        log(
          `cairnet: no member of the survey team yet: set up the first admin at ${base}/setup/${token} (valid ${LINK_HOURS.setup} h, once)`,
        );
      }
    }),
  );
}
