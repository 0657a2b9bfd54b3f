import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueThanks } from '../../src/campaign/send-thanks.js';
import { thanksMigration } from '../../src/store/migrations/0013-thanks.js';
import { openStore } from '../../src/store/open-store.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

for (const dialect of await availableDialects()) {
  describe(`${dialect}: migration 0013 (the thank-you owed after a completion)`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it('owes nothing to people who completed before it, and keeps one thank-you per person', async () => {
      const db = t.store.db as unknown as Kysely<unknown>;
      // the store as 0012 left it, with a completion
      await thanksMigration.down!(db);
      await sql`delete from kysely_migration where name = '0013_thanks'`.execute(db);
      const now = new Date().toISOString();
      await sql`insert into campaign_people (id, survey, email_key, email, language, pseudonym, completed,
          completed_at, imported_at, updated_at)
        values ('p1', 'cairnet', 'k1', 'a@example.org', 'fr', 'ps1', 1, ${now}, ${now}, ${now})`.execute(db);

      const store = await openStore({ db: t.location });
      try {
        const people = await store.db.selectFrom('campaign_people').select(['id', 'thanks_due']).execute();
        expect(people).toEqual([{ id: 'p1', thanks_due: 0 }]);
        const sent: unknown[] = [];
        const report = await sendDueThanks(store.db, {
          config: () => ({
            smtpUrl: 'smtp://127.0.0.1:1',
            from: 'c@example.org',
            publicUrl: 'https://e.example.org',
          }),
          transport: {
            async sendMail(m) {
              sent.push(m);
              return { response: '250 ok' };
            },
          },
        });
        expect(report.sent).toBe(0);
        expect(sent).toEqual([]);
        // a second thank-you row for the same person is refused by the store itself
        const row = (id: string, hash: string) => ({
          id,
          person_id: 'p1',
          round_id: 'thanks',
          kind: 'thanks',
          token_hash: hash,
          state: 'sent',
          created_at: now,
        });
        await store.db.insertInto('campaign_messages').values(row('m1', 'h1')).execute();
        await expect(
          store.db.insertInto('campaign_messages').values(row('m2', 'h2')).execute(),
        ).rejects.toThrow();
      } finally {
        await store.close();
      }
    });
  });
}
