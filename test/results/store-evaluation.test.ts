import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { distinctAssociationCount } from '../../src/dataset/index.js';
import { parsePlan, readPlanFile } from '../../src/plan/index.js';
import { evaluateStorePlan } from '../../src/results/index.js';
import { forSurvey } from '../../src/results/survey-plan.js';
import { insertResponsesBulk, iterateResponses } from '../../src/store/repositories/responses.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

// the demonstration panel lives in its own survey, analysed with the Cairnet plan
const parsed = forSurvey(readPlanFile(), 'cairnet-demo');
const distinctNames = distinctAssociationCount;

for (const dialect of await availableDialects()) {
  describe(`${dialect}: the Cairnet plan evaluated by SQL`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      await writeDemoPanel(t.store, { respondents: 651, seed: 2013 });
    }, 120_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('gives the results of the in-memory evaluation, the typology on rows included', async () => {
      const memory = await evaluateStorePlan(t.store, parsed, { distinctNames });
      const sql = await evaluateStorePlan(t.store, parsed, { counts: 'sql', distinctNames });
      expect(memory.mode).toBe('memory');
      // 651 respondents: the typology runs on the rows, as FactoMineR does; every count is SQL
      expect(sql.mode).toBe('sql+rows');
      expect(sql.results).toEqual(memory.results);
      expect(sql.results.indicators.find((i) => i.id === 'F6')?.estimate).toBeGreaterThan(400);
    });

    it('gives a Likert item’s distribution within each group by SQL as in memory', async () => {
      const plan = forSurvey(
        parsePlan(`version: 1
instrument: cairnet
indicators:
  - id: L1
    label: { fr: "Liberté", en: "Freedom" }
    estimate: { proportion: { var: opinion_freedom, in: [agree, strongly_agree] } }
    by: gender
`),
        'cairnet-demo',
      );
      const memory = await evaluateStorePlan(t.store, plan, {});
      const sql = await evaluateStorePlan(t.store, plan, { counts: 'sql' });
      expect(sql.results).toEqual(memory.results);
      const ind = sql.results.indicators[0]!;
      expect(ind.groups!.length).toBeGreaterThan(1);
      for (const g of ind.groups!) expect(g.scale!.n).toBe(g.n);
      // level by level, the groups' counts add up to the whole's at most (respondents without a gender are in no group)
      for (const [k, l] of ind.scale!.levels.entries()) {
        const sum = ind.groups!.reduce((s, g) => s + (g.scale!.levels[k]!.count ?? 0), 0);
        expect(sum).toBeLessThanOrEqual(l.count!);
        expect(sum).toBeGreaterThan(0);
      }
    });

    it('reads no response when the typology runs on answer patterns, with the same results', async () => {
      const memory = await evaluateStorePlan(t.store, parsed, { distinctNames, exactRows: 0 });
      const sql = await evaluateStorePlan(t.store, parsed, { counts: 'sql', distinctNames, exactRows: 0 });
      expect(sql.mode).toBe('sql');
      expect(sql.dataset).toBeNull();
      expect(memory.results.typology?.patterns).toBeGreaterThan(100);
      expect(sql.results).toEqual(memory.results);
      const f20 = sql.results.indicators.find((i) => i.id === 'F20');
      expect(f20?.status).toBe('ok');
      expect(f20?.groups?.map((g) => g.n).reduce((a, b) => a + b, 0)).toBe(651);
    });
  });
}

for (const dialect of await availableDialects()) {
  describe(`${dialect}: free texts read by SQL as the dataset reads them`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      await writeDemoPanel(t.store, { respondents: 60, seed: 7 });
      // answers that did not come through the form: blank names, non-text names, stray entries
      const odd: unknown[][] = [
        [{ name: '   ' }, { name: '\tAFM-Téléthon\n' }],
        [{ name: 5 }, 'Vaincre la mucoviscidose', null, { name: '\u00a0' }],
        [{ other: 'Aides', name: 'France Alzheimer' }, { zz: 3, a: 'AFM' }, ['Ligue contre le cancer']],
        [{ name: '' }],
      ];
      await insertResponsesBulk(
        t.store.db,
        odd.map((associations, i) => ({
          instrumentName: 'cairnet-demo',
          instrumentVersion: 1,
          data: { relation: 'ongoing', associations },
          idempotencyKey: `odd-${i}`,
          synthetic: true,
          meta: { odd: true },
        })),
      );
    }, 120_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('counts the same names and the same respondents who named one', async () => {
      const memory = await evaluateStorePlan(t.store, parsed, { distinctNames, exactRows: 0 });
      const sql = await evaluateStorePlan(t.store, parsed, { counts: 'sql', distinctNames, exactRows: 0 });
      const f6 = (r: typeof memory) => r.results.indicators.find((i) => i.id === 'F6');
      expect(f6(sql)).toEqual(f6(memory));
      // an entry's name is its answer to the panel's one question, when it is a text that is not blank
      const named = (r: { data: Record<string, unknown> }) =>
        Array.isArray(r.data.associations) &&
        r.data.associations.some((e) => {
          if (e === null || typeof e !== 'object' || Array.isArray(e)) return false;
          const name = (e as Record<string, unknown>).name;
          return typeof name === 'string' && name.trim() !== '';
        });
      const stored = [];
      for await (const r of iterateResponses(t.store.db, 'cairnet-demo')) stored.push(r);
      expect(stored).toHaveLength(64);
      // the odd answers: the first names "AFM-Téléthon", the second only a number, stray entries
      // and a no-break space, the third "France Alzheimer" (beside an answer to no question), the
      // fourth a blank
      expect(stored.filter(named).length).toBe(f6(sql)?.n);
      expect(stored.filter((r) => r.meta?.odd).filter(named)).toHaveLength(2);
      expect(sql.results).toEqual(memory.results);
    });
  });
}

for (const dialect of await availableDialects()) {
  describe(`${dialect}: a typology that cannot be computed`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      await writeDemoPanel(t.store, { respondents: 3, seed: 5 });
    }, 120_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('leaves the indicators by profile pending, as in memory', async () => {
      for (const exactRows of [0, 30_000]) {
        const memory = await evaluateStorePlan(t.store, parsed, { distinctNames, exactRows });
        const sql = await evaluateStorePlan(t.store, parsed, { counts: 'sql', distinctNames, exactRows });
        const f20 = sql.results.indicators.find((i) => i.id === 'F20');
        expect(f20?.status).toBe('pending');
        expect(f20?.note).toMatch(/typology/);
        expect(sql.results.typology).toBeUndefined();
        expect(sql.results).toEqual(memory.results);
      }
    });
  });
}
