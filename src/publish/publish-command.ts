import type { Command } from 'commander';
import { withDbOption } from '../cli/db-option.js';
import { action } from '../cli/run-action.js';
import { openStore } from '../store/open-store.js';
import { findPublication, publishResults, withdrawResults } from './publications.js';

/**
 * `cairnet publish [--withdraw] [--status] [--instrument cairnet] [--db …]`: makes the results
 * public on /results/NAME, withdraws them, or says whether they are. (Registered by the report
 * command's file: the CLI loads one file per command folder entry.)
 */
export function registerPublish(program: Command): void {
  withDbOption(
    program
      .command('publish')
      .description(
        'Publish the results on the public page /results/NAME (or withdraw them, or show the state)',
      )
      .option('--withdraw', 'take the results off the public page')
      .option('--status', 'only say whether the results are published')
      .option('--instrument <name>', 'which instrument', 'cairnet')
      .option('--json', 'print {"instrument", "published", "publishedAt"} as JSON'),
  ).action(
    action(
      async (opts: {
        withdraw?: boolean;
        status?: boolean;
        instrument: string;
        json?: boolean;
        db?: string;
      }) => {
        const store = await openStore({ db: opts.db });
        try {
          if (opts.withdraw) await withdrawResults(store.db, opts.instrument);
          else if (!opts.status) await publishResults(store.db, opts.instrument, null);
          const p = await findPublication(store.db, opts.instrument);
          const state = {
            instrument: opts.instrument,
            published: p !== null,
            publishedAt: p?.publishedAt ?? null,
          };
          process.stdout.write(
            opts.json
              ? `${JSON.stringify(state)}\n`
              : `${opts.instrument}: ${p ? `published since ${p.publishedAt} on /results/${opts.instrument}` : 'not published'}\n`,
          );
        } finally {
          await store.close();
        }
      },
    ),
  );
}
