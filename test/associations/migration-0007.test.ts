import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionUndoMigration } from '../../src/store/migrations/0007-association-decision-undo.js';
import { listRegistry, reconcileStoredMentions } from '../../src/store/repositories/associations.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

for (const dialect of await availableDialects()) {
  describe(`${dialect}: migration 0007 (decisions that can be undone)`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
    }, 60_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('moves the entries earlier creates wrote into the registry back into their decisions, keeping the rest', async () => {
      const db = t.store.db;
      await listRegistry(db); // seeded
      // the store as 0006 left it: no undo columns, a create that wrote its entry into the registry
      await sql`alter table association_decisions drop column undone_at`.execute(db);
      await sql`alter table association_decisions drop column undone_by`.execute(db);
      const at = '2026-11-01T10:00:00.000Z';
      const entry = {
        id: 'N1',
        name: 'Les Petits Bourdons',
        acronyms: [],
        aliases: [],
        area: '',
        origin: 'real',
      };
      await sql`insert into association_decisions (id, seq, kind, decision, user_id, at)
        values ('d1', 1, 'create', ${JSON.stringify({ kind: 'create', entry, mentions: [] })}, null, ${at})`.execute(
        db,
      );
      const x1 = { ...entry, id: 'X1', name: 'First name' };
      await sql`insert into association_decisions (id, seq, kind, decision, user_id, at)
        values ('d2', 2, 'create', ${JSON.stringify({ kind: 'create', entry: x1, mentions: [] })}, null, ${at})`.execute(
        db,
      );
      const row = { acronyms: '[]', aliases: '[]', area: '', origin: 'real', position: 9000 };
      await db
        .insertInto('association_entries')
        .values([
          { ...row, id: 'N1', name: 'Les Petits Bourdons', updated_at: at },
          // a created entry replaced later by a registry import: the import's row, kept
          { ...row, id: 'X1', name: 'Imported', updated_at: '2026-11-02T00:00:00.000Z' },
        ])
        .execute();
      await decisionUndoMigration.up(db as unknown as Kysely<unknown>);
      const stored = await db
        .selectFrom('association_entries')
        .select('id')
        .where('id', 'in', ['N1', 'X1'])
        .execute();
      expect(stored.map((r) => r.id)).toEqual(['X1']);
      // the replay of the log gives the entry back, unchanged
      const r = await reconcileStoredMentions(db);
      expect(r.registry.find((e) => e.id === 'N1')).toEqual(entry);
      expect(r.registry.find((e) => e.id === 'X1')?.name).toBe('Imported');
      const d = await db.selectFrom('association_decisions').selectAll().execute();
      expect(d.map((x) => x.undone_at)).toEqual([null, null]);
    });
  });
}
