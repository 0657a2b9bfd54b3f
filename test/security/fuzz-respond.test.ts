import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { draftCase, respondHarness, responseCase } from './fuzz/respond.js';

const dialects = await availableDialects();
/** Cases per property here; `npm run bench -- fuzz` runs 100,000 per boundary. */
const RUNS = Number(process.env.CAIRNET_FUZZ_RUNS ?? 150);

for (const dialect of dialects) {
  describe(`${dialect}: hostile requests to the respondent endpoints`, () => {
    let t: TestStore;
    let h: Awaited<ReturnType<typeof respondHarness>>;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      h = await respondHarness(t.store);
    });
    afterAll(async () => {
      await h.close();
      await t.dispose();
    });
    const runs = dialect === 'postgres' ? Math.ceil(RUNS / 3) : RUNS;

    it('submissions: never a 500, a registered code, and a refused one writes nothing', async () => {
      await fc.assert(
        fc.asyncProperty(responseCase, async (c) => {
          await h.response(c);
        }),
        { numRuns: runs },
      );
    });

    it('drafts: never a 500, a registered code, and a refused one writes nothing', async () => {
      await fc.assert(
        fc.asyncProperty(draftCase, async (c) => {
          await h.draft(c);
        }),
        { numRuns: runs },
      );
    });
  });
}
