import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSetting } from '../../src/campaign/campaign-settings.js';
import type { MailConfig } from '../../src/campaign/mail-config.js';
import { importPopulation } from '../../src/campaign/population-import.js';
import { sendRound } from '../../src/campaign/send-campaign.js';
import { buildApp } from '../../src/server/build-app.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { addUser, type Role } from '../../src/store/repositories/users.js';
import { cairnetSurvey, neverMetAnswers, ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { startSmtpSink } from './smtp-sink.js';

const dialects = await availableDialects();
const PASSWORD = 'correct horse battery';

const PEOPLE = [
  { email: 'anne.martin@inserm.fr', name: 'Anne Martin', language: 'fr' },
  { email: 'bob.smith@inserm.fr', name: 'Bob Smith', language: 'en' },
  { email: 'chloe.dupont@inserm.fr', name: 'Chloé Dupont', language: 'fr' },
  { email: 'eve.roux@inserm.fr', name: 'Ève Roux', language: 'fr' },
  { email: 'fay.wong@inserm.fr', name: 'Fay Wong', language: 'en' },
];
const ADDRESSES = PEOPLE.flatMap((p) => [p.email, p.name]);

for (const dialect of dialects) {
  describe(`${dialect}: press contacts`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    let config: MailConfig;
    const sessions = new Map<Role, { cookie: string; csrf: string }>();

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await saveInstrument(t.store.db, 'cairnet', cairnetSurvey());
      sink = await startSmtpSink();
      config = {
        smtpUrl: sink.url,
        from: 'Enquête Cairnet <cairnet@inserm.fr>',
        publicUrl: 'https://enquete.example.org',
      };
      process.env.CAIRNET_SMTP_URL = config.smtpUrl;
      process.env.CAIRNET_MAIL_FROM = config.from;
      process.env.CAIRNET_PUBLIC_URL = config.publicUrl;
      app = await buildApp({ store: t.store });
      await importPopulation(
        t.store.db,
        'cairnet',
        {
          header: ['email', 'name', 'language'],
          rows: PEOPLE.map((p, i) => ({ line: i + 2, cells: [p.email, p.name, p.language] })),
        },
        { file: 'people.csv' },
      );
      await sendRound(t.store.db, 'cairnet', { kind: 'invitation', config, ratePerMinute: 60_000 });
      for (const role of ['admin', 'analyst', 'press', 'reviewer'] as Role[]) {
        await addUser(t.store.db, { email: `${role}@inserm.fr`, password: PASSWORD, role });
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `${role}@inserm.fr`, password: PASSWORD },
        });
        sessions.set(role, {
          cookie: String(res.headers['set-cookie']).split(';')[0]!,
          csrf: res.json().csrfToken,
        });
      }
      const answer = async (email: string, data: Record<string, unknown>) => {
        const token = sink.to(email)[0]!.token!;
        const res = await app.inject({
          method: 'POST',
          url: '/api/instruments/cairnet/responses',
          payload: {
            data,
            invitationToken: token,
            idempotencyKey: `k-${email.replace(/\W/g, '-')}`,
            locale: 'fr',
          },
        });
        expect(res.statusCode).toBe(201);
      };
      // Anne (neurosciences, cites AFM-Téléthon) and Bob (cancer, never met one) opt in; Chloé does not.
      await answer('anne.martin@inserm.fr', ongoingFundedAnswers());
      await answer('bob.smith@inserm.fr', {
        ...neverMetAnswers(),
        field: 'cancer',
        press_contact_optin: 'yes',
      });
      await answer('chloe.dupont@inserm.fr', { ...ongoingFundedAnswers(), press_contact_optin: 'no' });
      // In anonymous mode, Ève (opted in) keeps the link; Fay (did not) loses it.
      await writeSetting(t.store.db, 'cairnet', 'anonymous', 'yes');
      await answer('eve.roux@inserm.fr', {
        ...neverMetAnswers(),
        field: 'genetics_development',
        press_contact_optin: 'yes',
      });
      await answer('fay.wong@inserm.fr', { ...neverMetAnswers(), press_contact_optin: 'no' });
      sink.received.length = 0;
    });
    afterAll(async () => {
      await app.close();
      await sink.close();
      await t.dispose();
    });

    const as = (role: Role, method: 'GET' | 'POST', url: string, payload?: unknown) => {
      const s = sessions.get(role)!;
      return app.inject({
        method,
        url,
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    };
    const search = async (query = '') => {
      const res = await as('press', 'GET', `/api/admin/press/contacts${query}`);
      expect(res.statusCode).toBe(200);
      for (const a of ADDRESSES) expect(res.body).not.toContain(a);
      return res.json().items as {
        handle: string;
        answers: Record<string, string | null>;
        cited: string[];
      }[];
    };
    const handleOf = async (field: string) => (await search(`?field=${field}`))[0]!.handle;
    const answerToken = (mail: { text: string }) =>
      /\/press\/answer\/([A-Za-z0-9_-]{22,128})/.exec(mail.text)?.[1];

    it('refuses the press routes to an analyst, a reviewer and anyone logged out', async () => {
      for (const role of ['analyst', 'reviewer'] as Role[]) {
        for (const [method, url] of [
          ['GET', '/api/admin/press/contacts'],
          ['GET', '/api/admin/press/requests'],
          ['GET', '/api/admin/press/themes'],
          ['POST', '/api/admin/press/requests'],
          ['GET', '/admin/press'],
        ] as const) {
          const res = await as(
            role,
            method,
            url,
            method === 'POST' ? { handle: 'R-aaaaaaaa', message: 'x'.repeat(20) } : undefined,
          );
          expect(res.statusCode, `${role} ${method} ${url}`).toBe(403);
          expect(res.json().code).toBe('CAIRNET_FORBIDDEN');
        }
      }
      const anonymous = await app.inject({ url: '/api/admin/press/contacts' });
      expect(anonymous.statusCode).toBe(401);
      expect(sink.received).toHaveLength(0);
    });

    it('serves the campaign page to the survey team and the press page to the press office, scripts from files only', async () => {
      for (const [role, url, status] of [
        ['analyst', '/admin/campaign', 200],
        ['admin', '/admin/campaign', 200],
        ['press', '/admin/campaign', 403],
        ['reviewer', '/admin/campaign', 403],
        ['press', '/admin/press', 200],
        ['admin', '/admin/press', 200],
      ] as const) {
        const res = await as(role, 'GET', url);
        expect(res.statusCode, `${role} ${url}`).toBe(status);
        if (status === 200) {
          // the campaign page is server-rendered: only the studio's shared script
          expect(res.body).toMatch(/<script src="\/assets\/(studio|press)\.js"><\/script>/);
          expect(res.body).not.toMatch(/<script>/);
        }
      }
    });

    it('finds only the researchers who opted in, by handle, without names or addresses', async () => {
      const all = await search();
      expect(all.map((c) => c.answers.field).sort()).toEqual([
        'cancer',
        'genetics_development',
        'neurosciences',
      ]);
      // the answers shown are those the survey's press-contact.json names, and nothing else
      for (const c of all)
        expect(Object.keys(c.answers).sort()).toEqual(['field', 'relation', 'research_kind']);
      for (const c of all) expect(c.handle).toMatch(/^R-[A-Za-z0-9_-]{8}$/);
      // Handles are stable and are neither the pseudonym nor the response id.
      expect((await search()).map((c) => c.handle)).toEqual(all.map((c) => c.handle));
      const ids = (
        await t.store.db.selectFrom('responses').select(['id', 'invitation_id']).execute()
      ).flatMap((r) => [r.id, r.invitation_id]);
      for (const c of all) expect(ids).not.toContain(c.handle);
      const byAssociation = await search(`?association=${encodeURIComponent('telethon')}`);
      expect(byAssociation).toHaveLength(1);
      expect(byAssociation[0]!.answers.field).toBe('neurosciences');
      expect(byAssociation[0]!.cited).toContain('AFM-Téléthon');
      expect(await search('?researchKind=translational&field=cancer')).toHaveLength(1);
      expect(await search('?relation=ongoing&field=cancer')).toHaveLength(0);
    });

    it('refuses a field the survey is not searched by, or an answer it does not offer, and an unknown survey', async () => {
      for (const query of ['?gender=female', '?field=astrology', '?researchKind=cancer']) {
        const res = await as('press', 'GET', `/api/admin/press/contacts${query}`);
        expect(res.statusCode, query).toBe(400);
        expect(res.json().code).toBe('CAIRNET_PRESS_SEARCH_INVALID');
      }
      const unknown = await as('press', 'GET', '/api/admin/press/contacts?instrument=nosuch');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('CAIRNET_INSTRUMENT_NOT_FOUND');
      // no handle was made by a refused search
      const handles = await t.store.db.selectFrom('campaign_press_handles').select('handle').execute();
      expect(handles.length).toBeLessThanOrEqual(3);
    });

    it('keeps the link in anonymous mode only for people who opted in', async () => {
      const people = await t.store.db
        .selectFrom('campaign_people')
        .select(['email', 'pseudonym', 'completed'])
        .execute();
      const eve = people.find((p) => p.email === 'eve.roux@inserm.fr')!;
      const fay = people.find((p) => p.email === 'fay.wong@inserm.fr')!;
      expect(Number(eve.completed)).toBe(1);
      expect(eve.pseudonym).not.toBeNull();
      expect(Number(fay.completed)).toBe(1);
      expect(fay.pseudonym).toBeNull();
    });

    it('relays a request by e-mail, escaped, and gives the press officer no address', async () => {
      const handle = await handleOf('neurosciences');
      const message = 'Bonjour, <script>alert("x")</script> un article sur vos travaux ? & merci';
      const res = await as('press', 'POST', '/api/admin/press/requests', { handle, message });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ handle, state: 'sent' });
      for (const a of ADDRESSES) expect(res.body).not.toContain(a);
      expect(sink.received).toHaveLength(1);
      const mail = sink.received[0]!;
      expect(mail.to).toEqual(['anne.martin@inserm.fr']);
      expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(mail.html).not.toContain('<script>');
      expect(mail.text).toContain('> Bonjour, <script>');
      expect(answerToken(mail)).toBeDefined();
      expect(sink.to('press@inserm.fr')).toHaveLength(0);
      const list = await as('press', 'GET', '/api/admin/press/requests');
      expect(list.json().items).toHaveLength(1);
      for (const a of ADDRESSES) expect(list.body).not.toContain(a);
      // One unanswered request at a time.
      const again = await as('press', 'POST', '/api/admin/press/requests', {
        handle,
        message: 'Une autre demande.',
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('CAIRNET_PRESS_REQUEST_PENDING');
    });

    it('refuses a request to an unknown handle, a bad message, or without the CSRF token', async () => {
      const unknown = await as('press', 'POST', '/api/admin/press/requests', {
        handle: 'R-zzzzzzzz',
        message: 'A message long enough.',
      });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('CAIRNET_PRESS_CONTACT_NOT_FOUND');
      const short = await as('press', 'POST', '/api/admin/press/requests', {
        handle: await handleOf('cancer'),
        message: 'hi',
      });
      expect(short.statusCode).toBe(422);
      const s = sessions.get('press')!;
      const noCsrf = await app.inject({
        method: 'POST',
        url: '/api/admin/press/requests',
        headers: { cookie: s.cookie },
        payload: { handle: await handleOf('cancer'), message: 'A message long enough.' },
      });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().code).toBe('CAIRNET_CSRF');
      expect(sink.received).toHaveLength(1);
    });

    it('sends the press officer nothing when the researcher declines, and the address once they accept', async () => {
      const bobHandle = await handleOf('cancer');
      const res = await as('press', 'POST', '/api/admin/press/requests', {
        handle: bobHandle,
        message: 'Could we talk about your research for a feature?',
      });
      expect(res.statusCode).toBe(201);
      const toBob = sink.to('bob.smith@inserm.fr').at(-1)!;
      expect(toBob.subject).toMatch(/press office/);
      const bobToken = answerToken(toBob)!;
      const pageRes = await app.inject({ url: `/press/answer/${bobToken}` });
      expect(pageRes.statusCode).toBe(200);
      expect(pageRes.body).toContain('name="choice" value="accept"');
      const declined = await app.inject({
        method: 'POST',
        url: `/press/answer/${bobToken}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'choice=decline',
      });
      expect(declined.statusCode).toBe(200);
      expect(declined.body).toContain('declined');
      expect(sink.to('press@inserm.fr')).toHaveLength(0);
      // A later "accept" through the same link changes nothing: the first answer stands.
      await app.inject({
        method: 'POST',
        url: `/press/answer/${bobToken}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'choice=accept',
      });
      expect(sink.to('press@inserm.fr')).toHaveLength(0);

      const anneToken = answerToken(sink.to('anne.martin@inserm.fr').at(-1)!)!;
      const accepted = await app.inject({
        method: 'POST',
        url: `/press/answer/${anneToken}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'choice=accept',
      });
      expect(accepted.statusCode).toBe(200);
      const shared = sink.to('press@inserm.fr');
      expect(shared).toHaveLength(1);
      expect(shared[0]!.text).toContain('anne.martin@inserm.fr');
      expect(shared[0]!.raw).toMatch(/Reply-To:.*anne\.martin@inserm\.fr/i);
      // Bob's address never left.
      for (const m of sink.received.filter((m) => !m.to.includes('bob.smith@inserm.fr')))
        expect(m.raw).not.toContain('bob.smith');
      const list = (await as('press', 'GET', '/api/admin/press/requests')).json().items as {
        handle: string;
        state: string;
      }[];
      expect(list.find((r) => r.handle === bobHandle)?.state).toBe('declined');
      expect(list.find((r) => r.handle !== bobHandle)?.state).toBe('accepted');
    });

    it('reports an unreachable SMTP server, records the request as failed, and lets it be sent again', async () => {
      const handle = await handleOf('genetics_development');
      process.env.CAIRNET_SMTP_URL = 'smtp://127.0.0.1:1';
      const message = 'Would you talk to a journalist about genetics?';
      try {
        const res = await as('press', 'POST', '/api/admin/press/requests', { handle, message });
        expect(res.statusCode).toBe(503);
        expect(res.json().code).toBe('CAIRNET_MAIL_UNREACHABLE');
      } finally {
        process.env.CAIRNET_SMTP_URL = config.smtpUrl;
      }
      const items = (await as('press', 'GET', '/api/admin/press/requests')).json().items as {
        handle: string;
        state: string;
      }[];
      expect(items.filter((r) => r.handle === handle).map((r) => r.state)).toEqual(['failed']);
      const again = await as('press', 'POST', '/api/admin/press/requests', { handle, message });
      expect(again.statusCode).toBe(201);
      expect(sink.to('eve.roux@inserm.fr').at(-1)!.text).toContain(message);
    });

    it('records an acceptance even when its e-mail fails, and sends the address when the link is used again', async () => {
      const token = answerToken(sink.to('eve.roux@inserm.fr').at(-1)!)!;
      const accept = () =>
        app.inject({
          method: 'POST',
          url: `/press/answer/${token}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'choice=accept',
        });
      const before = sink.to('press@inserm.fr').length;
      process.env.CAIRNET_SMTP_URL = 'smtp://127.0.0.1:1';
      try {
        const res = await accept();
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('rouvrez ce lien plus tard');
      } finally {
        process.env.CAIRNET_SMTP_URL = config.smtpUrl;
      }
      expect(sink.to('press@inserm.fr')).toHaveLength(before);
      const again = await accept();
      expect(again.body).toContain('votre adresse a été transmise');
      expect(sink.to('press@inserm.fr')).toHaveLength(before + 1);
      expect(sink.to('press@inserm.fr').at(-1)!.text).toContain('eve.roux@inserm.fr');
      await accept();
      expect(sink.to('press@inserm.fr')).toHaveLength(before + 1);
    });

    it('logs searches, requests and answers in the audit log', async () => {
      const actions = (await t.store.db.selectFrom('audit_log').select('action').execute()).map(
        (r) => r.action,
      );
      for (const a of ['press.search', 'press.request', 'press.decline', 'press.accept', 'press.share'])
        expect(actions).toContain(a);
    });

    it('no longer offers a researcher who opted out of the messages or was erased', async () => {
      const before = await search();
      await t.store.db
        .updateTable('campaign_people')
        .set({ opted_out_at: new Date().toISOString() })
        .where('email', '=', 'eve.roux@inserm.fr')
        .execute();
      expect(await search()).toHaveLength(before.length - 1);
    });
  });
}
