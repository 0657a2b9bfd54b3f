import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInstrumentBuffer } from '../../src/instrument/importers/import-instrument.js';
import { loadInstrument } from '../../src/instrument/load-instrument.js';
import { buildApp } from '../../src/server/build-app.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { countQuotaResponses, lockQuotas } from '../../src/store/repositories/quotas.js';
import { countResponses, responseRow } from '../../src/store/repositories/responses.js';
import { buildLss, QUOTA_SURVEY } from '../fixtures/imports/lss-builder.js';
import { buildXlsform } from '../fixtures/imports/xlsform-builder.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

const dialects = await availableDialects();

/** A questionnaire with a quota on a multiple choice: 2 responses ticking an apple or a pear. */
const FRUITS = {
  pages: [
    {
      elements: [
        { type: 'checkbox', name: 'fruits', choices: ['apple', 'pear', 'kiwi'] },
        { type: 'text', name: 'note' },
      ],
    },
  ],
  cairnetQuotas: [
    {
      name: 'Pome fruit',
      limit: 2,
      action: 'change',
      members: [{ question: 'fruits', values: ['apple', 'pear'] }],
    },
  ],
};

for (const dialect of dialects) {
  describe(`${dialect}: quotas enforced on submission`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      const { instrument } = await importInstrumentBuffer(Buffer.from(buildLss(QUOTA_SURVEY)), 'quota.lss');
      await saveInstrument(t.store.db, 'quota', instrument.json as Record<string, unknown>);
      await saveInstrument(t.store.db, 'fruits', FRUITS);
      await saveInstrument(t.store.db, 'handmade', await handWrittenXlsformQuota());
      app = await buildApp({ store: t.store, openSubmitRate: 0 });
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    const post = (name: string, payload: object) =>
      app.inject({ method: 'POST', url: `/api/instruments/${name}/responses`, payload });
    const woman30 = { gender: 'F', ageband: 'A3', town: 'Lyon' };

    it('accepts 2 responses entering a quota of 2, refuses the 3rd with its message in the respondent’s language, and stores nothing', async () => {
      expect((await post('quota', { data: woman30, idempotencyKey: 'q-1' })).statusCode).toBe(201);
      expect((await post('quota', { data: { ...woman30, town: 'Nantes' } })).statusCode).toBe(201);
      expect(await countResponses(t.store.db, 'quota')).toBe(2);

      const fr = await post('quota', { data: { ...woman30, town: 'Brest' }, locale: 'fr' });
      expect(fr.statusCode).toBe(409);
      expect(fr.json()).toMatchObject({
        code: 'CAIRNET_QUOTA_FULL',
        message: 'Merci ! Nous avons assez de réponses de femmes de 30 à 39 ans.',
        details: { quota: 'Women 30-39', action: 'end' },
      });
      const en = await post('quota', { data: woman30, locale: 'en' });
      expect(en.json().message).toBe('Thank you! We have enough answers from women aged 30 to 39.');
      // Completing a draft goes through its own transaction: refused all the same.
      const drafted = await post('quota', { data: woman30, resumeToken: 'quota_resume_token_0123456789' });
      expect(drafted.json().code).toBe('CAIRNET_QUOTA_FULL');
      expect(await countResponses(t.store.db, 'quota')).toBe(2);

      // The retry of a stored response is answered as a replay, not as a full quota.
      const replay = await post('quota', { data: woman30, idempotencyKey: 'q-1' });
      expect(replay.statusCode).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    });

    it('accepts responses outside the full quota (another gender, another age band, no answer)', async () => {
      for (const data of [{ gender: 'M', ageband: 'A3' }, { gender: 'F', ageband: 'A4' }, { town: 'Metz' }]) {
        const res = await post('quota', { data });
        expect(res.statusCode, res.body).toBe(201);
      }
      expect(await countResponses(t.store.db, 'quota')).toBe(5);
    });

    it('never gives the quotas to respondents', async () => {
      const res = await app.inject('/api/instruments/quota');
      expect(res.json().cairnetQuotas).toBeUndefined();
      expect(res.json().pages).toHaveLength(1);
    });

    it('counts a multiple choice by the choices ticked, and concurrent submissions never exceed the limit', async () => {
      const kiwi = await post('fruits', { data: { fruits: ['kiwi'] } });
      expect(kiwi.statusCode).toBe(201);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          post('fruits', { data: { fruits: i % 2 ? ['apple'] : ['pear', 'kiwi'], note: String(i) } }),
        ),
      );
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes.filter((c) => c === 201)).toHaveLength(2);
      expect(results.find((r) => r.statusCode === 409)!.json()).toMatchObject({
        code: 'CAIRNET_QUOTA_FULL',
        details: { action: 'change' },
        message: expect.stringMatching(/^Thank you\. This questionnaire has enough responses/),
      });
      expect(await countResponses(t.store.db, 'fruits')).toBe(3);
      expect((await post('fruits', { data: { fruits: ['kiwi'] } })).statusCode).toBe(201);
    });

    it('serialises quota checks: a second check waits for the first one’s insert and counts it', async () => {
      const members = [{ question: 'fruits', values: ['pear'], multiple: true }];
      const order: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let firstCounted!: () => void;
      const counted = new Promise<void>((r) => {
        firstCounted = r;
      });
      const first = t.store.db.transaction().execute(async (trx) => {
        await lockQuotas(trx, t.store.adapter.name, 'fruits-lock');
        const n = await countQuotaResponses(trx, t.store.adapter.name, 'fruits-lock', members);
        firstCounted();
        await held;
        await trx
          .insertInto('responses')
          .values(
            responseRow({ instrumentName: 'fruits-lock', instrumentVersion: 1, data: { fruits: ['pear'] } }),
          )
          .execute();
        order.push('first stored');
        return n;
      });
      await counted;
      const second = t.store.db.transaction().execute(async (trx) => {
        await lockQuotas(trx, t.store.adapter.name, 'fruits-lock');
        order.push('second locked');
        return countQuotaResponses(trx, t.store.adapter.name, 'fruits-lock', members);
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(order).toEqual([]);
      release();
      expect(await first).toBe(0);
      expect(await second).toBe(1);
      expect(order).toEqual(['first stored', 'second locked']);
    });

    it('enforces a quota written by hand in an XLSForm’s cairnet_quotas sheet', async () => {
      const ok = await post('handmade', { data: { diet: 'veg', city: 'Lyon' } });
      expect(ok.statusCode, ok.body).toBe(201);
      expect((await post('handmade', { data: { diet: 'vegan' }, locale: 'fr' })).json()).toMatchObject({
        code: 'CAIRNET_QUOTA_FULL',
        message: 'Nous avons assez de végétariens.',
        details: { quota: 'Vegetarians', action: 'change' },
      });
      expect((await post('handmade', { data: { diet: 'meat' } })).statusCode).toBe(201);
      expect(await countResponses(t.store.db, 'handmade')).toBe(2);
    });

    it('refuses a quota naming no question of the instrument', async () => {
      const bad = {
        ...FRUITS,
        cairnetQuotas: [{ ...FRUITS.cairnetQuotas[0], members: [{ question: 'nope', values: ['x'] }] }],
      };
      expect(() => loadInstrument(bad)).toThrow(
        /cairnetQuotas\/0\/members\/0: Quota "Pome fruit" names "nope"/,
      );
    });
  });
}

/** An XLSForm whose quota is written by hand: 1 vegetarian or vegan at most, messages per language. */
async function handWrittenXlsformQuota(): Promise<Record<string, unknown>> {
  const file = await buildXlsform({
    survey: [
      ['type', 'name', 'label::English (en)', 'label::French (fr)'],
      ['select_one diet', 'diet', 'Your diet', 'Votre régime'],
      ['text', 'city', 'City', 'Ville'],
    ],
    choices: [
      ['list_name', 'name', 'label::English (en)', 'label::French (fr)'],
      ['diet', 'veg', 'Vegetarian', 'Végétarien'],
      ['diet', 'vegan', 'Vegan', 'Végétalien'],
      ['diet', 'meat', 'Meat', 'Viande'],
    ],
    cairnet_quotas: [
      ['quota', 'limit', 'action', 'question', 'values', 'message::English (en)', 'message::French (fr)'],
      [
        'Vegetarians',
        1,
        'change',
        'diet',
        'veg vegan',
        'We have enough vegetarians.',
        'Nous avons assez de végétariens.',
      ],
    ],
  });
  const { instrument } = await importInstrumentBuffer(file, 'handmade.xlsx');
  return instrument.json as Record<string, unknown>;
}
