import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { cliActor } from '../../exports/export-audit.js';
import { checkPlan } from '../../plan/check-plan.js';
import { defaultPlanYaml } from '../../plan/default-plan.js';
import { parsePlan } from '../../plan/parse-plan.js';
import { inlineMarginsFile } from '../../plan/weighting.js';
import { forSurvey, surveyCodebook, surveyPlan } from '../../results/survey-plan.js';
import { openStore } from '../../store/open-store.js';
import { latestSurveyPlan, SURVEY_NAME, saveSurveyPlan } from '../../store/repositories/surveys.js';
import { recordAudit } from '../../store/repositories/users.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

function surveyName(name: string): string {
  if (!SURVEY_NAME.test(name))
    throw cairnetError('CAIRNET_USAGE', `--instrument: letters, digits, - and _, not "${name}"`);
  return name;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw cairnetError(
      'CAIRNET_FILE_UNREADABLE',
      `Cannot read the plan file ${file}: ${(e as Error).message}`,
    );
  }
}

export function register(program: Command): void {
  const plan = program
    .command('plan')
    .description("A survey's analysis plan: write the default one, store versions");
  withDbOption(
    plan
      .command('init')
      .description("Write the default analysis plan from the survey's codebook, as YAML to edit")
      .option('--instrument <name>', 'the survey', 'cairnet')
      .requiredOption('--out <file>', 'the YAML file to write (not overwritten)'),
  ).action(
    action(async (opts: { instrument: string; out: string; db?: string }) => {
      const name = surveyName(opts.instrument);
      if (existsSync(opts.out))
        throw cairnetError('CAIRNET_USAGE', `${opts.out} exists: remove it or give another --out`);
      const store = await openStore({ db: opts.db });
      try {
        const yaml = defaultPlanYaml(await surveyCodebook(store.db, name), name);
        const indicators = parsePlan(yaml, opts.out).plan.indicators.length;
        try {
          writeFileSync(opts.out, yaml, { flag: 'wx' });
        } catch (e) {
          throw cairnetError('CAIRNET_FILE_UNREADABLE', `Cannot write ${opts.out}: ${(e as Error).message}`);
        }
        process.stdout.write(`wrote ${opts.out}: the default plan of ${name} (${indicators} indicators)\n`);
      } finally {
        await store.close();
      }
    }),
  );
  withDbOption(
    plan
      .command('set')
      .description(
        "Check a plan against the survey's codebook and store it as the survey's next plan version",
      )
      .argument('<file>', 'the plan (YAML)')
      .option('--instrument <name>', 'the survey', 'cairnet'),
  ).action(
    action(async (file: string, opts: { instrument: string; db?: string }) => {
      const name = surveyName(opts.instrument);
      // a margins file is read now and its margins stored with the plan
      const text = inlineMarginsFile(readText(file), file);
      const parsed = forSurvey(parsePlan(text, file), name);
      const store = await openStore({ db: opts.db });
      try {
        checkPlan(parsed, await surveyCodebook(store.db, name));
        const { plan: stored, created } = await saveSurveyPlan(store.db, name, text);
        await recordAudit(store.db, {
          userId: cliActor(),
          action: 'plan.set',
          target: name,
          detail: JSON.stringify({ via: 'cli', version: stored.version, created }),
        });
        process.stdout.write(
          `${created ? 'stored' : 'unchanged'}: plan version ${stored.version} of ${name} (${parsed.plan.indicators.length} indicators)\n`,
        );
      } finally {
        await store.close();
      }
    }),
  );
  withDbOption(
    plan
      .command('show')
      .description('Print the plan a survey is analysed with, and where it comes from')
      .option('--instrument <name>', 'the survey', 'cairnet'),
  ).action(
    action(async (opts: { instrument: string; db?: string }) => {
      const store = await openStore({ db: opts.db });
      try {
        const name = surveyName(opts.instrument);
        const { parsed, origin } = await surveyPlan(store.db, { instrument: name });
        const text =
          origin === 'stored'
            ? ((await latestSurveyPlan(store.db, name))?.yaml ?? '')
            : origin === 'default'
              ? defaultPlanYaml(await surveyCodebook(store.db, name), name)
              : readText(parsed.source);
        process.stdout.write(`# ${origin}: ${parsed.source}\n${text}`);
      } finally {
        await store.close();
      }
    }),
  );
}
