import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { LatestSnapshot } from '../../src/results/latest-snapshot.js';
import { evaluateStoreResults } from '../../src/results/store-results.js';
import { insertResponsesBulk } from '../../src/store/repositories/responses.js';
import { listSnapshots } from '../../src/store/repositories/snapshots.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

for (const dialect of await availableDialects()) {
  describe(`${dialect}: the dashboard's latest snapshot`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      await writeDemoPanel(t.store, { respondents: 120, seed: 11 });
    }, 120_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('stores the first snapshot, serves it while new responses are evaluated, and stores a new one only after a change', async () => {
      let clock = 0;
      const latest = new LatestSnapshot(t.store, {
        instrument: 'cairnet-demo',
        ttlMs: 1000,
        now: () => clock,
      });
      const first = await latest.latest();
      expect(first.results.n).toBe(120);
      expect(await listSnapshots(t.store.db)).toHaveLength(1);

      // within the delay: the same snapshot, even after new responses
      await insertResponsesBulk(t.store.db, [
        {
          instrumentName: 'cairnet-demo',
          instrumentVersion: 1,
          data: { relation: 'never' },
          synthetic: true,
          idempotencyKey: 'late-1',
        },
      ]);
      clock = 500;
      expect((await latest.latest()).snapshot.id).toBe(first.snapshot.id);

      // after the delay: the stored one at once, a new one stored in the background
      clock = 2000;
      expect((await latest.latest()).snapshot.id).toBe(first.snapshot.id);
      await latest.settled();
      const second = await latest.latest();
      expect(second.results.n).toBe(121);
      expect(second.snapshot.id).not.toBe(first.snapshot.id);
      expect(second.snapshot.inputs.responses.count).toBe(121);

      // nothing stored since: checked, no new snapshot
      clock = 4000;
      expect((await latest.latest()).snapshot.id).toBe(second.snapshot.id);
      await latest.settled();
      expect((await latest.latest()).snapshot.id).toBe(second.snapshot.id);
      expect(await listSnapshots(t.store.db)).toHaveLength(2);

      // another server over the same store shows the same latest snapshot, computing nothing
      const other = new LatestSnapshot(t.store, {
        instrument: 'cairnet-demo',
        ttlMs: 1000,
        now: () => clock,
      });
      expect((await other.latest()).snapshot.id).toBe(second.snapshot.id);
      await other.settled();
      expect(await listSnapshots(t.store.db)).toHaveLength(2);
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
        instrument: 'cairnet-demo',
        factorMap: true,
        counts: 'sql',
        exactRows: 0,
      });
      const patterns = published.results.typology?.patterns ?? 0;
      expect(patterns).toBeGreaterThan(50);
      const points = published.factorMap?.points ?? [];
      expect(points.length).toBe(patterns);
      // one profile per profile found
      const profiles = new Set(points.map((p) => p.profile));
      expect(profiles.size).toBe(published.results.typology?.profiles.filter((p) => p.size > 0).length);
    });
  });
}
