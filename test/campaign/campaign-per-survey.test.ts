import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignStatus } from '../../src/campaign/campaign-status.js';
import { erasePerson } from '../../src/campaign/erase-person.js';
import type { MailConfig } from '../../src/campaign/mail-config.js';
import { importPopulation } from '../../src/campaign/population-import.js';
import { pressTexts } from '../../src/campaign/press-texts.js';
import { readPopulationFile } from '../../src/campaign/read-population-file.js';
import { sendRound } from '../../src/campaign/send-campaign.js';
import { surveyAccess } from '../../src/campaign/survey-access.js';
import { buildApp } from '../../src/server/build-app.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { cairnetSurvey, neverMetAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { startSmtpSink } from './smtp-sink.js';

const dialects = await availableDialects();

function csv(dir: string, name: string, rows: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `email;name;language\n${rows.join('\n')}\n`);
  return path;
}

for (const dialect of dialects) {
  describe(`${dialect}: one campaign per survey`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    let config: MailConfig;
    const dir = mkdtempSync(join(tmpdir(), 'cairnet-per-survey-'));
    const fast = { ratePerMinute: 60_000 };
    const SHARED = 'anne.martin@inserm.fr';

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await saveInstrument(t.store.db, 'cairnet', cairnetSurvey());
      await saveInstrument(t.store.db, 'staff', cairnetSurvey());
      await saveInstrument(t.store.db, 'third', cairnetSurvey());
      app = await buildApp({ store: t.store });
      sink = await startSmtpSink();
      config = { smtpUrl: sink.url, from: 'Survey <survey@example.org>', publicUrl: 'https://s.example.org' };
      const a = csv(dir, 'cairnet.csv', [`${SHARED};Anne Martin;fr`, 'bob.smith@inserm.fr;Bob Smith;en']);
      const b = csv(dir, 'staff.csv', [`${SHARED.toUpperCase()};Anne M.;en`, 'zoe.blanc@inserm.fr;Zoé;fr']);
      expect(
        await importPopulation(t.store.db, 'cairnet', await readPopulationFile(a), { file: a }),
      ).toMatchObject({ added: 2 });
      // The same address in another survey's population is another person: added, not updated.
      expect(
        await importPopulation(t.store.db, 'staff', await readPopulationFile(b), { file: b }),
      ).toMatchObject({
        added: 2,
        updated: 0,
      });
    });
    afterAll(async () => {
      await app.close();
      await sink.close();
      await t.dispose();
    });

    it("sends a survey's invitations to its own population only", async () => {
      const staff = await sendRound(t.store.db, 'staff', { kind: 'invitation', config, ...fast });
      expect(staff).toMatchObject({ sent: 2, eligible: 2 });
      expect(sink.received.flatMap((m) => m.to).sort()).toEqual([SHARED, 'zoe.blanc@inserm.fr']);
      // The shared address got the staff survey's message in the staff population's language.
      expect(sink.to(SHARED)[0]!.html).toContain('lang="en"');
      expect((await campaignStatus(t.store.db, 'cairnet')).totals).toMatchObject({
        population: 2,
        invited: 0,
      });
      expect((await campaignStatus(t.store.db, 'staff')).totals).toMatchObject({ population: 2, invited: 2 });
      const rounds = (await campaignStatus(t.store.db, 'cairnet')).rounds;
      expect(rounds).toEqual([]);

      const cairnet = await sendRound(t.store.db, 'cairnet', { kind: 'invitation', config, ...fast });
      expect(cairnet).toMatchObject({ sent: 2, eligible: 2 });
      expect(sink.to(SHARED)).toHaveLength(2);
      expect(new Set(sink.to(SHARED).map((m) => m.token)).size).toBe(2);
      expect((await campaignStatus(t.store.db, 'staff')).rounds).toEqual([
        expect.objectContaining({ round: 'invitation', states: { sent: 2 } }),
      ]);
      // A reminder round of one survey leaves the other alone.
      const reminded = await sendRound(t.store.db, 'staff', { kind: 'reminder', config, ...fast });
      expect(reminded.sent).toBe(2);
      expect((await campaignStatus(t.store.db, 'cairnet')).rounds.map((r) => r.round)).toEqual([
        'invitation',
      ]);
    });

    it('opens, from each link, the survey whose campaign sent it, and takes its response there only', async () => {
      const [staffMail, cairnetMail] = sink.to(SHARED);
      const open = await app.inject({ method: 'GET', url: `/i/${staffMail!.token}` });
      expect(open.statusCode).toBe(303);
      expect(open.headers.location).toBe(`/s/staff?resume=${staffMail!.token}&lang=en`);
      const other = await app.inject({ method: 'GET', url: `/i/${cairnetMail!.token}` });
      expect(other.headers.location).toBe(`/s/cairnet?resume=${cairnetMail!.token}&lang=fr`);

      const post = (survey: string, token: string) =>
        app.inject({
          method: 'POST',
          url: `/api/instruments/${survey}/responses`,
          payload: {
            data: neverMetAnswers(),
            invitationToken: token,
            idempotencyKey: `k-${survey}-${token}`,
          },
        });
      const wrong = await post('cairnet', staffMail!.token!);
      expect(wrong.statusCode).toBe(404);
      expect(wrong.json().code).toBe('CAIRNET_INVITATION_NOT_FOUND');
      expect((await post('staff', staffMail!.token!)).statusCode).toBe(201);
      expect((await campaignStatus(t.store.db, 'staff')).totals).toMatchObject({ completed: 1, opened: 1 });
      expect((await campaignStatus(t.store.db, 'cairnet')).totals).toMatchObject({ completed: 0, opened: 1 });
    });

    it("opts out of one survey's messages only, and erases a person from one survey only", async () => {
      const cairnetToken = sink.to(SHARED)[1]!.token!;
      const out = await app.inject({ method: 'POST', url: `/optout/${cairnetToken}` });
      expect(out.statusCode).toBe(200);
      expect((await campaignStatus(t.store.db, 'cairnet')).totals.optedOut).toBe(1);
      expect((await campaignStatus(t.store.db, 'staff')).totals.optedOut).toBe(0);

      await erasePerson(t.store.db, 'staff', 'zoe.blanc@inserm.fr');
      await expect(erasePerson(t.store.db, 'cairnet', 'zoe.blanc@inserm.fr')).rejects.toMatchObject({
        code: 'CAIRNET_PERSON_NOT_FOUND',
      });
      await erasePerson(t.store.db, 'staff', SHARED);
      expect((await campaignStatus(t.store.db, 'staff')).totals.erased).toBe(2);
      expect((await campaignStatus(t.store.db, 'cairnet')).totals).toMatchObject({
        erased: 0,
        population: 2,
      });
      const people = await t.store.db
        .selectFrom('campaign_people')
        .select(['survey', 'email'])
        .where('email', '=', SHARED)
        .execute();
      expect(people).toEqual([{ survey: 'cairnet', email: SHARED }]);
    });

    it("words press contacts in the survey's own terms, neutral for a survey without them", async () => {
      const cairnet = await pressTexts(t.store.db, 'cairnet');
      expect(cairnet.fr.requestSubject).toMatch(/Cairnet/);
      const staff = await pressTexts(t.store.db, 'staff');
      expect(JSON.stringify(staff)).not.toMatch(/Cairnet|Inserm/);
      expect(staff.en.sharedSubject).toContain('{{handle}}');
    });

    it('lists the surveys on the home page by name, with nothing of one study', async () => {
      const home = await app.inject({ method: 'GET', url: '/' });
      expect(home.statusCode).toBe(200);
      expect(home.body).toContain('href="/s/staff?lang=en"');
      expect(home.body).not.toMatch(/Inserm|patient/);
    });

    it('makes a survey with a population invitation-only, and leaves one without open', async () => {
      expect(await surveyAccess(t.store.db, 'cairnet')).toBe('invitation');
      expect(await surveyAccess(t.store.db, 'third')).toBe('open');
    });
  });
}
