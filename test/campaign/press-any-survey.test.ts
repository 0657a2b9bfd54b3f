import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailConfig } from '../../src/campaign/mail-config.js';
import { importPopulation } from '../../src/campaign/population-import.js';
import { parsePressSearch, resolvePressSearch } from '../../src/campaign/press-config.js';
import { sendRound } from '../../src/campaign/send-campaign.js';
import { isCairnetError } from '../../src/errors.js';
import type { InstrumentJson } from '../../src/instrument/types.js';
import { buildApp } from '../../src/server/build-app.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { addUser } from '../../src/store/repositories/users.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { startSmtpSink } from './smtp-sink.js';

const dialects = await availableDialects();
const PASSWORD = 'correct horse battery';

const t = (fr: string, en: string) => ({ default: en, fr });
const choices = (...values: [string, string, string][]) =>
  values.map(([value, fr, en]) => ({ value, text: t(fr, en) }));

/** Another institute's staff survey: five single-choice questions, a list of projects, the opt-in. */
const STAFF: InstrumentJson = {
  title: t('Enquête auprès du personnel', 'Staff survey'),
  pages: [
    {
      name: 'p1',
      elements: [
        {
          type: 'radiogroup',
          name: 'site',
          title: t('Votre site', 'Your site'),
          choices: choices(['north', 'Nord', 'North'], ['south', 'Sud', 'South']),
        },
        {
          type: 'dropdown',
          name: 'team',
          title: t('Votre équipe', 'Your team'),
          choices: choices(
            ['lab', 'Laboratoire', 'Laboratory'],
            ['admin', 'Administration', 'Administration'],
          ),
        },
        {
          type: 'radiogroup',
          name: 'contract',
          title: t('Votre contrat', 'Your contract'),
          choices: choices(
            ['permanent', 'Permanent', 'Permanent'],
            ['fixed', 'Durée déterminée', 'Fixed-term'],
          ),
        },
        {
          type: 'checkbox',
          name: 'tools',
          title: t('Vos outils', 'Your tools'),
          choices: choices(['r', 'R', 'R'], ['spss', 'SPSS', 'SPSS']),
        },
        {
          type: 'radiogroup',
          name: 'years',
          title: t('Ancienneté', 'Years of service'),
          choices: choices(
            ['lt5', 'Moins de 5 ans', 'Under 5 years'],
            ['ge5', '5 ans ou plus', '5 years or more'],
          ),
        },
        {
          type: 'radiogroup',
          name: 'floor',
          title: t('Votre étage', 'Your floor'),
          choices: choices(['0', 'Rez-de-chaussée', 'Ground floor'], ['1', 'Premier', 'First']),
        },
        {
          type: 'paneldynamic',
          name: 'projects',
          title: t('Vos projets', 'Your projects'),
          templateElements: [{ type: 'text', name: 'title', title: t('Titre', 'Title') }],
        },
        {
          type: 'radiogroup',
          name: 'press_contact_optin',
          title: t('Le service de presse peut-il vous contacter ?', 'May the press office contact you?'),
          choices: choices(['yes', 'Oui', 'Yes'], ['no', 'Non', 'No']),
        },
      ],
    },
  ],
} as unknown as InstrumentJson;

describe('a survey’s press search, from its data', () => {
  it('defaults to the first four single-choice questions and the first list of texts', () => {
    const spec = resolvePressSearch(parsePressSearch(undefined, 'staff'), STAFF);
    expect(spec.optIn).toEqual({ question: 'press_contact_optin', value: 'yes', asked: true });
    // the checkbox and the opt-in itself are not filters; the fifth single choice is past the cap
    expect(spec.filters.map((f) => f.param)).toEqual(['site', 'team', 'contract', 'years']);
    expect(spec.filters[1]!.choices).toEqual([
      { value: 'lab', label: { fr: 'Laboratoire', en: 'Laboratory' } },
      { value: 'admin', label: { fr: 'Administration', en: 'Administration' } },
    ]);
    expect(spec.cited).toEqual({
      param: 'cited',
      question: 'projects',
      item: 'title',
      label: { fr: 'Vos projets', en: 'Your projects' },
    });
  });

  it('takes declared filters, leaves out those the questionnaire does not ask as closed questions', () => {
    const decl = parsePressSearch(
      {
        optIn: { question: 'agree', value: 'oui' },
        filters: [
          { question: 'floor', param: 'level', label: { fr: 'Étage', en: 'Floor' } },
          { question: 'tools' },
          { question: 'gone' },
        ],
        cited: false,
      },
      'staff',
    );
    const spec = resolvePressSearch(decl, STAFF);
    expect(spec.filters.map((f) => [f.param, f.question, f.label.en])).toEqual([['level', 'floor', 'Floor']]);
    expect(spec.cited).toBeNull();
    expect(spec.optIn).toEqual({ question: 'agree', value: 'oui', asked: false });
  });

  it('refuses a malformed declaration with a stable code naming the key', () => {
    for (const [raw, key] of [
      [[], '"search"'],
      [{ filters: {} }, 'search.filters'],
      [{ filters: [{ question: 'a b' }] }, 'search.filters[0].question'],
      [{ filters: [{ question: 'site', label: { fr: 'Site' } }] }, 'search.filters[0].label'],
      [{ cited: { question: 'projects', param: '1=1' } }, 'search.cited.param'],
    ] as const) {
      try {
        parsePressSearch(raw, 'staff');
        expect.unreachable(JSON.stringify(raw));
      } catch (e) {
        expect(isCairnetError(e) && e.code).toBe('CAIRNET_PRESS_CONFIG_INVALID');
        expect((e as Error).message).toContain(key);
      }
    }
  });
});

for (const dialect of dialects) {
  describe(`${dialect}: press contacts for a survey that is not Cairnet`, () => {
    let store: TestStore;
    let app: FastifyInstance;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    let cookie = '';

    beforeAll(async () => {
      store = await openTestStore(dialect);
      await saveInstrument(store.store.db, 'staff', STAFF as Record<string, unknown>);
      const bare = structuredClone(STAFF) as unknown as { pages: { elements: { name: string }[] }[] };
      bare.pages[0]!.elements = bare.pages[0]!.elements.filter((x) => x.name !== 'press_contact_optin');
      await saveInstrument(store.store.db, 'noconsent', bare as Record<string, unknown>);
      sink = await startSmtpSink();
      const config: MailConfig = {
        smtpUrl: sink.url,
        from: 'survey@example.org',
        publicUrl: 'https://s.example.org',
      };
      app = await buildApp({ store: store.store });
      const people = ['ana@example.org', 'ben@example.org', 'cyd@example.org'];
      await importPopulation(
        store.store.db,
        'staff',
        { header: ['email', 'language'], rows: people.map((p, i) => ({ line: i + 2, cells: [p, 'fr'] })) },
        { file: 'staff.csv' },
      );
      await sendRound(store.store.db, 'staff', { kind: 'invitation', config, ratePerMinute: 60_000 });
      const answers: Record<string, unknown>[] = [
        {
          site: 'north',
          team: 'lab',
          contract: 'permanent',
          years: 'lt5',
          projects: [{ title: 'Cohorte Aquitaine' }],
          press_contact_optin: 'yes',
        },
        {
          site: 'south',
          team: 'lab',
          contract: 'fixed',
          years: 'ge5',
          projects: [{ title: 'Registre des cancers' }],
          press_contact_optin: 'yes',
        },
        { site: 'south', team: 'admin', contract: 'fixed', years: 'ge5', press_contact_optin: 'no' },
      ];
      for (const [i, email] of people.entries()) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/instruments/staff/responses',
          payload: {
            data: answers[i],
            invitationToken: sink.to(email)[0]!.token!,
            idempotencyKey: `k-${i}`,
            locale: 'fr',
          },
        });
        expect(res.statusCode, res.body).toBe(201);
      }
      await addUser(store.store.db, { email: 'press@example.org', password: PASSWORD, role: 'press' });
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'press@example.org', password: PASSWORD },
      });
      cookie = String(login.headers['set-cookie']).split(';')[0]!;
    });
    afterAll(async () => {
      await app.close();
      await sink.close();
      await store.dispose();
    });

    const get = (url: string) => app.inject({ url, headers: { cookie } });

    it('searches by the survey’s own questions and cited texts, never naming anyone', async () => {
      const all = await get('/api/admin/press/contacts?instrument=staff');
      expect(all.statusCode).toBe(200);
      const items = all.json().items as { answers: Record<string, string>; cited: string[] }[];
      expect(items).toHaveLength(2);
      expect(Object.keys(items[0]!.answers)).toEqual(['site', 'team', 'contract', 'years']);
      expect(all.body).not.toContain('@example.org');
      const south = (await get('/api/admin/press/contacts?instrument=staff&site=south')).json().items;
      expect(south.map((c: { cited: string[] }) => c.cited)).toEqual([['Registre des cancers']]);
      const cited = (
        await get('/api/admin/press/contacts?instrument=staff&cited=COHORTE%20aquitaine')
      ).json();
      expect(cited.total).toBe(1);
      const refused = await get('/api/admin/press/contacts?instrument=staff&field=cancer');
      expect(refused.statusCode).toBe(400);
      expect(refused.json().code).toBe('CAIRNET_PRESS_SEARCH_INVALID');
    });

    it('gives the search fields with their labels in the language asked', async () => {
      const fr = (await get('/api/admin/press/themes?instrument=staff&lang=fr')).json();
      expect(fr.filters.map((f: { label: string }) => f.label)).toEqual([
        'Votre site',
        'Votre équipe',
        'Votre contrat',
        'Ancienneté',
      ]);
      expect(fr.cited).toEqual({ param: 'cited', question: 'projects', label: 'Vos projets' });
      const en = (await get('/api/admin/press/themes?instrument=staff&lang=en')).json();
      expect(en.filters[2].choices).toEqual([
        { value: 'permanent', label: 'Permanent' },
        { value: 'fixed', label: 'Fixed-term' },
      ]);
    });

    it('renders the page with the survey’s fields, and none of Cairnet’s words', async () => {
      for (const lang of ['fr', 'en'] as const) {
        const page = await get(`/admin/press?instrument=staff&lang=${lang}`);
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain(lang === 'fr' ? '>Votre équipe</label>' : '>Your team</label>');
        expect(page.body).toContain(lang === 'fr' ? '>Durée déterminée</option>' : '>Fixed-term</option>');
        expect(page.body).not.toMatch(/chercheur|researcher|Inserm|association/i);
      }
    });

    it('says that no one can be contacted when the questionnaire does not ask', async () => {
      const page = await get('/admin/press?instrument=noconsent&lang=en');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('id="no-optin"');
      expect(page.body).not.toContain('id="search"');
      const none = await get('/api/admin/press/contacts?instrument=noconsent');
      expect(none.json()).toEqual({ items: [], total: 0 });
    });
  });
}
