import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDraft, saveDraft } from '../../src/store/repositories/drafts.js';
import { currentInstrument, saveInstrument } from '../../src/store/repositories/instruments.js';
import {
  countResponses,
  insertCompletedResponse,
  iterateResponses,
  listResponses,
} from '../../src/store/repositories/responses.js';
import { addUser, authenticate, findSession, openSession } from '../../src/store/repositories/users.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

const dialects = await availableDialects();

for (const dialect of dialects) {
  describe(`${dialect}: store`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
    });
    afterAll(async () => {
      await t.dispose();
    });

    it('keeps one version per distinct instrument content and serves the newest', async () => {
      const a = await saveInstrument(t.store.db, 'x', { pages: [{ name: 'p', elements: [] }] });
      const again = await saveInstrument(t.store.db, 'x', { pages: [{ elements: [], name: 'p' }] });
      const b = await saveInstrument(t.store.db, 'x', { title: 'changed', pages: [] });
      expect(a.created).toBe(true);
      expect(again.created).toBe(false);
      expect(again.instrument.version).toBe(1);
      expect(b.instrument.version).toBe(2);
      expect((await currentInstrument(t.store.db, 'x'))?.json).toEqual({ title: 'changed', pages: [] });
      expect(await currentInstrument(t.store.db, 'nope')).toBeUndefined();
    });

    it('stores a response once per idempotency key and answers a retry with the first id', async () => {
      const r = { instrumentName: 'x', instrumentVersion: 1, data: { a: 1 }, idempotencyKey: `k-${dialect}` };
      const first = await insertCompletedResponse(t.store.db, r);
      const second = await insertCompletedResponse(t.store.db, r);
      const concurrent = await Promise.all([1, 2, 3].map(() => insertCompletedResponse(t.store.db, r)));
      expect(second).toEqual({ id: first.id, replayed: true });
      expect(concurrent.every((c) => c.id === first.id)).toBe(true);
      expect(await countResponses(t.store.db, 'x')).toBe(1);
    });

    it('refuses an idempotency key reused with different answers, and stores nothing', async () => {
      const key = `conflict-${dialect}`;
      await insertCompletedResponse(t.store.db, {
        instrumentName: 'y',
        instrumentVersion: 1,
        data: { a: 1 },
        idempotencyKey: key,
      });
      await expect(
        insertCompletedResponse(t.store.db, {
          instrumentName: 'y',
          instrumentVersion: 1,
          data: { a: 2 },
          idempotencyKey: key,
        }),
      ).rejects.toMatchObject({ code: 'CAIRNET_IDEMPOTENCY_CONFLICT' });
      expect(await countResponses(t.store.db, 'y')).toBe(1);
    });

    it('pages and streams completed responses in a stable order', async () => {
      for (let i = 0; i < 7; i++) {
        await insertCompletedResponse(t.store.db, { instrumentName: 'z', instrumentVersion: 1, data: { i } });
      }
      const p1 = await listResponses(t.store.db, { instrumentName: 'z', page: 1, pageSize: 5 });
      const p2 = await listResponses(t.store.db, { instrumentName: 'z', page: 2, pageSize: 5 });
      expect(p1.total).toBe(7);
      expect(p1.items).toHaveLength(5);
      expect(p2.items).toHaveLength(2);
      const streamed = [];
      for await (const r of iterateResponses(t.store.db, 'z', 3)) streamed.push(r.id);
      expect(streamed).toEqual([...p1.items, ...p2.items].map((r) => r.id));
    });

    it('keeps drafts apart and freezes a draft once it is completed', async () => {
      const d = {
        tokenHash: `h-${dialect}`,
        instrumentName: 'x',
        instrumentVersion: 1,
        data: { a: 1 },
        pageNo: 1,
      };
      await saveDraft(t.store.db, d);
      await saveDraft(t.store.db, { ...d, data: { a: 2 }, pageNo: 2 });
      expect(await getDraft(t.store.db, d.tokenHash)).toMatchObject({ data: { a: 2 }, pageNo: 2 });
      const before = await countResponses(t.store.db, 'x');
      const done = await insertCompletedResponse(t.store.db, {
        instrumentName: 'x',
        instrumentVersion: 1,
        data: { a: 2 },
        draftTokenHash: d.tokenHash,
      });
      expect(await countResponses(t.store.db, 'x')).toBe(before + 1);
      const after = await saveDraft(t.store.db, { ...d, data: { a: 3 } });
      expect(after).toMatchObject({ saved: false, completedResponseId: done.id });
      expect((await getDraft(t.store.db, d.tokenHash))?.data).toEqual({});
    });

    it('authenticates users with scrypt hashes and opens sessions', async () => {
      await addUser(t.store.db, {
        email: 'Admin@Example.org',
        password: 'correct horse battery',
        role: 'admin',
      });
      await expect(
        addUser(t.store.db, { email: 'admin@example.org', password: 'another password', role: 'admin' }),
      ).rejects.toMatchObject({ code: 'CAIRNET_USER_EXISTS' });
      expect(await authenticate(t.store.db, 'admin@example.org', 'wrong password!')).toBeUndefined();
      const user = await authenticate(t.store.db, 'admin@example.org', 'correct horse battery');
      expect(user?.role).toBe('admin');
      const { id } = await openSession(t.store.db, user!);
      expect((await findSession(t.store.db, id))?.user.email).toBe('admin@example.org');
      expect(await findSession(t.store.db, `${id}x`)).toBeUndefined();
      const row = await t.store.db.selectFrom('users').select('password_hash').executeTakeFirst();
      expect(row?.password_hash).toMatch(/^scrypt\$/);
      expect(row?.password_hash).not.toContain('correct horse');
    });
  });
}
