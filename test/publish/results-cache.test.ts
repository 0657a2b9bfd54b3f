import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { ResultsCache } from '../../src/publish/results-cache.js';
import { evaluateStoreResults } from '../../src/report/store-results.js';
import { insertResponsesBulk } from '../../src/store/repositories/responses.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

for (const dialect of await availableDialects()) {
  describe(`${dialect}: the results shared by the dashboard and the public page`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      await writeDemoPanel(t.store, { respondents: 120, seed: 11 });
    }, 120_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('answers from the last results while new responses are evaluated, and recomputes only after a change', async () => {
      let clock = 0;
      const cache = new ResultsCache(t.store, 1000, () => clock, 'cairnet-demo');
      const first = await cache.results();
      expect(first.results.n).toBe(120);

      // within the delay: the same evaluation, even after new responses
      await insertResponsesBulk(t.store.db, [
        {
          instrumentName: 'cairnet-demo',
          instrumentVersion: 1,
          data: { relation: 'never' },
          idempotencyKey: 'late-1',
          synthetic: true,
        },
      ]);
      clock = 500;
      expect(await cache.results()).toBe(first);

      // after the delay: the stale results at once, the new ones once evaluated
      clock = 2000;
      expect(await cache.results()).toBe(first);
      await cache.settled();
      const second = await cache.results();
      expect(second.results.n).toBe(121);

      // nothing stored since: checked, not recomputed
      clock = 4000;
      expect(await cache.results()).toBe(second);
      await cache.settled();
      expect(await cache.results()).toBe(second);
    });
  });
}

for (const dialect of await availableDialects()) {
  describe(`${dialect}: the typology's factor map without the rows`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      await writeDemoPanel(t.store, { respondents: 300, seed: 13 });
    }, 120_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('draws the answer patterns grouped by SQL, one dot each, coloured by profile', async () => {
      const published = await evaluateStoreResults(t.store, {
        factorMap: true,
        counts: 'sql',
        exactRows: 0,
        instrument: 'cairnet-demo',
      });
      const patterns = published.results.typology?.patterns ?? 0;
      expect(patterns).toBeGreaterThan(50);
      const svg = published.factorMap ?? '';
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.match(/<circle /g)?.length).toBe(patterns);
      // one colour per profile found
      const colours = new Set([...svg.matchAll(/<circle [^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]));
      expect(colours.size).toBe(published.results.typology?.profiles.filter((p) => p.size > 0).length);
    });
  });
}
