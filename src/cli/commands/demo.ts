import type { Command } from 'commander';
import { generatePanel } from '../../demo/index.js';
import { cairnetError } from '../../errors.js';
import { DEMO_SURVEY, ensureDemoSurvey } from '../../server/bootstrap.js';
import { openStore, type Store } from '../../store/open-store.js';
import { responseIdBy } from '../../store/repositories/campaign-people.js';
import { insertResponsesBulk } from '../../store/repositories/responses.js';
import { removeDemoSurvey, responseKinds, SURVEY_NAME } from '../../store/repositories/surveys.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

/** The idempotency key of a demonstration response: the panel (seed, size) and the survey name. */
function demoKey(instrument: string, seed: number, respondents: number, i: number): string {
  const key = `demo-${seed}-${respondents}-${i}`;
  return instrument === DEMO_SURVEY ? key : `${instrument}:${key}`;
}

/**
 * Writes a synthetic panel as completed responses of a demonstration survey (`cairnet-demo` by
 * default, created if needed), each flagged `synthetic` in the store, with its latent profile
 * and the registry ids it meant to cite kept in the response's metadata. A real survey, or one
 * holding real responses, is refused (`CAIRNET_SURVEY_SYNTHETIC_REFUSED`): demonstration data
 * never sit among real responses.
 */
export async function writeDemoPanel(
  store: Store,
  opts: { respondents: number; seed: number; instrument?: string },
): Promise<number> {
  const name = opts.instrument ?? DEMO_SURVEY;
  const { instrument } = await ensureDemoSurvey(store, name);
  if ((await responseKinds(store.db, name)).real > 0) {
    throw cairnetError(
      'CAIRNET_SURVEY_SYNTHETIC_REFUSED',
      `"${name}" holds real responses: no synthetic response is added to it`,
    );
  }
  const panel = generatePanel(opts);
  const start = Date.UTC(2012, 3, 2);
  const span = Date.UTC(2012, 5, 29) - start;
  return insertResponsesBulk(
    store.db,
    panel.map((r, i) => ({
      instrumentName: name,
      instrumentVersion: instrument.version,
      data: r.data,
      synthetic: true,
      idempotencyKey: demoKey(name, opts.seed, opts.respondents, i),
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

interface DemoOptions {
  respondents: string;
  seed: string;
  instrument: string;
  remove?: boolean;
  db?: string;
}

export function register(program: Command): void {
  withDbOption(
    program
      .command('demo')
      .description(
        'Write a synthetic demonstration panel (flagged as synthetic) drawn from the four-profile model into a demonstration survey (cairnet-demo), or remove one',
      )
      .option('--respondents <n>', 'how many respondents', '651')
      .option('--seed <n>', 'random seed (the same seed gives the same panel)', '2013')
      .option('--instrument <name>', 'the demonstration survey', DEMO_SURVEY)
      .option('--remove', 'delete the demonstration survey and all its responses'),
  ).action(
    action(async (opts: DemoOptions) => {
      if (!SURVEY_NAME.test(opts.instrument))
        throw cairnetError(
          'CAIRNET_USAGE',
          `--instrument: letters, digits, - and _, not "${opts.instrument}"`,
        );
      const respondents = positiveInt('--respondents', opts.respondents, 1_000_000);
      const seed = positiveInt('--seed', opts.seed, 2 ** 31 - 1);
      const store = await openStore({ db: opts.db });
      try {
        if (opts.remove) {
          const n = await removeDemoSurvey(store.db, opts.instrument);
          process.stdout.write(
            `removed the demonstration survey ${opts.instrument} (${n} synthetic responses)\n`,
          );
          return;
        }
        if (await responseIdBy(store.db, 'idempotency_key', demoKey(opts.instrument, seed, respondents, 0))) {
          throw cairnetError(
            'CAIRNET_RESPONSE_ALREADY_COMPLETED',
            `This store already holds the demonstration panel of ${respondents} respondents with seed ${seed}`,
          );
        }
        const n = await writeDemoPanel(store, { respondents, seed, instrument: opts.instrument });
        process.stdout.write(
          `wrote ${n} synthetic responses (seed ${seed}) to the demonstration survey ${opts.instrument} in ${store.adapter.description}\n`,
        );
      } finally {
        await store.close();
      }
    }),
  );
}
