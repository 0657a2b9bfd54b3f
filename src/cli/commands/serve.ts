import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { ensureCairnetInstrument } from '../../server/bootstrap.js';
import { buildApp } from '../../server/build-app.js';
import { loggerOptions } from '../../server/logging.js';
import { openStore } from '../../store/open-store.js';
import { countResponses } from '../../store/repositories/responses.js';
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
    }),
  );
}
