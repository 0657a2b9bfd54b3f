import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/errors.js';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { neverMetAnswers, ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { storeCounts } from '../helpers/store-counts.js';

const dialects = await availableDialects();
/** Cases per property here; `npm run bench -- fuzz` runs 100,000 per boundary. */
const RUNS = Number(process.env.CAIRNET_FUZZ_RUNS ?? 150);

const QUESTIONS = Object.keys(ongoingFundedAnswers());

/** Bodies that are almost right: a valid response with one answer replaced, added or removed. */
const nearlyValid = fc
  .tuple(
    fc.constantFrom(neverMetAnswers(), ongoingFundedAnswers()),
    fc.constantFrom(...QUESTIONS, '__proto__', 'constructor', 'x'.repeat(300), ''),
    fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 50 }), fc.constant(undefined)),
  )
  .map(([answers, key, value]) => {
    const data: Record<string, unknown> = { ...answers };
    if (value === undefined) delete data[key];
    else Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
    return { data };
  });

const anyBody = fc.oneof(
  nearlyValid,
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ data: fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 3 })) }),
  fc.record({ data: fc.constant(neverMetAnswers()), idempotencyKey: fc.string({ maxLength: 200 }) }),
);

for (const dialect of dialects) {
  describe(`${dialect}: hostile bodies on the respondent endpoints`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      await ensureCairnetInstrument(t.store);
      app = await buildApp({ store: t.store });
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    const counts = () => storeCounts(t.store);

    const expectCleanRefusal = (res: { statusCode: number; json(): { code: string } }) => {
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(Object.keys(ERRORS)).toContain(res.json().code);
    };

    it('never answers 500, and a refused submission changes nothing', async () => {
      const runs = dialect === 'postgres' ? Math.ceil(RUNS / 3) : RUNS;
      await fc.assert(
        fc.asyncProperty(anyBody, async (body) => {
          const before = await counts();
          const res = await app.inject({
            method: 'POST',
            url: '/api/instruments/cairnet/responses',
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify(body),
          });
          if (res.statusCode === 201) {
            expect((await counts()).responses).toBe(before.responses + 1);
          } else {
            expectCleanRefusal(res);
            expect(await counts()).toEqual(before);
          }
        }),
        { numRuns: runs },
      );
    });

    it('never answers 500 to raw bytes, and stores nothing', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ maxLength: 200 }),
          fc.constantFrom('responses', 'drafts/tok_0123456789abcdefghijkl'),
          async (raw, path) => {
            const before = await counts();
            const res = await app.inject({
              method: path === 'responses' ? 'POST' : 'PUT',
              url: `/api/instruments/cairnet/${path}`,
              headers: { 'content-type': 'application/json' },
              payload: raw,
            });
            if (res.statusCode >= 400) {
              expectCleanRefusal(res);
              expect(await counts()).toEqual(before);
            }
          },
        ),
        { numRuns: dialect === 'postgres' ? Math.ceil(RUNS / 3) : RUNS },
      );
    });

    it('refuses hostile drafts and tokens without a 500', async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 150 }), anyBody, async (token, body) => {
          const before = await counts();
          const res = await app.inject({
            method: 'PUT',
            url: `/api/instruments/cairnet/drafts/${encodeURIComponent(token)}`,
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify(body),
          });
          if (res.statusCode >= 400) {
            expectCleanRefusal(res);
            expect(await counts()).toEqual(before);
          }
        }),
        { numRuns: dialect === 'postgres' ? Math.ceil(RUNS / 3) : RUNS },
      );
    });
  });
}
