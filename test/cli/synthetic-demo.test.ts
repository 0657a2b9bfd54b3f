import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { deriveCodebook } from '../../src/instrument/derive-codebook.js';
import type { InstrumentJson } from '../../src/instrument/types.js';
import { defaultPlanYaml } from '../../src/plan/default-plan.js';
import type { IndicatorResult } from '../../src/plan/indicator-result.js';
import { parsePlan } from '../../src/plan/parse-plan.js';
import { validateAnswers } from '../../src/responses/validate-answers.js';
import { currentInstrument } from '../../src/store/repositories/instruments.js';
import { listResponses } from '../../src/store/repositories/responses.js';
import { findSurvey, latestSurveyPlan, responseKinds } from '../../src/store/repositories/surveys.js';
import { STAFF_FORM } from '../fixtures/imports/staff-form.js';
import { buildXlsform } from '../fixtures/imports/xlsform-builder.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cairnet-synthetic-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rows of every table a refused command must leave alone. */
async function tableCounts(t: TestStore): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['responses', 'surveys', 'instruments', 'survey_plans'] as const) {
    const r = await t.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    out[table] = Number(r?.n);
  }
  return out;
}

for (const dialect of await availableDialects()) {
  describe(`${dialect}: cairnet demo --from a survey of one's own`, () => {
    let t: TestStore;
    let db: string;

    beforeAll(async () => {
      t = await openTestStore(dialect);
      db = t.location;
      const form = join(dir, `staff-${dialect}.xlsx`);
      writeFileSync(form, await buildXlsform(STAFF_FORM));
      const imported = await cli(['instrument', 'import', form, '--name', 'staff', '--db', db]);
      expect(imported.code, imported.stderr).toBe(0);
      const r = await cli(['demo', '--from', 'staff', '--respondents', '300', '--seed', '7', '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(
        'wrote 300 synthetic responses (seed 7) drawn from the questionnaire of staff',
      );
    }, 240_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('creates the demonstration survey staff-demo: the same questionnaire, titled as a demonstration', async () => {
      const demo = await findSurvey(t.store.db, 'staff-demo');
      expect(demo?.kind).toBe('demo');
      expect(demo?.title).toEqual({
        fr: 'Démonstration : Enquête auprès du personnel 2026 (réponses synthétiques)',
        en: 'Demonstration: Staff survey 2026 (synthetic responses)',
      });
      const source = await currentInstrument(t.store.db, 'staff');
      const copy = await currentInstrument(t.store.db, 'staff-demo');
      expect(copy?.hash).toBe(source?.hash);
      expect(await responseKinds(t.store.db, 'staff-demo')).toEqual({ synthetic: 300, real: 0 });
      expect(await responseKinds(t.store.db, 'staff')).toEqual({ synthetic: 0, real: 0 });
    });

    it('stores only responses the server’s own validation accepts, flagged synthetic', async () => {
      const copy = (await currentInstrument(t.store.db, 'staff-demo'))!;
      const page = await listResponses(t.store.db, { instrumentName: 'staff-demo', page: 1, pageSize: 300 });
      expect(page.total).toBe(300);
      for (const r of page.items) {
        expect(r.synthetic).toBe(true);
        expect(r.meta).toMatchObject({ synthetic: true, from: 'staff', seed: 7 });
        const checked = validateAnswers(copy.json, copy.hash, r.data, { complete: true });
        expect(checked.dropped).toEqual([]);
      }
      // the skip logic holds in what is stored: tools only for those working from home
      expect(page.items.some((r) => r.data.remote === 'no')).toBe(true);
      for (const r of page.items) if (r.data.remote === 'no') expect(r.data.tools).toBeUndefined();
    });

    it('is analysed with the default plan of the questionnaire: every indicator computed, n > 0', async () => {
      const r = await cli(['analyze', '--instrument', 'staff-demo', '--json', '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { n: number; synthetic: boolean; indicators: IndicatorResult[] };
      expect(out.n).toBe(300);
      expect(out.synthetic).toBe(true);
      const copy = (await currentInstrument(t.store.db, 'staff-demo'))!;
      const expected = parsePlan(
        defaultPlanYaml(deriveCodebook(copy.json as InstrumentJson), 'staff-demo'),
        'default',
      ).plan.indicators.map((i) => i.id);
      expect(out.indicators.map((i) => i.id)).toEqual(expected);
      for (const ind of out.indicators) {
        expect(ind.status, ind.id).toBe('ok');
        expect(ind.n, ind.id).toBeGreaterThan(0);
      }
    }, 120_000);

    it('renders its report with the synthetic banner, and refuses to publish it', async () => {
      const out = join(dir, `staff-demo-${dialect}.html`);
      const r = await cli([
        'report',
        '--instrument',
        'staff-demo',
        '--format',
        'html',
        '--lang',
        'fr',
        '--out',
        out,
        '--db',
        db,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const html = readFileSync(out, 'utf8');
      expect(html).toMatch(/class="synthetic-banner"[^>]*><strong>Données synthétiques\./);
      const publish = await cli(['publish', '--instrument', 'staff-demo', '--db', db]);
      expect(publish.code).not.toBe(0);
      expect(publish.stderr).toMatch(/^error CAIRNET_RESULTS_SYNTHETIC_REFUSED/);
      const status = await cli(['publish', '--status', '--instrument', 'staff-demo', '--json', '--db', db]);
      expect(JSON.parse(status.stdout).published).toBeFalsy();
    }, 120_000);

    it('refuses bad input with a clear error and stores nothing', async () => {
      const before = await tableCounts(t);
      const cases: [string[], number, RegExp][] = [
        [['--from', 'nope'], 3, /^error CAIRNET_INSTRUMENT_NOT_FOUND: --from nope/],
        [
          ['--from', 'staff', '--instrument', 'staff'],
          8,
          /^error CAIRNET_SURVEY_SYNTHETIC_REFUSED: "staff" is a real survey/,
        ],
        [['--from', 'staff', '--respondents', '0'], 2, /^error CAIRNET_USAGE: --respondents/],
        [['--from', 'staff', '--respondents', 'many'], 2, /^error CAIRNET_USAGE: --respondents/],
        [['--from', 'staff', '--respondents', '100001'], 2, /^error CAIRNET_USAGE: --respondents/],
        [['--from', 'staff/../x'], 2, /^error CAIRNET_USAGE: --from/],
        [
          ['--from', 'staff-demo'],
          2,
          /^error CAIRNET_USAGE: --from staff-demo: "staff-demo" is a demonstration survey/,
        ],
        // the same panel twice
        [
          ['--from', 'staff', '--respondents', '300', '--seed', '7'],
          8,
          /^error CAIRNET_RESPONSE_ALREADY_COMPLETED/,
        ],
        // Cairnet's panel is not mixed into a demonstration of another questionnaire
        [['--instrument', 'staff-demo', '--respondents', '5'], 8, /^error CAIRNET_DEMO_OTHER_SOURCE/],
      ];
      for (const [args, code, message] of cases) {
        const r = await cli(['demo', ...args, '--db', db]);
        expect(r.code, args.join(' ')).toBe(code);
        expect(r.stderr, args.join(' ')).toMatch(message);
        expect(await tableCounts(t), args.join(' ')).toEqual(before);
      }
    }, 120_000);

    it('refuses a questionnaire no response can satisfy, naming the question, and stores nothing', async () => {
      const file = join(dir, `impossible-${dialect}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          title: { default: 'Impossible', fr: 'Impossible' },
          pages: [
            {
              name: 'p',
              elements: [
                { type: 'radiogroup', name: 'ok', isRequired: true, choices: ['a', 'b'] },
                {
                  type: 'text',
                  name: 'never',
                  isRequired: true,
                  validators: [{ type: 'text', minLength: 5, maxLength: 2 }],
                },
              ],
            },
          ],
        }),
      );
      const imported = await cli(['instrument', 'import', file, '--name', 'impossible', '--db', db]);
      expect(imported.code, imported.stderr).toBe(0);
      const before = await tableCounts(t);
      const r = await cli(['demo', '--from', 'impossible', '--respondents', '10', '--db', db]);
      expect(r.code).toBe(7);
      expect(r.stderr).toMatch(/^error CAIRNET_DEMO_UNSATISFIABLE: .*question "never"/);
      expect(await tableCounts(t)).toEqual(before);
      expect(await findSurvey(t.store.db, 'impossible-demo')).toBeUndefined();
    }, 120_000);

    it('draws from Cairnet’s questionnaire too (--from cairnet: the generic draws), titled by its texts', async () => {
      const r = await cli([
        'demo',
        '--from',
        'cairnet',
        '--instrument',
        'cairnet-generic',
        '--respondents',
        '50',
        '--db',
        db,
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect((await findSurvey(t.store.db, 'cairnet-generic'))?.title?.en).toBe(
        'Demonstration: Cairnet, researchers and patient associations (synthetic responses)',
      );
      // the bundled questionnaire is not stored as the survey cairnet by this
      expect(await findSurvey(t.store.db, 'cairnet')).toBeUndefined();
      const analysed = await cli(['analyze', '--instrument', 'cairnet-generic', '--json', '--db', db]);
      expect(analysed.code, analysed.stderr).toBe(0);
      const out = JSON.parse(analysed.stdout) as {
        n: number;
        synthetic: boolean;
        indicators: { id: string }[];
      };
      expect(out.n).toBe(50);
      expect(out.synthetic).toBe(true);
      expect(out.indicators.map((i) => i.id)).toContain('F20'); // Cairnet's own plan, from its directory
    }, 120_000);

    it('fills it again after the plan changes, with the source survey’s stored plan', async () => {
      const planFile = join(dir, `staff-plan-${dialect}.yaml`);
      const init = await cli(['plan', 'init', '--instrument', 'staff', '--out', planFile, '--db', db]);
      expect(init.code, init.stderr).toBe(0);
      const plan = parseYaml(readFileSync(planFile, 'utf8')) as { indicators: { id: string }[] };
      plan.indicators = plan.indicators.filter((i) => ['unit', 'remote', 'op_pay'].includes(i.id));
      writeFileSync(planFile, stringifyYaml(plan));
      const set = await cli(['plan', 'set', '--instrument', 'staff', planFile, '--db', db]);
      expect(set.code, set.stderr).toBe(0);
      const r = await cli(['demo', '--from', 'staff', '--respondents', '20', '--seed', '8', '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('plan version 1');
      expect((await latestSurveyPlan(t.store.db, 'staff-demo'))?.yaml).toBe(
        (await latestSurveyPlan(t.store.db, 'staff'))?.yaml,
      );
      const show = await cli(['plan', 'show', '--instrument', 'staff-demo', '--db', db]);
      expect(show.stdout).toMatch(/^# stored: staff-demo plan v1/);
      const analysed = await cli(['analyze', '--instrument', 'staff-demo', '--json', '--db', db]);
      const out = JSON.parse(analysed.stdout) as { n: number; indicators: IndicatorResult[] };
      expect(out.n).toBe(320);
      expect(out.indicators.map((i) => i.id)).toEqual(['unit', 'remote', 'op_pay']);
    }, 120_000);

    it('deletes it with demo --remove --instrument staff-demo, the source survey untouched', async () => {
      const r = await cli(['demo', '--remove', '--instrument', 'staff-demo', '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('removed the demonstration survey staff-demo (320 synthetic responses)');
      expect(await findSurvey(t.store.db, 'staff-demo')).toBeUndefined();
      expect(await currentInstrument(t.store.db, 'staff-demo')).toBeUndefined();
      expect(await latestSurveyPlan(t.store.db, 'staff-demo')).toBeUndefined();
      expect((await findSurvey(t.store.db, 'staff'))?.kind).toBe('survey');
      expect(await latestSurveyPlan(t.store.db, 'staff')).toBeDefined();
    });
  });
}
