import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { loadCairnetInstrument } from '../../src/instrument/index.js';
import { evaluatePlan, planVariables, planVocabulary, readPlanFile } from '../../src/plan/index.js';
import { storeCountSource, storeDataset } from '../../src/results/index.js';
import { forSurvey } from '../../src/results/survey-plan.js';
import { type AnswerCount, countAnswers, countAnswersMany } from '../../src/store/answer-counts.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

const { codebook } = loadCairnetInstrument();
// the demonstration panel lives in its own survey, cairnet-demo
const parsed = forSurvey(readPlanFile(), 'cairnet-demo');
const vocabulary = planVocabulary(codebook, parsed);
const levels = (v: string) => vocabulary.get(v)?.levels ?? [];

for (const dialect of await availableDialects()) {
  describe(`${dialect}: counting in the store`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      await writeDemoPanel(t.store, { respondents: 651, seed: 2013 });
    }, 120_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('counts answers, matrix rows and checkbox choices with GROUP BY', async () => {
      const byRelation = await countAnswers(t.store, 'cairnet-demo', {
        where: { always: true },
        groupBy: [{ answer: 'relation' }],
      });
      expect(byRelation.reduce((s, r) => s + r.n, 0)).toBe(651);
      expect(byRelation.find((r) => r.keys[0] === 'ongoing')?.n).toBe(266);
      const freedom = await countAnswers(t.store, 'cairnet-demo', {
        where: { in: { answer: 'relation' }, values: ['ongoing'] },
        groupBy: [{ answer: 'opinion', row: 'freedom' }],
      });
      const disagree = freedom.filter((r) => r.keys[0] === 'disagree' || r.keys[0] === 'strongly_disagree');
      expect(disagree.reduce((s, r) => s + r.n, 0)).toBe(205);
      const outreach = await countAnswers(t.store, 'cairnet-demo', {
        where: { always: true },
        groupBy: [{ choiceOf: 'activities', choice: 'outreach' }],
      });
      const dataset = await storeDataset(t.store.db, 'cairnet-demo', codebook, {
        variables: ['activities__outreach'],
      });
      const col = dataset.columns.get('activities__outreach');
      if (col?.kind !== 'categorical') throw new Error('expected a categorical column');
      const tally = (code: number) => col.codes.filter((c) => c === code).length;
      expect(outreach.find((r) => r.keys[0] === null)?.n).toBe(tally(-1));
      expect(outreach.find((r) => r.keys[0] === '1')?.n).toBe(tally(1));
      expect(outreach.find((r) => r.keys[0] === '0')?.n).toBe(tally(0));
    });

    it('gives the same results as counting in memory for every indicator it can reach', async () => {
      const dataset = await storeDataset(t.store.db, 'cairnet-demo', codebook, {
        variables: planVariables(parsed, codebook),
      });
      const inMemory = await evaluatePlan(parsed, codebook, dataset);
      const counts = storeCountSource(t.store, 'cairnet-demo', codebook, parsed.plan.derived, levels);
      const inSql = await evaluatePlan(parsed, codebook, dataset, { counts });
      expect(counts.covers('in_contact')).toBe(true);
      expect(counts.covers('profile')).toBe(false);
      expect(inSql.indicators).toEqual(inMemory.indicators);
    });
  });
}

describe('counting a large PostgreSQL table in parts', async () => {
  const dialects = await availableDialects();
  // PostgreSQL only (TID ranges); skipped only where no PostgreSQL is reachable, never in CI
  it.skipIf(!dialects.includes('postgres'))(
    'gives the same counts whether the table is read in one part or in several page ranges at once',
    async () => {
      const t = await openTestStore('postgres');
      try {
        await writeDemoPanel(t.store, { respondents: 651, seed: 2013 });
        const queries = [
          { where: { always: true } as const, groupBy: [{ answer: 'relation' }] },
          {
            where: { in: { answer: 'relation' }, values: ['ongoing'] },
            groupBy: [
              { answer: 'opinion', row: 'freedom' },
              { choiceOf: 'activities', choice: 'outreach' },
            ],
          },
          { where: { answered: { answer: 'age_band' } }, groupBy: [] },
        ];
        const sorted = (r: AnswerCount[][]) =>
          r.map((q) => [...q].sort((a, b) => JSON.stringify(a.keys).localeCompare(JSON.stringify(b.keys))));
        const whole = sorted(await countAnswersMany(t.store, 'cairnet-demo', queries, { scanParts: 1 }));
        const inParts = sorted(await countAnswersMany(t.store, 'cairnet-demo', queries, { scanParts: 5 }));
        expect(inParts).toEqual(whole);
        expect(whole[0]!.reduce((s, r) => s + r.n, 0)).toBe(651);
        expect(whole[1]!.reduce((s, r) => s + r.n, 0)).toBe(266);
      } finally {
        await t.dispose();
      }
    },
    120_000,
  );
});
