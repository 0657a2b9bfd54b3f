import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSetting } from '../../src/campaign/campaign-settings.js';
import {
  checkLanguageMessages,
  defaultMessages,
  type LanguageMessages,
  resolveMessages,
} from '../../src/campaign/message-texts.js';
import { importPopulation } from '../../src/campaign/population-import.js';
import { readPopulationFile } from '../../src/campaign/read-population-file.js';
import { sendRound } from '../../src/campaign/send-campaign.js';
import { buildApp } from '../../src/server/build-app.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { addUser } from '../../src/store/repositories/users.js';
import { cairnetSurvey } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { startSmtpSink } from './smtp-sink.js';

const dialects = await availableDialects();
const PASSWORD = 'a long enough password';

function edited(): LanguageMessages {
  const m = structuredClone(defaultMessages('fr'));
  m.texts.invitation = {
    subject: 'Enquête du personnel : répondez avant le {{deadline}}',
    body: '{{greeting}}\n\nMerci de répondre avant le {{deadline}}.\n\nVotre lien : {{link}}\n\nQuestions : {{contact}}\n\n{{signature}}',
  };
  m.values = { deadline: '30 juin 2026', contact: 'Marie Curie, 01 23 45 67 89', signature: 'La DRH' };
  return m;
}

describe('message texts: checks', () => {
  it('refuses an unknown placeholder, naming it and the known ones', () => {
    const m = edited();
    m.texts.reminder.body = 'Bonjour {{prenom}}, {{link}}';
    let error: unknown;
    try {
      checkLanguageMessages('fr', m);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'CAIRNET_MESSAGE_PLACEHOLDER_UNKNOWN' });
    expect((error as Error).message).toMatch(/\{\{prenom\}\} in the reminder body \(fr\).*\{\{link\}\}/);
  });
  it('requires the personal link in an invitation or a reminder, and keeps it out of a subject', () => {
    const noLink = edited();
    noLink.texts.invitation.body = '{{greeting}} Répondez vite.';
    expect(() => checkLanguageMessages('fr', noLink)).toThrow(/must hold the personal link/);
    const inSubject = edited();
    inSubject.texts.reminder.subject = 'Rappel {{link}}';
    expect(() => checkLanguageMessages('fr', inSubject)).toThrow(/not in the reminder subject/);
    expect(() => checkLanguageMessages('fr', edited())).not.toThrow();
  });
});

for (const dialect of dialects) {
  describe(`${dialect}: a survey's message texts, edited in the page`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    let session: { cookie: string; csrf: string };
    const config = () => ({
      smtpUrl: sink.url,
      from: 'survey@example.org',
      publicUrl: 'https://e.example.org',
    });

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await saveInstrument(t.store.db, 'cairnet', cairnetSurvey());
      await saveInstrument(t.store.db, 'staff', cairnetSurvey());
      const dir = mkdtempSync(join(tmpdir(), 'cairnet-texts-'));
      const file = join(dir, 'p.csv');
      writeFileSync(file, 'email,name,language\nzoe@example.org,Zoé Blanc,fr\n');
      await importPopulation(t.store.db, 'staff', await readPopulationFile(file), { file });
      await importPopulation(t.store.db, 'cairnet', await readPopulationFile(file), { file });
      sink = await startSmtpSink();
      app = await buildApp({ store: t.store, mailConfig: config, jobWorker: false });
      await addUser(t.store.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin' });
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'admin@example.org', password: PASSWORD },
      });
      session = { cookie: String(login.headers['set-cookie']).split(';')[0]!, csrf: login.json().csrfToken };
    });
    afterAll(async () => {
      await app.close();
      await sink.close();
      await t.dispose();
    });

    const call = (method: 'PUT' | 'POST', url: string, payload: unknown, csrf = true) =>
      app.inject({
        method,
        url,
        payload: payload as Record<string, unknown>,
        headers: { cookie: session.cookie, ...(csrf ? { 'x-csrf-token': session.csrf } : {}) },
      });
    const save = (m: LanguageMessages, csrf = true) =>
      call('PUT', '/api/admin/campaign/messages', { instrument: 'staff', language: 'fr', ...m }, csrf);

    it("takes a survey's own texts from its files, else the neutral ones", async () => {
      const cairnet = await resolveMessages(t.store.db, 'cairnet');
      expect(cairnet.messages.en.texts.invitation.subject).toMatch(/^Cairnet survey/);
      expect(cairnet.origins.en.invitation).toBe('survey');
      const staff = await resolveMessages(t.store.db, 'staff');
      expect(staff.messages.fr).toEqual(defaultMessages('fr'));
      expect(staff.origins.fr.invitation).toBe('default');
    });

    it('refuses bad texts with a clear code and stores nothing; refuses a change without the CSRF token', async () => {
      const bad = edited();
      bad.texts.thanks.body = 'Merci {{nom}}';
      const res = await save(bad);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'CAIRNET_MESSAGE_PLACEHOLDER_UNKNOWN' });
      const noCsrf = await save(edited(), false);
      expect(noCsrf.statusCode).toBe(403);
      expect(await t.store.db.selectFrom('campaign_texts').selectAll().execute()).toEqual([]);
    });

    it("stores one survey's texts (audited), and its invitations use them with the deadline, contact and signature", async () => {
      const res = await save(edited());
      expect(res.statusCode).toBe(200);
      expect(res.json().origins.fr.invitation).toBe('stored');
      expect(res.json().origins.en.invitation).toBe('default');
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'target', 'detail'])
        .where('action', '=', 'campaign.messages')
        .execute();
      expect(audit).toEqual([{ action: 'campaign.messages', target: 'staff', detail: 'fr' }]);

      await sendRound(t.store.db, 'staff', { kind: 'invitation', config: config(), ratePerMinute: 60_000 });
      const [mail] = sink.to('zoe@example.org');
      expect(mail!.subject).toBe('Enquête du personnel : répondez avant le 30 juin 2026');
      expect(mail!.text).toContain('Bonjour Zoé Blanc,');
      expect(mail!.text).toContain('Questions : Marie Curie, 01 23 45 67 89');
      expect(mail!.text).toMatch(/Votre lien : https:\/\/e\.example\.org\/i\/[A-Za-z0-9_-]{22,}/);
      expect(mail!.text).toMatch(/La DRH\r?\n\r?\n--\r?\nPour ne plus recevoir/);
      expect(mail!.html).toMatch(/<a href="https:\/\/e\.example\.org\/i\/[^"]+">/);
      // The other survey's invitation keeps its own wording.
      await sendRound(t.store.db, 'cairnet', { kind: 'invitation', config: config(), ratePerMinute: 60_000 });
      expect(sink.to('zoe@example.org')[1]!.subject).toMatch(/^Enquête Cairnet/);
    });

    it('previews a text as it stands in the form, and sends the stored one as a test to the logged-in member', async () => {
      const draft = edited();
      draft.texts.reminder.subject = 'Dernier rappel avant le {{deadline}}';
      const preview = await call('POST', '/api/admin/campaign/messages/preview', {
        instrument: 'staff',
        language: 'fr',
        kind: 'reminder',
        ...draft,
      });
      expect(preview.statusCode).toBe(200);
      expect(preview.json().subject).toBe('Dernier rappel avant le 30 juin 2026');
      expect(preview.json().text).toContain('Bonjour Anne Martin,');
      const before = sink.received.length;
      const test = await call('POST', '/api/admin/campaign/messages/test', {
        instrument: 'staff',
        language: 'fr',
        kind: 'invitation',
      });
      expect(test.statusCode).toBe(200);
      expect(sink.received).toHaveLength(before + 1);
      const mail = sink.to('admin@example.org')[0]!;
      expect(mail.subject).toBe('Enquête du personnel : répondez avant le 30 juin 2026');
      expect(mail.text).toContain('https://e.example.org/i/EXAMPLE-LINK');
    });

    it('shows the page in French and in English with the survey chosen, its texts and the placeholders', async () => {
      for (const lang of ['fr', 'en'] as const) {
        const res = await app.inject({
          method: 'GET',
          url: `/admin/campaign/messages?instrument=staff&lang=${lang}`,
          headers: { cookie: session.cookie },
        });
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain(`<html lang="${lang}"`);
        expect(res.body).toContain('<option value="staff" selected>');
        expect(res.body).toContain('{{deadline}}');
        expect(res.body).toContain('value="30 juin 2026"');
        expect(res.body).toContain(lang === 'fr' ? 'M’envoyer un test' : 'Send a test to myself');
        expect(res.body).not.toContain(lang === 'fr' ? 'Send a test to myself' : 'M’envoyer un test');
      }
    });

    it('says on the page whether the thank-you is sent after a completion, in the page’s language', async () => {
      const state = async (lang: 'fr' | 'en') => {
        const res = await app.inject({
          method: 'GET',
          url: `/admin/campaign/messages?instrument=staff&lang=${lang}`,
          headers: { cookie: session.cookie },
        });
        return /<p id="thanks-state">(.*?)<\/p>/.exec(res.body)?.[1]?.replace(/<[^>]+>/g, '');
      };
      expect(await state('fr')).toMatch(/^Le remerciement part seul vers chaque personne invitée/);
      expect(await state('en')).toMatch(/^The thank-you goes by itself to each invited person/);
      await writeSetting(t.store.db, 'staff', 'thanks', 'no');
      expect(await state('fr')).toBe(
        'Le remerciement n’est pas envoyé pour cette enquête. Pour l’envoyer après chaque questionnaire terminé : cairnet campaign set thanks yes --instrument staff',
      );
      expect(await state('en')).toMatch(/^The thank-you is not sent for this survey\./);
      await writeSetting(t.store.db, 'staff', 'thanks', 'yes');
    });
  });
}
