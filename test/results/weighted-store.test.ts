import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPopulation } from '../../src/campaign/population-import.js';
import type { PlanResults } from '../../src/plan/evaluate-plan.js';
import { findUnboundNumbers } from '../../src/report/bound-numbers.js';
import { methodsAppendix } from '../../src/report/methods-appendix.js';
import { renderReportHtml } from '../../src/report/report-html.js';
import { computeSnapshot } from '../../src/results/compute-snapshot.js';
import { loadSnapshot } from '../../src/results/load-snapshot.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { populationMargins } from '../../src/store/repositories/population-margins.js';
import { insertResponsesBulk } from '../../src/store/repositories/responses.js';
import { latestSurveyPlan } from '../../src/store/repositories/surveys.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';
import { close, closeAll } from '../stats/r-fixtures.js';

// The population, responses and R's figures of test/fixtures/r/weighting/make-fixtures.R.
const fixtures = 'test/fixtures/r/weighting';
// biome-ignore lint/suspicious/noExplicitAny: R output
const R: any = JSON.parse(readFileSync(`${fixtures}/expected.json`, 'utf8'));
const csv = (f: string) =>
  parse(readFileSync(`${fixtures}/${f}`), { columns: true }) as Record<string, string>[];
const people = csv('population.csv');
const rows = csv('responses.csv');

const dir = mkdtempSync(join(tmpdir(), 'cairnet-weighted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const radio = (name: string, fr: string, en: string, choices: [string, string, string][]) => ({
  type: 'radiogroup',
  name,
  title: { fr, en },
  choices: choices.map(([value, f, e]) => ({ value, text: { fr: f, en: e } })),
});
const INSTRUMENT = {
  title: { fr: 'Enquête pondérée', en: 'Weighted survey' },
  pages: [
    {
      name: 'p',
      elements: [
        radio('age', 'Âge', 'Age', [
          ['a18', '18 à 34 ans', '18 to 34'],
          ['a35', '35 à 54 ans', '35 to 54'],
          ['a55', '55 ans et plus', '55 and over'],
        ]),
        radio('sex', 'Sexe', 'Sex', [
          ['f', 'Femme', 'Woman'],
          ['m', 'Homme', 'Man'],
        ]),
        radio('place', 'Site', 'Site', [
          ['n', 'Nord', 'North'],
          ['s', 'Sud', 'South'],
          ['e', 'Est', 'East'],
        ]),
        radio('y', 'Oui ?', 'Yes?', [
          ['no', 'Non', 'No'],
          ['yes', 'Oui', 'Yes'],
        ]),
        radio('q', 'Choix', 'Choice', [
          ['q1', 'Premier', 'First'],
          ['q2', 'Deuxième', 'Second'],
          ['q3', 'Troisième', 'Third'],
        ]),
        { type: 'text', inputType: 'number', name: 'x', title: { fr: 'Nombre', en: 'Number' } },
      ],
    },
  ],
};

// the question is `place`, the stratum imported with the population `site`: mapped in the plan
const PLAN = `version: 1
instrument: weighted
weighting:
  rake: [age, sex, { variable: place, stratum: site }]
  to: population
indicators:
  - id: yes
    label: { fr: "Oui", en: "Yes" }
    estimate: { proportion: { var: y, in: ["yes"] } }
    among: { answered: y }
    by: sex
  - id: q
    label: { fr: "Choix", en: "Choice" }
    estimate: { distribution: q }
  - id: x
    label: { fr: "Nombre", en: "Number" }
    estimate: { mean: x }
`;

/** The persons invited: the fixture's 1000; 30 more imported but never invited, who must not count. */
async function seed(t: TestStore): Promise<void> {
  const { instrument } = await saveInstrument(t.store.db, 'weighted', INSTRUMENT);
  await insertResponsesBulk(
    t.store.db,
    rows.map((r) => ({
      instrumentName: 'weighted',
      instrumentVersion: instrument.version,
      data: {
        age: r.age,
        sex: r.sex,
        place: r.site,
        ...(r.y ? { y: r.y } : {}),
        ...(r.q ? { q: r.q } : {}),
        ...(r.x ? { x: Number(r.x) } : {}),
      },
    })),
  );
  const all = [...people, ...Array.from({ length: 30 }, () => ({ age: 'a18', sex: 'm', site: 'e' }))];
  const report = await importPopulation(
    t.store.db,
    'weighted',
    {
      header: ['email', 'language', 'age', 'sex', 'site'],
      rows: all.map((p, i) => ({
        line: i + 2,
        cells: [`person${i}@example.org`, 'fr', p.age!, p.sex!, p.site!],
      })),
    },
    {
      file: 'population.csv',
      map: 'email=email,language=language,age=stratum.age,sex=stratum.sex,site=stratum.site',
    },
  );
  expect(report.added).toBe(all.length);
  // (invitations are sent by the campaign; here the first 1000 are marked invited directly)
  const invited = await t.store.db
    .selectFrom('campaign_people')
    .select('id')
    .where(
      'email',
      'in',
      people.map((_, i) => `person${i}@example.org`),
    )
    .execute();
  for (let i = 0; i < invited.length; i += 500) {
    await t.store.db
      .updateTable('campaign_people')
      .set({ invited_at: '2026-11-01T09:00:00.000Z' })
      .where(
        'id',
        'in',
        invited.slice(i, i + 500).map((p) => p.id),
      )
      .execute();
  }
}

function sameAsR(results: PlanResults): void {
  const [yes, q, x] = results.indicators;
  // biome-ignore lint/suspicious/noExplicitAny: R output
  const same = (m: { estimate: number | null; se?: number; ci: [number, number] | null }, r: any) => {
    close(m.estimate!, r.estimate);
    close(m.se!, r.se);
    closeAll(m.ci!, r.ci);
  };
  same(yes!, R.raked.yes);
  for (const g of yes!.groups!) same(g, R.raked.yesBySex[g.group]);
  for (const l of q!.levels!) same(l, R.raked.q[l.level]);
  same(x!, R.raked.x);
  expect(results.weighting).toMatchObject({
    method: 'rake',
    converged: true,
    iterations: R.raked.iterations,
    source: { kind: 'population' },
  });
  close(results.weighting!.deff, R.raked.weights.deff);
}

for (const dialect of await availableDialects()) {
  describe(`${dialect}: a plan weighted to the campaign's population`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      await seed(t);
    }, 120_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('counts the margins over the persons invited only', async () => {
      const m = await populationMargins(t.store, 'weighted', ['age', 'site', 'nothing']);
      expect(m.invited).toBe(people.length);
      expect(m.byField.site).toEqual({
        n: people.filter((p) => p.site === 'n').length,
        s: people.filter((p) => p.site === 's').length,
        e: people.filter((p) => p.site === 'e').length,
      });
      expect(m.byField.nothing).toEqual({});
    });

    it('is stored by `plan set` and `analyze --json` gives the raked estimates of R', async () => {
      const file = join(dir, `plan-${dialect}.yaml`);
      writeFileSync(file, PLAN);
      const set = await cli(['plan', 'set', file, '--instrument', 'weighted', '--db', t.location]);
      expect(set.code, set.stderr).toBe(0);
      expect((await latestSurveyPlan(t.store.db, 'weighted'))?.yaml).toBe(PLAN);
      for (const counts of ['memory', 'sql']) {
        const out = await cli([
          'analyze',
          '--instrument',
          'weighted',
          '--json',
          '--counts',
          counts,
          '--db',
          t.location,
        ]);
        expect(out.code, out.stderr).toBe(0);
        const results = JSON.parse(out.stdout) as PlanResults;
        sameAsR(results);
        const site = results.weighting!.responseRates!.find((r) => r.variable === 'place')!;
        expect(site.levels.find((l) => l.level === 's')).toEqual({
          level: 's',
          invited: people.filter((p) => p.site === 's').length,
          responses: rows.filter((r) => r.site === 's').length,
          rate: rows.filter((r) => r.site === 's').length / people.filter((p) => p.site === 's').length,
          suppressed: false,
        });
      }
    });

    it('stores the margins of a CSV with the plan at `plan set`, and refuses a missing file', async () => {
      const sub = mkdtempSync(join(dir, `csv-${dialect}-`));
      const counts = (f: 'age' | 'sex' | 'site') => {
        const c: Record<string, number> = {};
        for (const p of people) c[p[f]!] = (c[p[f]!] ?? 0) + 1;
        return c;
      };
      const lines = (['age', 'sex', 'site'] as const).flatMap((f) =>
        Object.entries(counts(f)).map(([l, n]) => `${f === 'site' ? 'place' : f},${l},${n}`),
      );
      writeFileSync(join(sub, 'margins.csv'), `variable,level,count\n${lines.join('\n')}\n`);
      const planFile = join(sub, 'plan.yaml');
      writeFileSync(planFile, PLAN.replace('  to: population', '  to: margins.csv'));
      const missing = join(sub, 'missing.yaml');
      writeFileSync(missing, PLAN.replace('  to: population', '  to: nowhere.csv'));
      const before = await latestSurveyPlan(t.store.db, 'weighted');
      const refused = await cli(['plan', 'set', missing, '--instrument', 'weighted', '--db', t.location]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/CAIRNET_WEIGHTING_FILE.*nowhere\.csv/);
      expect(await latestSurveyPlan(t.store.db, 'weighted')).toEqual(before);
      const set = await cli(['plan', 'set', planFile, '--instrument', 'weighted', '--db', t.location]);
      expect(set.code, set.stderr).toBe(0);
      const stored = (await latestSurveyPlan(t.store.db, 'weighted'))!;
      expect(stored.yaml).toMatch(/# margins read from margins\.csv when the plan was stored/);
      rmSync(sub, { recursive: true });
      const out = await cli(['analyze', '--instrument', 'weighted', '--json', '--db', t.location]);
      expect(out.code, out.stderr).toBe(0);
      const results = JSON.parse(out.stdout) as PlanResults;
      expect(results.weighting!.source).toEqual({ kind: 'plan' });
      expect(results.weighting!.margins.place).toEqual(counts('site'));
      expect(results.weighting!.responseRates).toBeUndefined();
      // the same margins as the population's: the same raked estimates
      sameAsR({ ...results, weighting: { ...results.weighting!, source: { kind: 'population' } } });
      // back to the population for what follows
      const back = join(dir, `back-${dialect}.yaml`);
      writeFileSync(back, PLAN);
      expect((await cli(['plan', 'set', back, '--instrument', 'weighted', '--db', t.location])).code).toBe(0);
    });

    it('keeps the weighting summary in the snapshot, and the report shows it in each language', async () => {
      const snap = await computeSnapshot(t.store, {
        by: 'cli:test',
        instrument: 'weighted',
        associations: false,
      });
      const loaded = await loadSnapshot(t.store, snap.snapshot.id);
      expect(loaded.results.weighting).toEqual(snap.results.weighting);
      sameAsR(loaded.results);
      const fr = await renderReportHtml(loaded, { lang: 'fr' });
      const en = await renderReportHtml(loaded, { lang: 'en' });
      const text = (html: string) => html.replace(/<[^>]+>/g, '');
      expect(text(fr)).toMatch(/calage sur les marges de « Âge », « Sexe » et « Site »/);
      expect(text(en)).toMatch(/raking to the margins of “Age”, “Sex” and “Site”/);
      expect(text(fr)).toMatch(/Le calage a convergé en \d itérations\./);
      expect(fr).toContain('55 ans et plus');
      expect(en).toContain('55 and over');
      expect(fr).toContain('Taux de réponse par strate');
      expect(en).toContain('Response rates by stratum');
      for (const html of [fr, en]) {
        expect(
          findUnboundNumbers(
            html,
            loaded.results.indicators.map((i) => i.id),
          ),
        ).toEqual([]);
      }
      expect(fr).not.toMatch(/Responses are|persons invited|Margins:|Weights:/);
      const plain = methodsAppendix(
        loaded.results,
        loaded.plan,
        'fr',
        'plain',
        undefined,
        undefined,
        loaded.codebook,
      );
      expect(text(plain)).toMatch(/pondérés pour que les répondants se répartissent selon « Âge »/);
      expect(en).not.toMatch(/Les réponses|personnes invitées|Marges :|Poids :/);
    });
  });
}
