import type { Command } from 'commander';
import { openStore } from '../../store/open-store.js';
import { reconcileStoredMentions } from '../../store/repositories/associations.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

interface CitedOpts {
  json?: boolean;
  db?: string;
}

/**
 * `cairnet associations cited`: the associations each stored response cites once the reviewers'
 * decisions are replayed, as `GET /api/admin/associations/cited` gives them.
 */
export function register(program: Command): void {
  const associations = program
    .command('associations')
    .description('The associations the stored responses cite, as the review left them');
  withDbOption(
    associations
      .command('cited')
      .description(
        'Each response and the associations it cites (registry ids, or candidate groups), after the decisions not undone, replayed in order',
      )
      .option('--json', 'print {"distinct", "responses": [{responseId, associations: [entryId or group]}]}'),
  ).action(
    action(async (opts: CitedOpts) => {
      const store = await openStore({ db: opts.db });
      try {
        const r = await reconcileStoredMentions(store.db);
        const responses = r.cited.map((c) => ({
          responseId: c.responseId,
          associations: c.associations.map((a) => a.entryId ?? a.group),
        }));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ distinct: r.distinct, responses })}\n`);
          return;
        }
        process.stdout.write(`${r.distinct} distinct associations cited\n`);
        for (const x of responses) process.stdout.write(`${x.responseId}\t${x.associations.join(' | ')}\n`);
      } finally {
        await store.close();
      }
    }),
  );
}
