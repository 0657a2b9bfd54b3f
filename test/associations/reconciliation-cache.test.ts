import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { StoredReconciliationCache } from '../../src/store/repositories/associations.js';
import { insertResponsesBulk } from '../../src/store/repositories/responses.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

for (const dialect of await availableDialects()) {
  describe(`${dialect}: the stored reconciliation kept between requests`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      await writeDemoPanel(t.store, { respondents: 40, seed: 3 });
    }, 120_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('is reused while nothing changed and computed again after a new response', async () => {
      let clock = 0;
      const cache = new StoredReconciliationCache(t.store.db, 2000, () => clock);
      const first = await cache.get(5);
      expect(await cache.get(5)).toBe(first);
      expect(first.responses).toHaveLength(40);
      await insertResponsesBulk(t.store.db, [
        {
          instrumentName: 'cairnet',
          instrumentVersion: 1,
          data: { relation: 'ongoing', associations: [{ name: 'Association des amis du test de cache' }] },
          idempotencyKey: 'cache-1',
        },
      ]);
      // within the check delay: the reconciliation as it was
      clock = 1000;
      expect(await cache.get(5)).toBe(first);
      clock = 3000;
      const second = await cache.get(5);
      expect(second).not.toBe(first);
      expect(second.responses).toHaveLength(41);
      expect(second.distinct).toBe(first.distinct + 1);
      // a change made through this server is seen at once
      await insertResponsesBulk(t.store.db, [
        {
          instrumentName: 'cairnet',
          instrumentVersion: 1,
          data: { relation: 'never' },
          idempotencyKey: 'cache-2',
        },
      ]);
      cache.invalidate();
      expect((await cache.get(5)).responses).toHaveLength(42);
    });
  });
}
