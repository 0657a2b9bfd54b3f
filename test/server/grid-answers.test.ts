import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInstrumentBuffer } from '../../src/instrument/importers/import-instrument.js';
import { buildApp } from '../../src/server/build-app.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { badGridCells, GRID_SURVEY, gridAnswers } from '../helpers/grid-answers.js';
import { storeCounts } from '../helpers/store-counts.js';

const dialects = await availableDialects();
/** Cases of the property per dialect (PostgreSQL is slower per request). */
const RUNS = Number(process.env.CAIRNET_FUZZ_RUNS ?? 120);
const TOKEN = 'grid_resume_token_0123456789abcdef';

for (const dialect of dialects) {
  describe(`${dialect}: a grid cell outside its column’s choices`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      // as an upload would store it: through the import's checks
      const { instrument } = await importInstrumentBuffer(
        Buffer.from(JSON.stringify(GRID_SURVEY)),
        'grids.json',
      );
      await saveInstrument(t.store.db, 'grids', instrument.json as Record<string, unknown>);
      app = await buildApp({ store: t.store, openSubmitRate: 0 });
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });
    const post = (data: unknown) =>
      app.inject({ method: 'POST', url: '/api/instruments/grids/responses', payload: { data } });

    it('is refused with 422 CAIRNET_RESPONSE_INVALID naming the question, row and column; nothing is stored', async () => {
      const before = await storeCounts(t.store);
      const res = await post({
        tools: { r2: { freq: 2, inherit_cb: ['1', '7'] } },
        plain: { r1: { b: 'w' } },
      });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({
        code: 'CAIRNET_RESPONSE_INVALID',
        details: [
          { question: 'tools', messages: ['Row r2, column inherit_cb: Not among the choices: 7'] },
          { question: 'plain', messages: ['Row r1, column b: "w" is not one of the choices'] },
        ],
      });
      const draft = await app.inject({
        method: 'PUT',
        url: `/api/instruments/grids/drafts/${TOKEN}`,
        payload: { data: { tools: { r1: { kind: 'c' } } } },
      });
      expect(draft.statusCode).toBe(422);
      expect(draft.json().details).toEqual([
        { question: 'tools', messages: ['Row r1, column kind: "c" is not one of the choices'] },
      ]);
      expect(await storeCounts(t.store)).toEqual(before);
    });

    it('keeps a response whose cells are among their columns’ choices (own, inherited, Other with its text)', async () => {
      const before = await storeCounts(t.store);
      const data = {
        tools: {
          r1: {
            freq: 3,
            kind: 'other',
            'kind-Comment': 'mine',
            uses: ['y'],
            inherit_cb: ['1', '2'],
            count: 4,
          },
        },
        plain: { r1: { a: 'free text', b: 'u' } },
      };
      const res = await post(data);
      expect(res.statusCode, res.body).toBe(201);
      expect((await storeCounts(t.store)).responses).toBe(before.responses + 1);
    });

    it('stores a response exactly when every cell is allowed (property), and a refused one changes nothing', async () => {
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(gridAnswers, async (data) => {
          const before = await storeCounts(t.store);
          const res = await post(data);
          const after = await storeCounts(t.store);
          const bad = badGridCells(data);
          if (bad.length === 0) {
            expect(res.statusCode, `${JSON.stringify(data)} ${res.body}`).toBe(201);
            expect(after.responses).toBe(before.responses + 1);
          } else {
            refused++;
            expect(res.statusCode, JSON.stringify(data)).toBe(422);
            expect(res.json().code).toBe('CAIRNET_RESPONSE_INVALID');
            expect(after).toEqual(before);
          }
        }),
        { numRuns: dialect === 'postgres' ? Math.ceil(RUNS / 2) : RUNS, seed: 931 },
      );
      expect(refused).toBeGreaterThan(10);
    });
  });
}
