import type { Command } from 'commander';
import { generatePanel } from '../../demo/index.js';
import { cairnetError } from '../../errors.js';
import { ensureCairnetInstrument } from '../../server/bootstrap.js';
import { openStore, type Store } from '../../store/open-store.js';
import { insertResponsesBulk } from '../../store/repositories/responses.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

/**
 * Writes a synthetic panel as completed responses, each flagged `synthetic` in the store, with
 * its latent profile and the registry ids it meant to cite kept in the response's metadata.
 */
export async function writeDemoPanel(
  store: Store,
  opts: { respondents: number; seed: number },
): Promise<number> {
  const { instrument } = await ensureCairnetInstrument(store);
  const panel = generatePanel(opts);
  const start = Date.UTC(2012, 3, 2);
  const span = Date.UTC(2012, 5, 29) - start;
  return insertResponsesBulk(
    store.db,
    panel.map((r, i) => ({
      instrumentName: 'cairnet',
      instrumentVersion: instrument.version,
      data: r.data,
      synthetic: true,
      idempotencyKey: `demo-${opts.seed}-${opts.respondents}-${i}`,
      meta: {
        synthetic: true,
        profile: r.profile,
        intendedAssociations: r.intendedAssociations,
        seed: opts.seed,
      },
      completedAt: new Date(start + Math.floor((span * (i + 0.5)) / panel.length)).toISOString(),
    })),
  );
}

function positiveInt(name: string, v: string, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw cairnetError('CAIRNET_USAGE', `${name} must be a whole number from 1 to ${max}, not "${v}"`);
  }
  return n;
}

export function register(program: Command): void {
  withDbOption(
    program
      .command('demo')
      .description(
        'Write a synthetic demonstration panel (flagged as synthetic) drawn from the four-profile model',
      )
      .option('--respondents <n>', 'how many respondents', '651')
      .option('--seed <n>', 'random seed (the same seed gives the same panel)', '2013'),
  ).action(
    action(async (opts: { respondents: string; seed: string; db?: string }) => {
      const respondents = positiveInt('--respondents', opts.respondents, 1_000_000);
      const seed = positiveInt('--seed', opts.seed, 2 ** 31 - 1);
      const store = await openStore({ db: opts.db });
      try {
        const existing = await store.db
          .selectFrom('responses')
          .select('id')
          .where('idempotency_key', '=', `demo-${seed}-${respondents}-0`)
          .executeTakeFirst();
        if (existing) {
          throw cairnetError(
            'CAIRNET_RESPONSE_ALREADY_COMPLETED',
            `This store already holds the demonstration panel of ${respondents} respondents with seed ${seed}`,
          );
        }
        const n = await writeDemoPanel(store, { respondents, seed });
        process.stdout.write(
          `wrote ${n} synthetic responses (seed ${seed}) to ${store.adapter.description}\n`,
        );
      } finally {
        await store.close();
      }
    }),
  );
}
