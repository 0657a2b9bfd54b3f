import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { cliActor } from '../../exports/export-audit.js';
import { computeSnapshot } from '../../results/compute-snapshot.js';
import { loadSnapshot } from '../../results/load-snapshot.js';
import { openStore } from '../../store/open-store.js';
import {
  findPublication,
  publishSnapshot,
  withdrawPublication,
} from '../../store/repositories/publications.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

interface PublishOpts {
  snapshot?: string;
  withdraw?: boolean;
  status?: boolean;
  instrument?: string;
  plan?: string;
  json?: boolean;
  db?: string;
}

/**
 * `cairnet publish [--snapshot ID] [--withdraw] [--status] [--instrument NAME] [--db …]`: puts a
 * stored snapshot on the public page /results/NAME (without `--snapshot`, a new snapshot of the
 * current responses, whose id it prints), withdraws it, or says which one is public. Every
 * publication and withdrawal is kept in the publication history and the audit log.
 */
export function register(program: Command): void {
  withDbOption(
    program
      .command('publish')
      .description(
        'Publish a results snapshot on the public page /results/NAME (a new one without --snapshot), withdraw it, or show which is public',
      )
      .option('--snapshot <id>', 'the stored snapshot to publish (see `cairnet results list`)')
      .option('--withdraw', 'take the results off the public page')
      .option('--status', 'only say whether and which results are published')
      .option('--instrument <name>', 'which instrument (default cairnet)')
      .option('--plan <file>', 'analysis plan of a new snapshot (YAML); default instruments/NAME/plan.yaml')
      .option('--json', 'print {"instrument", "published", "publishedAt", "snapshot"} as JSON'),
  ).action(
    action(async (opts: PublishOpts) => {
      if ([opts.snapshot !== undefined, opts.withdraw, opts.status].filter(Boolean).length > 1)
        throw cairnetError('CAIRNET_USAGE', 'Give one of --snapshot, --withdraw and --status');
      const store = await openStore({ db: opts.db });
      try {
        const actor = cliActor();
        let instrument = opts.instrument ?? 'cairnet';
        if (opts.withdraw) await withdrawPublication(store.db, instrument, actor);
        else if (!opts.status) {
          let id = opts.snapshot;
          if (id !== undefined) {
            const snap = await loadSnapshot(store, id);
            if (opts.instrument !== undefined && snap.snapshot.instrument !== opts.instrument)
              throw cairnetError(
                'CAIRNET_USAGE',
                `Snapshot ${id} holds the results of "${snap.snapshot.instrument}", not "${opts.instrument}"`,
              );
            instrument = snap.snapshot.instrument;
          } else {
            const snap = await computeSnapshot(store, {
              instrument: opts.instrument,
              planFile: opts.plan,
              by: actor,
            });
            id = snap.snapshot.id;
            instrument = snap.snapshot.instrument;
          }
          await publishSnapshot(store.db, id, actor);
        }
        const p = await findPublication(store.db, instrument);
        const state = {
          instrument,
          published: p !== null,
          publishedAt: p?.publishedAt ?? null,
          snapshot: p?.snapshot ?? null,
        };
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(state)}\n`
            : `${instrument}: ${p ? `snapshot ${p.snapshot ?? '(none yet)'} published since ${p.publishedAt} on /results/${instrument}` : 'not published'}\n`,
        );
      } finally {
        await store.close();
      }
    }),
  );
}
