import { createWriteStream, rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { cliActor, recordExport } from '../../exports/export-audit.js';
import { checkFormat } from '../../exports/export-files.js';
import { writeResponsesCsv } from '../../exports/responses-csv.js';
import { openStore } from '../../store/open-store.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

export function register(program: Command): void {
  const responses = program.command('responses').description('Completed responses');
  withDbOption(
    responses
      .command('export')
      .description(
        'Export completed responses, one row each (response id first, codebook columns); written to the audit log',
      )
      .option('--format <format>', 'csv', 'csv')
      .option('--instrument <name>', 'which instrument', 'cairnet')
      .option('--out <file>', 'write to this file (default: standard output)'),
  ).action(
    action(async (opts: { format: string; instrument: string; out?: string; db?: string }) => {
      const format = checkFormat(opts.format, ['csv'] as const, '--format');
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
        try {
          await recordExport(store.db, {
            actor: cliActor(),
            kind: 'responses',
            target: opts.instrument,
            format,
            rows: n,
            via: 'cli',
            extra: opts.out ? { out: opts.out } : { out: 'stdout' },
          });
        } catch (e) {
          // An export leaves the store logged, or not at all (a file, at least, can be taken back).
          if (opts.out) rmSync(opts.out, { force: true });
          throw e;
        }
        if (opts.out) process.stderr.write(`wrote ${n} responses to ${opts.out}\n`);
      } finally {
        await store.close();
      }
    }),
  );
}
