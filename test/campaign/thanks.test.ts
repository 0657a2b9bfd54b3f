import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSetting } from '../../src/campaign/campaign-settings.js';
import { campaignStatus } from '../../src/campaign/campaign-status.js';
import { closeCampaign, reopenCampaign } from '../../src/campaign/close-campaign.js';
import { erasePerson } from '../../src/campaign/erase-person.js';
import type { MailConfig } from '../../src/campaign/mail-config.js';
import { importPopulation } from '../../src/campaign/population-import.js';
import { sendRound } from '../../src/campaign/send-campaign.js';
import { sendDueThanks } from '../../src/campaign/send-thanks.js';
import { buildApp } from '../../src/server/build-app.js';
import { claimThanks } from '../../src/store/repositories/campaign-thanks.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { addUser } from '../../src/store/repositories/users.js';
import { cairnetSurvey, neverMetAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { type ReceivedMail, startSmtpSink } from './smtp-sink.js';

const dialects = await availableDialects();

/** A port nothing listens on: connecting to it is refused at once (an SMTP server down). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const TOMORROW = () => new Date(Date.now() + 86_400_000);
const isThanks = (m: ReceivedMail) =>
  /^(Merci de votre réponse|Thank you for (answering|your answer))/.test(m.subject);
const header = (m: ReceivedMail, name: string) =>
  new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(m.raw.replace(/\r\n[ \t]+/g, ' '))?.[1]?.trim();

for (const dialect of dialects) {
  describe(`${dialect}: the thank-you after a completion`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    let config: MailConfig;
    /** Each person's invitation token, by address. */
    const tokens = new Map<string, string>();
    const db = () => t.store.db;
    const thanksTo = (email: string) => sink.to(email).filter(isThanks);
    const run = (over: Partial<Parameters<typeof sendDueThanks>[1]> = {}) =>
      sendDueThanks(db(), { config: () => config, ...over });

    /** A survey with its population (`name;language` each), invited through the sink. */
    async function survey(name: string, people: [string, 'fr' | 'en'][]): Promise<void> {
      await saveInstrument(db(), name, cairnetSurvey());
      await importPopulation(
        db(),
        name,
        {
          header: ['email', 'name', 'language'],
          rows: people.map(([email, language], i) => ({
            line: i + 2,
            cells: [email, `Person ${email.split('@')[0]}`, language],
          })),
        },
        { file: `${name}.csv` },
      );
      await writeSetting(db(), name, 'rate_per_minute', '60000');
      const sent = await sendRound(db(), name, { kind: 'invitation', config, ratePerMinute: 60_000 });
      expect(sent.sent).toBe(people.length);
      for (const [email] of people) tokens.set(email, sink.to(email)[0]!.token!);
    }

    const complete = (name: string, email: string, key = `k-${email.replace('@', '.')}`, target = app) =>
      target.inject({
        method: 'POST',
        url: `/api/instruments/${name}/responses`,
        payload: { data: neverMetAnswers(), invitationToken: tokens.get(email), idempotencyKey: key },
      });
    const person = (email: string) =>
      db()
        .selectFrom('campaign_people')
        .select(['id', 'thanks_due', 'undeliverable_at', 'completed'])
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
    const thanksRows = async (email: string) => {
      const p = await person(email);
      return db()
        .selectFrom('campaign_messages')
        .select(['id', 'kind', 'round_id', 'state'])
        .where('person_id', '=', p.id)
        .where('round_id', '=', 'thanks')
        .execute();
    };

    beforeAll(async () => {
      t = await openTestStore(dialect);
      sink = await startSmtpSink();
      config = { smtpUrl: sink.url, from: 'Enquête <survey@inserm.fr>', publicUrl: 'https://s.example.org' };
      // No worker here: each test runs the sender itself, to see what one run does.
      app = await buildApp({ store: t.store, mailConfig: () => config });
      await survey('cairnet', [
        ['anne@inserm.fr', 'fr'],
        ['bob@inserm.fr', 'en'],
        ['chloe@inserm.fr', 'fr'],
        ['opted@inserm.fr', 'fr'],
        ['erased@inserm.fr', 'en'],
        ['bounced@inserm.fr', 'fr'],
        ['off@inserm.fr', 'fr'],
        ['late-off@inserm.fr', 'en'],
        ['closed@inserm.fr', 'fr'],
        ['dropped@inserm.fr', 'en'],
      ]);
    }, 60_000);
    afterAll(async () => {
      await app?.close();
      await sink?.close();
      await t?.dispose();
    });

    it('mails the thank-you once, in the person’s language, with the opt-out link and the message’s id', async () => {
      expect((await complete('cairnet', 'anne@inserm.fr')).statusCode).toBe(201);
      expect((await complete('cairnet', 'bob@inserm.fr')).statusCode).toBe(201);
      expect((await person('anne@inserm.fr')).thanks_due).toBe(1);
      expect(await run()).toMatchObject({ sent: 2, failed: 0, uncertain: 0 });
      const [fr] = thanksTo('anne@inserm.fr');
      const [en] = thanksTo('bob@inserm.fr');
      expect(fr!.subject).toMatch(/^Merci de votre réponse/);
      expect(fr!.text).toMatch(/^Bonjour Person anne,/);
      expect(fr!.html).toContain('lang="fr"');
      expect(en!.subject).toMatch(/^Thank you for answering/);
      expect(en!.text).toContain(
        'To receive no more messages about this survey: https://s.example.org/optout/',
      );
      expect(header(fr!, 'List-Unsubscribe')).toMatch(
        /^<https:\/\/s\.example\.org\/optout\/[A-Za-z0-9_-]{43}>$/,
      );
      const rows = await thanksRows('anne@inserm.fr');
      expect(rows).toEqual([
        { id: header(fr!, 'X-Cairnet-Message'), kind: 'thanks', round_id: 'thanks', state: 'sent' },
      ]);
      expect((await person('anne@inserm.fr')).thanks_due).toBe(0);
      const status = await campaignStatus(db(), 'cairnet');
      expect(status.thanks).toEqual({ enabled: true, owed: 0, states: { sent: 2 } });
      // The thank-you's opt-out link works like any message's.
      const optOut = /\/optout\/([A-Za-z0-9_-]{43})/.exec(en!.text)![1]!;
      expect((await app.inject({ method: 'POST', url: `/optout/${optOut}` })).statusCode).toBe(200);
      expect((await campaignStatus(db(), 'cairnet')).totals.optedOut).toBe(1);
    });

    it('never sends a second one: a replayed completion, a second completion, another run, two runs at once', async () => {
      const replay = await complete('cairnet', 'anne@inserm.fr');
      expect(replay.statusCode).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      const again = await complete('cairnet', 'anne@inserm.fr', 'another-key');
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('CAIRNET_RESPONSE_ALREADY_COMPLETED');
      expect((await person('anne@inserm.fr')).thanks_due).toBe(0);
      expect(await run()).toMatchObject({ sent: 0 });
      expect(thanksTo('anne@inserm.fr')).toHaveLength(1);
      // Two servers' senders at the same moment: one thank-you.
      expect((await complete('cairnet', 'chloe@inserm.fr')).statusCode).toBe(201);
      const both = await Promise.all([run(), run(), run()]);
      expect(both.reduce((n, r) => n + r.sent, 0)).toBe(1);
      expect(thanksTo('chloe@inserm.fr')).toHaveLength(1);
      expect(await thanksRows('chloe@inserm.fr')).toHaveLength(1);
    });

    it('sends none to a person who opted out, was erased since, or whose address is refused', async () => {
      const opted = tokens.get('opted@inserm.fr')!;
      expect((await app.inject({ method: 'POST', url: `/optout/${opted}` })).statusCode).toBe(200);
      expect((await complete('cairnet', 'opted@inserm.fr')).statusCode).toBe(201);
      expect((await complete('cairnet', 'erased@inserm.fr')).statusCode).toBe(201);
      await erasePerson(db(), 'cairnet', 'erased@inserm.fr');
      sink.rejectRcpt('bounced@inserm.fr');
      expect((await complete('cairnet', 'bounced@inserm.fr')).statusCode).toBe(201);
      const before = sink.received.length;
      const r = await run();
      expect(r).toMatchObject({ sent: 0, failed: 1, dropped: 1 });
      expect(sink.received.length).toBe(before);
      expect(thanksTo('opted@inserm.fr')).toHaveLength(0);
      expect((await person('opted@inserm.fr')).thanks_due).toBe(0);
      expect(await thanksRows('opted@inserm.fr')).toEqual([]);
      const bounced = await person('bounced@inserm.fr');
      expect(bounced.undeliverable_at).not.toBeNull();
      expect(await thanksRows('bounced@inserm.fr')).toEqual([expect.objectContaining({ state: 'failed' })]);
      // Refused for good: never tried again.
      expect(await run({ retryAfterMs: 0 })).toMatchObject({ sent: 0, failed: 0, retryLater: 0 });
      expect((await campaignStatus(db(), 'cairnet')).thanks.states).toMatchObject({ sent: 3, failed: 1 });
    });

    it('sends none while switched off (nor those owed when it was switched off), and refuses a bad value', async () => {
      await writeSetting(db(), 'cairnet', 'thanks', 'no');
      expect((await complete('cairnet', 'off@inserm.fr')).statusCode).toBe(201);
      expect((await person('off@inserm.fr')).thanks_due).toBe(0);
      await writeSetting(db(), 'cairnet', 'thanks', 'yes');
      expect((await complete('cairnet', 'late-off@inserm.fr')).statusCode).toBe(201);
      expect((await campaignStatus(db(), 'cairnet')).thanks.owed).toBe(1);
      await writeSetting(db(), 'cairnet', 'thanks', 'no');
      expect((await campaignStatus(db(), 'cairnet')).thanks).toMatchObject({ enabled: false, owed: 1 });
      expect(await run()).toMatchObject({ sent: 0, dropped: 1 });
      await writeSetting(db(), 'cairnet', 'thanks', 'yes');
      expect(await run()).toMatchObject({ sent: 0, dropped: 0 });
      expect(thanksTo('off@inserm.fr')).toHaveLength(0);
      expect(thanksTo('late-off@inserm.fr')).toHaveLength(0);
      await expect(writeSetting(db(), 'cairnet', 'thanks', 'maybe')).rejects.toMatchObject({
        code: 'CAIRNET_CAMPAIGN_SETTING_INVALID',
      });
      const stored = await db()
        .selectFrom('campaign_settings')
        .select('value')
        .where('survey', '=', 'cairnet')
        .where('key', '=', 'thanks')
        .executeTakeFirst();
      expect(stored?.value).toBe('yes');
    });

    it('sends none for a completion after the campaign closed, nor those owed when it closed', async () => {
      expect((await complete('cairnet', 'dropped@inserm.fr')).statusCode).toBe(201);
      await closeCampaign(db(), 'cairnet');
      expect((await complete('cairnet', 'closed@inserm.fr')).statusCode).toBe(201);
      expect((await person('closed@inserm.fr')).thanks_due).toBe(0);
      expect(await run()).toMatchObject({ sent: 0, dropped: 1 });
      await reopenCampaign(db(), 'cairnet');
      expect(await run()).toMatchObject({ sent: 0 });
      expect(thanksTo('closed@inserm.fr')).toHaveLength(0);
      expect(thanksTo('dropped@inserm.fr')).toHaveLength(0);
    });

    it('keeps a thank-you owed while the SMTP server is down, and never resends one whose delivery is unknown', async () => {
      await survey('retry', [
        ['down@inserm.fr', 'fr'],
        ['cut@inserm.fr', 'en'],
        ['grey@inserm.fr', 'fr'],
        ['crash@inserm.fr', 'en'],
      ]);
      expect((await complete('retry', 'down@inserm.fr')).statusCode).toBe(201);
      const dead = { ...config, smtpUrl: `smtp://127.0.0.1:${await deadPort()}` };
      await expect(run({ config: () => dead })).rejects.toMatchObject({ code: 'CAIRNET_MAIL_UNREACHABLE' });
      expect((await person('down@inserm.fr')).thanks_due).toBe(1);
      expect(await thanksRows('down@inserm.fr')).toEqual([]);
      expect(await run()).toMatchObject({ sent: 1 });
      expect(thanksTo('down@inserm.fr')).toHaveLength(1);
      // The server takes the message, then drops the line before answering: maybe delivered.
      expect((await complete('retry', 'cut@inserm.fr')).statusCode).toBe(201);
      sink.dropOnMessage(0);
      await expect(run()).rejects.toMatchObject({ code: 'CAIRNET_MAIL_UNREACHABLE' });
      sink.dropOnMessage(undefined);
      expect(await thanksRows('cut@inserm.fr')).toEqual([expect.objectContaining({ state: 'uncertain' })]);
      expect(await run({ retryAfterMs: 0 })).toMatchObject({ sent: 0 });
      expect(thanksTo('cut@inserm.fr')).toHaveLength(1);
      // Refused for now (450): tried again after a while, not before, and for a limited time.
      sink.deferRcpt('grey@inserm.fr');
      expect((await complete('retry', 'grey@inserm.fr')).statusCode).toBe(201);
      expect(await run()).toMatchObject({ sent: 0, retryLater: 1 });
      expect(await thanksRows('grey@inserm.fr')).toEqual([expect.objectContaining({ state: 'retry' })]);
      expect(await run()).toMatchObject({ sent: 0, retryLater: 0 });
      expect(await run({ retryAfterMs: 0, retryForMs: 0, now: TOMORROW })).toMatchObject({
        sent: 0,
        retryLater: 0,
      });
      sink.deferRcpt('grey@inserm.fr', false);
      expect(await run({ retryAfterMs: 0 })).toMatchObject({ sent: 1 });
      expect(thanksTo('grey@inserm.fr')).toHaveLength(1);
      expect(await run({ retryAfterMs: 0 })).toMatchObject({ sent: 0 });
      // A server claims a thank-you and dies before the SMTP exchange: never sent afterwards.
      expect((await complete('retry', 'crash@inserm.fr')).statusCode).toBe(201);
      expect(
        await claimThanks(db(), (await person('crash@inserm.fr')).id, 'hash-of-a-lost-token'),
      ).not.toBeNull();
      expect(await run({ staleAfterMs: 0, retryAfterMs: 0 })).toMatchObject({ sent: 0, uncertain: 1 });
      expect(await run({ staleAfterMs: 0, retryAfterMs: 0 })).toMatchObject({ sent: 0, uncertain: 0 });
      expect(thanksTo('crash@inserm.fr')).toHaveLength(0);
      expect((await campaignStatus(db(), 'retry')).thanks.states).toEqual({ sent: 2, uncertain: 2 });
    });

    it('anonymous mode: thanks a day’s completions together the next day, and links no response to anyone', async () => {
      const people: [string, 'fr' | 'en'][] = [
        ['anon1@inserm.fr', 'fr'],
        ['anon2@inserm.fr', 'en'],
        ['anon3@inserm.fr', 'fr'],
      ];
      await survey('anon', people);
      await writeSetting(db(), 'anon', 'anonymous', 'yes');
      for (const [email] of people) expect((await complete('anon', email)).statusCode).toBe(201);
      expect((await campaignStatus(db(), 'anon')).thanks.owed).toBe(3);
      // Today: nothing leaves (the order of the day's completions must not show in the mail).
      expect(await run()).toMatchObject({ sent: 0 });
      const r = await run({ now: TOMORROW });
      expect(r).toMatchObject({ sent: 3 });
      expect(thanksTo('anon2@inserm.fr')[0]!.subject).toBe('Thank you for your answer');
      expect(thanksTo('anon1@inserm.fr')[0]!.subject).toBe('Merci de votre réponse');
      const responses = await db()
        .selectFrom('responses')
        .select(['invitation_id', 'started_at', 'completed_at'])
        .where('instrument_name', '=', 'anon')
        .execute();
      expect(responses).toHaveLength(3);
      for (const x of responses) {
        expect(x.invitation_id).toBeNull();
        expect(x.completed_at).toMatch(/T00:00:00\.000Z$/);
      }
      for (const [email] of people) {
        const p = await db()
          .selectFrom('campaign_people')
          .select(['pseudonym', 'completed_at', 'updated_at', 'thanks_due'])
          .where('email', '=', email)
          .executeTakeFirstOrThrow();
        expect(p).toMatchObject({ pseudonym: null, completed_at: null, thanks_due: 0 });
        expect(p.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    });

    it('shows the thank-yous on the campaign’s progress page, by their labels, in French and in English', async () => {
      await addUser(db(), { email: 'admin@inserm.fr', password: 'a long enough password', role: 'admin' });
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'admin@inserm.fr', password: 'a long enough password' },
      });
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const row = async (lang: string) => {
        const res = await app.inject({
          url: `/admin/campaign?instrument=cairnet&lang=${lang}`,
          headers: { cookie },
        });
        expect(res.statusCode).toBe(200);
        return /<tr id="thanks-row">(.*?)<\/tr>/.exec(res.body)?.[1]?.replace(/<[^>]+>/g, '|');
      };
      expect(await row('fr')).toBe(
        '|Remerciements après réponse (activés)||sans objet||en attente 0, envoyés 3, refusés 1|',
      );
      expect(await row('en')).toBe(
        '|Thank-yous after completion (on)||not a round||waiting 0, sent 3, refused 1|',
      );
    });

    it('acknowledges the response at once with the SMTP server down, then the server’s sender thanks them once', async () => {
      await survey('live', [
        ['live1@inserm.fr', 'fr'],
        ['live2@inserm.fr', 'en'],
      ]);
      let smtpUrl = `smtp://127.0.0.1:${await deadPort()}`;
      const logged: string[] = [];
      const live = await buildApp({
        store: t.store,
        mailConfig: () => ({ ...config, smtpUrl }),
        thanksWorker: { pollMs: 100, log: (s) => logged.push(s) },
      });
      await live.ready();
      try {
        const started = Date.now();
        const res = await complete('live', 'live1@inserm.fr', 'live-1', live);
        expect(res.statusCode).toBe(201);
        expect(Date.now() - started).toBeLessThan(2000);
        await expect.poll(() => logged.join('\n')).toMatch(/thank-yous: Cannot reach the SMTP server/);
        expect((await person('live1@inserm.fr')).thanks_due).toBe(1);
        smtpUrl = sink.url;
        await expect.poll(() => thanksTo('live1@inserm.fr').length, { timeout: 10_000 }).toBe(1);
        // With the server up, the thank-you follows the completion within moments.
        expect((await complete('live', 'live2@inserm.fr', 'live-2', live)).statusCode).toBe(201);
        await expect.poll(() => thanksTo('live2@inserm.fr').length, { timeout: 10_000 }).toBe(1);
        expect((await complete('live', 'live2@inserm.fr', 'live-2', live)).statusCode).toBe(201);
        await new Promise((r) => setTimeout(r, 400));
        expect(thanksTo('live1@inserm.fr')).toHaveLength(1);
        expect(thanksTo('live2@inserm.fr')).toHaveLength(1);
        expect((await campaignStatus(db(), 'live')).thanks).toEqual({
          enabled: true,
          owed: 0,
          states: { sent: 2 },
        });
      } finally {
        await live.close();
      }
    });
  });
}
