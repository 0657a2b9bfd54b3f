import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseBatcher } from '../../src/store/repositories/response-batcher.js';
import { countResponses, insertCompletedResponse } from '../../src/store/repositories/responses.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

const dialects = await availableDialects();

for (const dialect of dialects) {
  describe(`${dialect}: group commit of completed responses`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
    });
    afterAll(async () => t.dispose());

    const response = (i: number, key?: string, x = i) => ({
      instrumentName: 'g',
      instrumentVersion: 1,
      data: { x },
      ...(key ? { idempotencyKey: key } : {}),
    });

    it('stores each response once, and answers duplicates in a batch and retries with the stored id', async () => {
      const batcher = new ResponseBatcher(t.store.db, 50);
      await insertCompletedResponse(t.store.db, response(0, 'before'));
      const calls = [
        ...Array.from({ length: 120 }, (_, i) => batcher.submit(response(i, `k${i}`))),
        ...Array.from({ length: 30 }, (_, i) => batcher.submit(response(i, `k${i}`))),
        ...Array.from({ length: 10 }, (_, i) => batcher.submit(response(1000 + i))),
        batcher.submit(response(0, 'before')),
      ];
      const results = await Promise.all(calls);
      expect(await countResponses(t.store.db, 'g')).toBe(1 + 120 + 10);
      for (let i = 0; i < 30; i++) expect(results[120 + i]!.id).toBe(results[i]!.id);
      expect(results.slice(120, 150).every((r) => r.replayed)).toBe(true);
      expect(results.at(-1)!.replayed).toBe(true);
      expect(new Set(results.slice(0, 120).map((r) => r.id)).size).toBe(120);
    });

    it('refuses a key reused with other answers, without disturbing the rest of its batch', async () => {
      const batcher = new ResponseBatcher(t.store.db);
      const [ok, conflict] = await Promise.allSettled([
        batcher.submit(response(1, 'fresh-1')),
        batcher.submit(response(2, 'k5', 999)),
      ]);
      expect(ok.status).toBe('fulfilled');
      expect(conflict.status).toBe('rejected');
      expect((conflict as PromiseRejectedResult).reason.code).toBe('CAIRNET_IDEMPOTENCY_CONFLICT');
      const rows = await t.store.db
        .selectFrom('responses')
        .select('data')
        .where('idempotency_key', '=', 'k5')
        .execute();
      expect(rows.map((r) => JSON.parse(r.data))).toEqual([{ x: 5 }]);
    });
  });
}
