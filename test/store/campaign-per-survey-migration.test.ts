import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../src/campaign/campaign-settings.js';
import { surveyAccess } from '../../src/campaign/survey-access.js';
import { campaignMigration } from '../../src/store/migrations/0002-campaign.js';
import { openStore } from '../../src/store/open-store.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

for (const dialect of await availableDialects()) {
  describe(`${dialect}: migration 0012 (one campaign per survey)`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it("gives the old campaign's rows to the survey its instrument setting named, and each declared access to its survey", async () => {
      const db = t.store.db as unknown as Kysely<unknown>;
      // the campaign tables as the previous version left them
      for (const table of ['campaign_people', 'campaign_strata', 'campaign_rounds', 'campaign_messages']) {
        await sql`drop table ${sql.table(table)}`.execute(db);
      }
      await sql`drop table campaign_settings`.execute(db);
      await sql`drop table campaign_texts`.execute(db);
      await sql`drop index responses_invitation_unique`.execute(db);
      await campaignMigration.up(db);
      await sql`delete from kysely_migration where name = '0012_campaign_per_survey'`.execute(db);
      const now = new Date().toISOString();
      await sql`insert into campaign_people (id, email_key, email, language, pseudonym, completed, imported_at, updated_at)
        values ('p1', 'k1', 'a@example.org', 'fr', 'ps1', 0, ${now}, ${now})`.execute(db);
      await sql`insert into campaign_rounds (id, kind, created_at) values ('invitation', 'invitation', ${now})`.execute(
        db,
      );
      await sql`insert into campaign_settings (key, value) values ('instrument', 'wave2'), ('anonymous', 'yes'),
        ('access:other', 'open')`.execute(db);

      const store = await openStore({ db: t.location });
      try {
        const people = await store.db
          .selectFrom('campaign_people')
          .select(['id', 'survey', 'email_key'])
          .execute();
        expect(people).toEqual([{ id: 'p1', survey: 'wave2', email_key: 'k1' }]);
        const rounds = await store.db.selectFrom('campaign_rounds').select(['survey', 'id']).execute();
        expect(rounds).toEqual([{ survey: 'wave2', id: 'invitation' }]);
        expect((await readSettings(store.db, 'wave2')).anonymous).toBe(true);
        expect((await readSettings(store.db, 'cairnet')).anonymous).toBe(false);
        expect(await surveyAccess(store.db, 'other')).toBe('open');
        expect(await surveyAccess(store.db, 'wave2')).toBe('invitation');
        const keys = await store.db
          .selectFrom('campaign_settings')
          .select(['survey', 'key'])
          .orderBy('key')
          .execute();
        expect(keys).toEqual([
          { survey: 'other', key: 'access' },
          { survey: 'wave2', key: 'anonymous' },
        ]);
        // the same address (key) may now be in another survey's population, not twice in one
        const row = {
          email: null,
          name: null,
          language: 'fr',
          pseudonym: null,
          invited_at: null,
          opened_at: null,
          started_at: null,
          completed: 0,
          completed_at: null,
          opted_out_at: null,
          undeliverable_at: null,
          undeliverable_reason: null,
          erased_at: null,
          imported_at: now,
          updated_at: now,
        };
        await store.db
          .insertInto('campaign_people')
          .values({ id: 'p2', survey: 'cairnet', email_key: 'k1', ...row })
          .execute();
        await expect(
          store.db
            .insertInto('campaign_people')
            .values({ id: 'p3', survey: 'cairnet', email_key: 'k1', ...row })
            .execute(),
        ).rejects.toThrow();
      } finally {
        await store.close();
      }
    });
  });
}
