import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { openStore } from '../../src/store/open-store.js';
import { insertResponsesBulk } from '../../src/store/repositories/responses.js';
import { findSurvey } from '../../src/store/repositories/surveys.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

for (const dialect of await availableDialects()) {
  describe(`${dialect}: migration 0010 (surveys)`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it('moves a demonstration panel stored in cairnet by an older version to cairnet-demo, real responses staying', async () => {
      await ensureCairnetInstrument(t.store);
      const answers = { relation: 'never' };
      await insertResponsesBulk(t.store.db, [
        ...Array.from({ length: 3 }, (_, i) => ({
          instrumentName: 'cairnet',
          instrumentVersion: 1,
          data: answers,
          synthetic: true,
          idempotencyKey: `old-demo-${i}`,
        })),
        { instrumentName: 'cairnet', instrumentVersion: 1, data: answers, idempotencyKey: 'old-real' },
      ]);
      // the store as the previous version left it: no surveys, the migration not yet run
      await sql`drop table survey_plans`.execute(t.store.db);
      await sql`drop table surveys`.execute(t.store.db);
      await sql`delete from kysely_migration where name = '0010_surveys'`.execute(t.store.db);
      const store = await openStore({ db: t.location });
      try {
        const rows = await store.db
          .selectFrom('responses')
          .select(['instrument_name', 'synthetic', 'idempotency_key'])
          .orderBy('idempotency_key')
          .execute();
        expect(rows.map((r) => [r.instrument_name, Number(r.synthetic), r.idempotency_key])).toEqual([
          ['cairnet-demo', 1, 'old-demo-0'],
          ['cairnet-demo', 1, 'old-demo-1'],
          ['cairnet-demo', 1, 'old-demo-2'],
          ['cairnet', 0, 'old-real'],
        ]);
        expect((await findSurvey(store.db, 'cairnet'))?.kind).toBe('survey');
        expect(await findSurvey(store.db, 'cairnet-demo')).toMatchObject({ kind: 'demo', source: 'cairnet' });
        const versions = await store.db
          .selectFrom('instruments')
          .select(['name', 'version', 'hash'])
          .execute();
        const hash = (name: string) =>
          versions.filter((v) => v.name === name).map((v) => [v.version, v.hash]);
        expect(hash('cairnet-demo')).toEqual(hash('cairnet'));
      } finally {
        await store.close();
      }
    });
  });
}
