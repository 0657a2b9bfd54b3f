import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSetting } from '../../src/campaign/campaign-settings.js';
import { campaignStatus } from '../../src/campaign/campaign-status.js';
import { erasePerson } from '../../src/campaign/erase-person.js';
import type { MailConfig } from '../../src/campaign/mail-config.js';
import { importPopulation } from '../../src/campaign/population-import.js';
import { readPopulationFile } from '../../src/campaign/read-population-file.js';
import { sendRound } from '../../src/campaign/send-campaign.js';
import { buildApp } from '../../src/server/build-app.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { addUser } from '../../src/store/repositories/users.js';
import { cairnetSurvey, neverMetAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { startSmtpSink } from './smtp-sink.js';

const dialects = await availableDialects();

const PEOPLE = [
  ['anne.martin@inserm.fr', 'Anne Martin', 'fr', 'U1001', '40_44'],
  ['bob.smith@inserm.fr', 'Bob <b>Smith</b>', 'en', 'U1001', '30_34'],
  ['chloe.dupont@inserm.fr', 'Chloé Dupont', 'fr', 'U1002', '40_44'],
  ['david.li@inserm.fr', 'David Li', 'en', 'U1002', '50_54'],
  ['eve.roux@inserm.fr', 'Ève Roux', 'fr', 'U1003', '30_34'],
] as const;

function populationCsv(dir: string): string {
  const path = join(dir, 'population.csv');
  const lines = ['Courriel;Nom;Langue;Unité;Tranche', ...PEOPLE.map((p) => p.join(';'))];
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

for (const dialect of dialects) {
  describe(`${dialect}: a campaign from population to reminders`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    let config: MailConfig;
    const dir = mkdtempSync(join(tmpdir(), 'cairnet-campaign-'));

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await saveInstrument(t.store.db, 'cairnet', cairnetSurvey());
      app = await buildApp({ store: t.store });
      sink = await startSmtpSink();
      config = {
        smtpUrl: sink.url,
        from: 'Enquête Cairnet <cairnet@inserm.fr>',
        publicUrl: 'https://enquete.example.org',
      };
    });
    afterAll(async () => {
      await app.close();
      await sink.close();
      await t.dispose();
    });

    const fast = { ratePerMinute: 60_000 };
    const count = async (table: 'responses' | 'campaign_people' | 'drafts') =>
      Number(
        (
          await t.store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n ?? 0,
      );
    const pathOf = (token: string) => `/i/${token}`;
    const tokenFor = (email: string, i = -1) => sink.to(email).at(i)?.token;

    it('imports the population from a CSV file with a mapping, and a re-import changes nothing', async () => {
      const file = populationCsv(dir);
      const table = await readPopulationFile(file);
      const map = 'Courriel=email,Nom=name,Langue=language,Unité=unit,Tranche=age_band';
      const dry = await importPopulation(t.store.db, 'cairnet', table, { file, map, dryRun: true });
      expect(dry).toMatchObject({ added: 5, stored: false });
      expect(await count('campaign_people')).toBe(0);
      const r = await importPopulation(t.store.db, 'cairnet', table, { file, map });
      expect(r).toMatchObject({ added: 5, updated: 0, stored: true });
      const again = await importPopulation(t.store.db, 'cairnet', table, { file, map });
      expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 5 });
      expect(await count('campaign_people')).toBe(5);
    });

    it('shows in a dry run what would be sent, and sends nothing', async () => {
      const r = await sendRound(t.store.db, 'cairnet', { kind: 'invitation', config, dryRun: true });
      expect(r.preview).toHaveLength(5);
      expect(r.sample?.text).toContain('https://enquete.example.org/i/');
      expect(sink.received).toHaveLength(0);
    });

    it('sends every person one invitation, in their language, with their own link', async () => {
      const r = await sendRound(t.store.db, 'cairnet', { kind: 'invitation', config, ...fast });
      expect(r).toMatchObject({ sent: 5, failed: 0, uncertain: 0, remaining: 0 });
      expect(sink.received).toHaveLength(5);
      const tokens = new Set(sink.received.map((m) => m.token));
      expect(tokens.size).toBe(5);
      expect(sink.to('bob.smith@inserm.fr')[0]!.subject).toMatch(/^Cairnet survey/);
      expect(sink.to('anne.martin@inserm.fr')[0]!.subject).toMatch(/^Enquête Cairnet/);
      // The name is untrusted: escaped in the HTML part.
      expect(sink.to('bob.smith@inserm.fr')[0]!.html).toContain('Bob &lt;b&gt;Smith&lt;/b&gt;');
      expect(sink.to('anne.martin@inserm.fr')[0]!.raw).toMatch(
        /List-Unsubscribe:\s+<https:\/\/enquete\.example\.org\/optout\//,
      );
      // Only hashes are stored.
      const stored = await t.store.db.selectFrom('campaign_messages').select('token_hash').execute();
      for (const m of stored) expect(tokens.has(m.token_hash)).toBe(false);
      // A second run finds no one left to invite.
      const again = await sendRound(t.store.db, 'cairnet', { kind: 'invitation', config, ...fast });
      expect(again).toMatchObject({ eligible: 0, sent: 0 });
      expect(sink.received).toHaveLength(5);
    });

    it("opens the questionnaire in the person's language through the personal link", async () => {
      const token = tokenFor('bob.smith@inserm.fr')!;
      const res = await app.inject({ method: 'GET', url: pathOf(token) });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/s/cairnet?resume=${token}&lang=en`);
    });

    it('ties a response posted with the invitation token to the invitation, once', async () => {
      const before = await count('responses');
      const token = tokenFor('anne.martin@inserm.fr')!;
      const post = (key: string) =>
        app.inject({
          method: 'POST',
          url: '/api/instruments/cairnet/responses',
          payload: { data: neverMetAnswers(), invitationToken: token, idempotencyKey: key, locale: 'fr' },
        });
      const first = await post('k-anne-1');
      expect(first.statusCode).toBe(201);
      const replay = await post('k-anne-1');
      expect(replay.statusCode).toBe(201);
      expect(replay.json().id).toBe(first.json().id);
      const second = await post('k-anne-2');
      expect(second.statusCode).toBe(409);
      expect(second.json().code).toBe('CAIRNET_RESPONSE_ALREADY_COMPLETED');
      expect(await count('responses')).toBe(before + 1);
      const response = await t.store.db
        .selectFrom('responses')
        .selectAll()
        .where('id', '=', first.json().id)
        .executeTakeFirstOrThrow();
      const person = await t.store.db
        .selectFrom('campaign_people')
        .selectAll()
        .where('email', '=', 'anne.martin@inserm.fr')
        .executeTakeFirstOrThrow();
      expect(response.invitation_id).toBe(person.pseudonym);
      expect(response.invitation_id).not.toBe(person.id);
      expect(response.data).not.toContain('anne');
      expect(response.idempotency_key).not.toContain(token);
      expect(JSON.parse(response.meta!).consent.version).toMatch(/^cairnet@1#/);
      expect(Number(person.completed)).toBe(1);
    });

    it('saves a draft under the personal link and completes through the resume token', async () => {
      const token = tokenFor('bob.smith@inserm.fr')!;
      const put = await app.inject({
        method: 'PUT',
        url: `/api/instruments/cairnet/drafts/${token}`,
        payload: { data: { gender: 'man' }, pageNo: 1 },
      });
      expect(put.statusCode).toBe(200);
      const done = await app.inject({
        method: 'POST',
        url: '/api/instruments/cairnet/responses',
        payload: {
          data: neverMetAnswers(),
          resumeToken: token,
          idempotencyKey: `complete-${token}`,
          locale: 'en',
        },
      });
      expect(done.statusCode).toBe(201);
      const again = await app.inject({
        method: 'PUT',
        url: `/api/instruments/cairnet/drafts/${token}`,
        payload: { data: { gender: 'man' }, pageNo: 1 },
      });
      expect(again.statusCode).toBe(409);
    });

    it('records an opt-out and never writes to that person again', async () => {
      const token = tokenFor('chloe.dupont@inserm.fr')!;
      const page = await app.inject({ method: 'GET', url: `/optout/${token}` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<form method="post"');
      const res = await app.inject({
        method: 'POST',
        url: `/optout/${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(res.statusCode).toBe(200);
    });

    it('sends a reminder only to those who have not completed nor opted out; its link resumes the draft', async () => {
      const davidFirst = tokenFor('david.li@inserm.fr')!;
      await app.inject({ method: 'GET', url: pathOf(davidFirst) });
      const put = await app.inject({
        method: 'PUT',
        url: `/api/instruments/cairnet/drafts/${davidFirst}`,
        payload: { data: { gender: 'man', age_band: '50_54' }, pageNo: 1 },
      });
      expect(put.statusCode).toBe(200);
      const before = sink.received.length;
      const r = await sendRound(t.store.db, 'cairnet', { kind: 'reminder', config, ...fast });
      expect(r).toMatchObject({ round: 'reminder-1', sent: 2 });
      const reminded = sink.received.slice(before).flatMap((m) => m.to);
      expect(reminded.sort()).toEqual(['david.li@inserm.fr', 'eve.roux@inserm.fr']);
      // The reminder's link opens the same draft.
      const davidReminder = tokenFor('david.li@inserm.fr')!;
      expect(davidReminder).not.toBe(davidFirst);
      const open = await app.inject({ method: 'GET', url: pathOf(davidReminder) });
      expect(open.statusCode).toBe(303);
      const draft = await app.inject({
        method: 'GET',
        url: `/api/instruments/cairnet/drafts/${davidReminder}`,
      });
      expect(draft.statusCode).toBe(200);
      expect(draft.json().data).toEqual({ gender: 'man', age_band: '50_54' });
      // A second reminder round still skips the opted-out person.
      await sendRound(t.store.db, 'cairnet', { kind: 'reminder', config, ...fast });
      expect(sink.to('chloe.dupont@inserm.fr')).toHaveLength(1);
      expect(sink.to('anne.martin@inserm.fr')).toHaveLength(1);
    });

    it('counts invited, opened, started, completed in total, by stratum and per day', async () => {
      const s = await campaignStatus(t.store.db, 'cairnet');
      expect(s.totals).toMatchObject({ population: 5, invited: 5, completed: 2, optedOut: 1 });
      expect(s.totals.opened).toBeGreaterThanOrEqual(2);
      expect(s.totals.started).toBe(2);
      const unit = s.byStratum.unit!;
      expect(unit.find((u) => u.value === 'U1001')).toMatchObject({ population: 2, completed: 2 });
      expect(s.overTime.reduce((a, d) => a + d.completed, 0)).toBe(2);
      expect(JSON.stringify(s)).not.toMatch(/@inserm\.fr|Martin/);
    });

    it('serves the status to admins and analysts only', async () => {
      for (const [role, status] of [
        ['analyst', 200],
        ['press', 403],
      ] as const) {
        await addUser(t.store.db, { email: `${role}@example.org`, password: 'a long enough password', role });
        const login = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `${role}@example.org`, password: 'a long enough password' },
        });
        const cookie = String(login.headers['set-cookie']).split(';')[0]!;
        const res = await app.inject({
          method: 'GET',
          url: '/api/admin/campaign/status',
          headers: { cookie },
        });
        expect(res.statusCode).toBe(status);
        if (status === 200) expect(res.json().totals.completed).toBe(2);
      }
      const anonymous = await app.inject({ method: 'GET', url: '/api/admin/campaign/status' });
      expect(anonymous.statusCode).toBe(401);
    });

    it('erases a person on request, keeping the counts, and a re-import does not bring them back', async () => {
      const token = tokenFor('anne.martin@inserm.fr')!;
      const before = await campaignStatus(t.store.db, 'cairnet');
      await erasePerson(t.store.db, 'cairnet', 'Anne.Martin@inserm.fr');
      const after = await campaignStatus(t.store.db, 'cairnet');
      expect(after.totals).toMatchObject({ ...before.totals, erased: 1 });
      const row = await t.store.db
        .selectFrom('campaign_people')
        .selectAll()
        .where('erased_at', 'is not', null)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ email: null, name: null, pseudonym: null });
      expect((await app.inject({ method: 'GET', url: pathOf(token) })).statusCode).toBe(404);
      const file = populationCsv(dir);
      const r = await importPopulation(t.store.db, 'cairnet', await readPopulationFile(file), { file });
      expect(r.skippedErased).toBe(1);
      expect(await count('campaign_people')).toBe(5);
    });

    it('in anonymous mode, keeps only "has completed" on the person', async () => {
      await writeSetting(t.store.db, 'cairnet', 'anonymous', 'yes');
      const token = tokenFor('eve.roux@inserm.fr')!;
      await app.inject({
        method: 'PUT',
        url: `/api/instruments/cairnet/drafts/${token}`,
        payload: { data: { gender: 'woman' }, pageNo: 1 },
      });
      const res = await app.inject({
        method: 'POST',
        url: '/api/instruments/cairnet/responses',
        payload: { data: neverMetAnswers(), resumeToken: token, idempotencyKey: `complete-${token}` },
      });
      expect(res.statusCode).toBe(201);
      const eve = await t.store.db
        .selectFrom('campaign_people')
        .selectAll()
        .where('email', '=', 'eve.roux@inserm.fr')
        .executeTakeFirstOrThrow();
      expect(eve).toMatchObject({ pseudonym: null, completed_at: null });
      expect(Number(eve.completed)).toBe(1);
      const response = await t.store.db
        .selectFrom('responses')
        .selectAll()
        .where('id', '=', res.json().id)
        .executeTakeFirstOrThrow();
      const linked = await t.store.db
        .selectFrom('campaign_people')
        .select('id')
        .where('pseudonym', '=', response.invitation_id)
        .execute();
      expect(linked).toHaveLength(0);
      const drafts = await t.store.db
        .selectFrom('drafts')
        .select('token_hash')
        .where('completed_response_id', '=', res.json().id)
        .execute();
      expect(drafts).toHaveLength(0);
      const second = await app.inject({
        method: 'POST',
        url: '/api/instruments/cairnet/responses',
        payload: { data: neverMetAnswers(), invitationToken: token },
      });
      expect(second.statusCode).toBe(409);
      await writeSetting(t.store.db, 'cairnet', 'anonymous', 'no');
    });
  });
}
