import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/build-app.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { cairnetSurvey, neverMetAnswers, ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { storeCounts } from '../helpers/store-counts.js';

const dialects = await availableDialects();

const counts = (t: TestStore) => storeCounts(t.store);

const TOKEN = 'resume_token_0123456789abcdef';

for (const dialect of dialects) {
  describe(`${dialect}: respondent API`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      await saveInstrument(t.store.db, 'cairnet', cairnetSurvey());
      app = await buildApp({ store: t.store });
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });
    let before: { responses: number; drafts: number };
    beforeEach(async () => {
      before = await counts(t);
    });

    const post = (payload: unknown, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/instruments/cairnet/responses',
        payload: payload as object,
        headers,
      });

    it('serves the current instrument with its version', async () => {
      const res = await app.inject('/api/instruments/cairnet');
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-instrument-version']).toBe('1');
      expect(res.json().pages.length).toBeGreaterThan(5);
    });

    it('answers 404 with a stable code for an unknown instrument, and stores nothing', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/instruments/nope/responses',
        payload: { data: {} },
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('CAIRNET_INSTRUMENT_NOT_FOUND');
      expect(await counts(t)).toEqual(before);
    });

    it('stores a completed response along each path and acknowledges it with 201 and an id', async () => {
      for (const data of [neverMetAnswers(), ongoingFundedAnswers()]) {
        const res = await post({ data, idempotencyKey: `path-${Object.keys(data).length}` });
        expect(res.statusCode).toBe(201);
        const { id } = res.json();
        const row = await t.store.db
          .selectFrom('responses')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst();
        expect(JSON.parse(row!.data)).toEqual(data);
        expect(row!.instrument_version).toBe(1);
      }
      expect((await counts(t)).responses).toBe(before.responses + 2);
    });

    it('answers a retry with the same idempotency key with the first id and stores one response', async () => {
      const body = { data: neverMetAnswers(), idempotencyKey: 'retry-key-1' };
      const a = await post(body);
      const b = await post(body);
      expect(a.statusCode).toBe(201);
      expect(b.statusCode).toBe(201);
      expect(b.json().id).toBe(a.json().id);
      expect(b.headers['idempotent-replayed']).toBe('true');
      expect((await counts(t)).responses).toBe(before.responses + 1);
    });

    it('drops answers to questions the skip logic hides', async () => {
      const data = { ...neverMetAnswers(), funding: 'yes', funding_amount: 'gt2_5m', ongoing_since: 'lt2' };
      const res = await post({ data });
      expect(res.statusCode).toBe(201);
      const row = await t.store.db
        .selectFrom('responses')
        .select('data')
        .where('id', '=', res.json().id)
        .executeTakeFirst();
      const stored = JSON.parse(row!.data);
      expect(stored).not.toHaveProperty('funding');
      expect(stored).not.toHaveProperty('ongoing_since');
      expect(stored.relation).toBe('never');
    });

    it('refuses unknown fields, out-of-range choices and missing required answers with 422 per question', async () => {
      const unknown = await post({ data: { ...neverMetAnswers(), salary: 100 } });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json().code).toBe('CAIRNET_RESPONSE_UNKNOWN_FIELD');
      const badChoice = await post({ data: { ...neverMetAnswers(), age_band: '99_100' } });
      expect(badChoice.statusCode).toBe(422);
      expect(badChoice.json().details[0].question).toBe('age_band');
      const { gender: _g, ...missing } = neverMetAnswers();
      const required = await post({ data: missing, locale: 'fr' });
      expect(required.statusCode).toBe(422);
      expect(required.json().code).toBe('CAIRNET_RESPONSE_INVALID');
      expect(required.json().details.map((d: { question: string }) => d.question)).toContain('gender');
      const tooLong = await post({
        data: { ...ongoingFundedAnswers(), associations: [{ name: 'x'.repeat(5000) }] },
      });
      expect(tooLong.statusCode).toBe(422);
      expect(await counts(t)).toEqual(before);
    });

    it('answers malformed JSON with 400, a huge body with 413, a bad shape with 400, and stores nothing', async () => {
      const malformed = await app.inject({
        method: 'POST',
        url: '/api/instruments/cairnet/responses',
        headers: { 'content-type': 'application/json' },
        payload: '{"data": {',
      });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().code).toBe('CAIRNET_INVALID_JSON');
      const huge = await post({ data: { note: 'x'.repeat(300 * 1024) } });
      expect(huge.statusCode).toBe(413);
      expect(huge.json().code).toBe('CAIRNET_PAYLOAD_TOO_LARGE');
      for (const payload of [{ data: [] }, { data: 'x' }, { answers: {} }, { data: {}, extra: 1 }]) {
        const res = await post(payload);
        expect(res.statusCode).toBe(400);
        expect(res.json().code).toBe('CAIRNET_BAD_REQUEST');
      }
      const badKey = await post({ data: neverMetAnswers(), idempotencyKey: 'has spaces' });
      expect(badKey.statusCode).toBe(400);
      expect(await counts(t)).toEqual(before);
    });

    it('saves and restores a draft, then refuses drafts once the response is completed', async () => {
      const partial = { gender: 'man', age_band: '30_34' };
      const put = await app.inject({
        method: 'PUT',
        url: `/api/instruments/cairnet/drafts/${TOKEN}`,
        payload: { data: partial, pageNo: 1 },
      });
      expect(put.statusCode).toBe(200);
      const got = await app.inject(`/api/instruments/cairnet/drafts/${TOKEN}`);
      expect(got.json()).toMatchObject({ data: partial, pageNo: 1, completed: false });
      const done = await post({
        data: neverMetAnswers(),
        resumeToken: TOKEN,
        idempotencyKey: `complete-${TOKEN}`,
      });
      expect(done.statusCode).toBe(201);
      const after = await app.inject(`/api/instruments/cairnet/drafts/${TOKEN}`);
      expect(after.json()).toMatchObject({ completed: true, data: {} });
      const again = await app.inject({
        method: 'PUT',
        url: `/api/instruments/cairnet/drafts/${TOKEN}`,
        payload: { data: partial },
      });
      expect(again.statusCode).toBe(409);
      const second = await post({ data: neverMetAnswers(), resumeToken: TOKEN });
      expect(second.statusCode).toBe(409);
      expect(second.json().code).toBe('CAIRNET_RESPONSE_ALREADY_COMPLETED');
      expect((await counts(t)).responses).toBe(before.responses + 1);
    });

    it('refuses malformed resume tokens and bad draft answers without storing', async () => {
      const bad = await app.inject({
        method: 'PUT',
        url: '/api/instruments/cairnet/drafts/short',
        payload: { data: {} },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('CAIRNET_DRAFT_TOKEN_INVALID');
      const unknown = await app.inject({
        method: 'PUT',
        url: `/api/instruments/cairnet/drafts/${TOKEN}_other`,
        payload: { data: { nonsense: 1 } },
      });
      expect(unknown.statusCode).toBe(422);
      const missing = await app.inject(`/api/instruments/cairnet/drafts/${TOKEN}_missing`);
      expect(missing.statusCode).toBe(404);
      expect(missing.json().code).toBe('CAIRNET_DRAFT_NOT_FOUND');
      expect(await counts(t)).toEqual(before);
    });

    it('serves the respondent page with an h1, a language switch and no inline script', async () => {
      const res = await app.inject('/s/cairnet');
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/<h1 id="survey-title">Cairnet : chercheurs/);
      expect(res.body).toContain('data-lang="en"');
      expect(res.body).not.toMatch(/<script>(?!<\/script>)/);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      const js = await app.inject('/vendor/survey-core/survey.core.min.js');
      expect(js.statusCode).toBe(200);
    });
  });
}
