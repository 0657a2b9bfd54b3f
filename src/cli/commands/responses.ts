import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { writeResponsesCsv } from '../../exports/responses-csv.js';
import { openStore } from '../../store/open-store.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

export function register(program: Command): void {
  const responses = program.command('responses').description('Completed responses');
  withDbOption(
    responses
      .command('export')
      .description('Export completed responses, one row each (response id first, codebook columns)')
      .option('--format <format>', 'csv', 'csv')
      .option('--instrument <name>', 'which instrument', 'cairnet')
      .option('--out <file>', 'write to this file (default: standard output)'),
  ).action(
    action(async (opts: { format: string; instrument: string; out?: string; db?: string }) => {
      if (opts.format !== 'csv') {
        throw cairnetError('CAIRNET_USAGE', `--format ${opts.format} is not supported here (use csv)`);
      }
      const store = await openStore({ db: opts.db });
      try {
        let out: NodeJS.WritableStream & import('node:stream').Writable;
        if (opts.out) {
          out = createWriteStream(opts.out);
          await new Promise<void>((resolve, reject) => {
            out.once('open', () => resolve());
            out.once('error', (e) =>
              reject(cairnetError('CAIRNET_FILE_UNREADABLE', `Cannot write ${opts.out}: ${e.message}`)),
            );
          });
        } else {
          out = new PassThrough();
          out.pipe(process.stdout);
        }
        const n = await writeResponsesCsv(store, opts.instrument, out);
        if (opts.out) process.stderr.write(`wrote ${n} responses to ${opts.out}\n`);
      } finally {
        await store.close();
      }
    }),
  );
}
