import type { Command } from 'commander';
import { generatePanel } from '../../demo/index.js';
import { MAX_SYNTHETIC_RESPONDENTS, writeSyntheticDemo } from '../../demo/synthetic-demo-survey.js';
import { cairnetError } from '../../errors.js';
import { DEMO_SURVEY, ensureDemoSurvey } from '../../server/bootstrap.js';
import { openStore, type Store } from '../../store/open-store.js';
import { responseIdBy } from '../../store/repositories/campaign-people.js';
import { insertResponsesBulk } from '../../store/repositories/responses.js';
import {
  removeDemoSurvey,
  responseKinds,
  SURVEY_NAME,
  syntheticResponsesOrigin,
} from '../../store/repositories/surveys.js';
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
  const origin = await syntheticResponsesOrigin(store.db, name);
  if (origin !== undefined && origin !== 'cairnet')
    throw cairnetError(
      'CAIRNET_DEMO_OTHER_SOURCE',
      `"${name}" holds synthetic responses drawn from "${origin}": Cairnet's panel is not added to it (remove it first, or give --instrument another name)`,
    );
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
  instrument?: string;
  from?: string;
  remove?: boolean;
  db?: string;
}

/** The demonstration survey a command names: --instrument, else FROM-demo with --from, else cairnet-demo. */
function demoName(opts: DemoOptions): string {
  if (opts.from !== undefined && !SURVEY_NAME.test(opts.from))
    throw cairnetError('CAIRNET_USAGE', `--from: letters, digits, - and _, not "${opts.from}"`);
  const name = opts.instrument ?? (opts.from !== undefined ? `${opts.from}-demo` : DEMO_SURVEY);
  if (!SURVEY_NAME.test(name))
    throw cairnetError('CAIRNET_USAGE', `--instrument: letters, digits, - and _ (64 at most), not "${name}"`);
  return name;
}

async function runDemo(opts: DemoOptions): Promise<void> {
  const name = demoName(opts);
  const max = opts.from !== undefined ? MAX_SYNTHETIC_RESPONDENTS : 1_000_000;
  const respondents = positiveInt('--respondents', opts.respondents, max);
  const seed = positiveInt('--seed', opts.seed, 2 ** 31 - 1);
  const store = await openStore({ db: opts.db });
  try {
    if (opts.remove) {
      const n = await removeDemoSurvey(store.db, name);
      process.stdout.write(`removed the demonstration survey ${name} (${n} synthetic responses)\n`);
      return;
    }
    if (opts.from !== undefined) {
      const r = await writeSyntheticDemo(store, { from: opts.from, instrument: name, respondents, seed });
      process.stdout.write(
        `wrote ${r.written} synthetic responses (seed ${seed}) drawn from the questionnaire of ${r.from} to the demonstration survey ${r.instrument} (questionnaire version ${r.version}${r.planVersion !== null ? `, plan version ${r.planVersion}` : ''}) in ${store.adapter.description}\n`,
      );
      return;
    }
    if (await responseIdBy(store.db, 'idempotency_key', demoKey(name, seed, respondents, 0))) {
      throw cairnetError(
        'CAIRNET_RESPONSE_ALREADY_COMPLETED',
        `This store already holds the demonstration panel of ${respondents} respondents with seed ${seed}`,
      );
    }
    const n = await writeDemoPanel(store, { respondents, seed, instrument: name });
    process.stdout.write(
      `wrote ${n} synthetic responses (seed ${seed}) to the demonstration survey ${name} in ${store.adapter.description}\n`,
    );
  } finally {
    await store.close();
  }
}

export function register(program: Command): void {
  withDbOption(
    program
      .command('demo')
      .description(
        "Write synthetic responses (flagged as synthetic) into a demonstration survey: Cairnet's four-profile panel (cairnet-demo), or, with --from SURVEY, responses drawn from any survey's questionnaire (SURVEY-demo); or remove one",
      )
      .option('--respondents <n>', 'how many respondents', '651')
      .option('--seed <n>', 'random seed (the same seed gives the same responses)', '2013')
      .option(
        '--from <survey>',
        "draw the responses from this survey's current questionnaire (any survey; for cairnet too, the generic draws, not the four-profile model)",
      )
      .option(
        '--instrument <name>',
        `the demonstration survey (default ${DEMO_SURVEY}, or SURVEY-demo with --from)`,
      )
      .option('--remove', 'delete the demonstration survey and all its responses'),
  ).action(action(runDemo));
}
