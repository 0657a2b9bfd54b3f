import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPopulation } from '../../src/campaign/population-import.js';
import { readPopulationFile } from '../../src/campaign/read-population-file.js';
import { isCairnetError } from '../../src/errors.js';
import { importInstrumentBuffer } from '../../src/instrument/importers/import-instrument.js';
import { plainText } from '../../src/instrument/importers/plain-text.js';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { buildXlsform } from '../fixtures/imports/xlsform-builder.js';
import { neverMetAnswers, ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';
import { watchStoreWrites } from './fuzz/store-writes.js';

/** The exact inputs the fuzzing found (`npm run bench -- fuzz`), each kept as a plain test. */
describe('inputs found by fuzzing', () => {
  let t: TestStore;
  let app: FastifyInstance;
  let writes: () => Promise<number>;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairnet-fuzz-found-'));
    t = await openTestStore('sqlite');
    await ensureCairnetInstrument(t.store);
    app = await buildApp({ store: t.store });
    writes = await watchStoreWrites(t.store);
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a URL that does not decode (PUT …/drafts/%) is a 400 CAIRNET_BAD_REQUEST, not FST_ERR_BAD_URL', async () => {
    for (const token of ['%', '%ED%A0%80', '%zz']) {
      const before = await writes();
      const res = await app.inject({
        method: 'PUT',
        url: `/api/instruments/cairnet/drafts/${token}`,
        payload: { data: {} },
      });
      expect(res.statusCode, token).toBe(400);
      expect(res.json().code, token).toBe('CAIRNET_BAD_REQUEST');
      expect(await writes()).toBe(before);
    }
    const get = await app.inject({ method: 'GET', url: '/api/instruments/cairnet/drafts/%' });
    expect(get.json().code).toBe('CAIRNET_BAD_REQUEST');
  });

  it('a resume token of 101 to 128 characters saves and finds a draft (it was a 414 FST_ERR_MAX_PARAM_LENGTH)', async () => {
    const token = 'a'.repeat(120);
    const put = await app.inject({
      method: 'PUT',
      url: `/api/instruments/cairnet/drafts/${token}`,
      payload: { data: { gender: 'woman' } },
    });
    expect(put.statusCode, put.body).toBe(200);
    const get = await app.inject({ method: 'GET', url: `/api/instruments/cairnet/drafts/${token}` });
    expect(get.json().data).toEqual({ gender: 'woman' });
    const tooLong = await app.inject({
      method: 'PUT',
      url: `/api/instruments/cairnet/drafts/${'a'.repeat(300)}`,
      payload: { data: {} },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().code).toBe('CAIRNET_BAD_REQUEST');
  });

  it('a population whose language is "constructor" or "__proto__" is refused with its report (it crashed the insert)', async () => {
    for (const language of ['constructor', '__proto__', 'hasOwnProperty']) {
      const path = join(dir, 'people.csv');
      writeFileSync(path, `email,language\nann@inserm.fr,${language}\n`);
      const before = await writes();
      const error = await importPopulation(t.store.db, await readPopulationFile(path), { file: path }).catch(
        (e: unknown) => e,
      );
      expect(isCairnetError(error) && error.code, language).toBe('CAIRNET_POPULATION_INVALID');
      expect(JSON.stringify((error as { details: unknown }).details)).toContain('unknown_language');
      expect(await writes()).toBe(before);
    }
  });

  it('a population column named "constructor" is not a field', async () => {
    const path = join(dir, 'people.csv');
    writeFileSync(path, 'email,constructor\nann@inserm.fr,x\n');
    const report = await importPopulation(t.store.db, await readPopulationFile(path), {
      file: path,
      dryRun: true,
    });
    expect(report.ignoredColumns).toEqual(['constructor']);
  });

  it('`&constructor;` in an imported label stays as written (it became "function Object() { [native code] }")', () => {
    expect(plainText('a &constructor; b &__proto__; &amp;')).toBe('a &constructor; b &__proto__; &');
  });

  it('an XLSForm column label::constructor is a language named "constructor", not Object', async () => {
    const bytes = await buildXlsform({
      survey: [
        ['type', 'name', 'label::constructor'],
        ['text', 'q1', 'Hello'],
      ],
    });
    const { instrument } = await importInstrumentBuffer(bytes, 'form.xlsx');
    const text = JSON.stringify(instrument.json);
    expect(text).not.toContain('native code');
    expect(text).toContain('"constructor":"Hello"');
  });

  it('a completed draft refuses a second response under another idempotency key (it stored one per key)', async () => {
    const token = 'draftCompletedTwice_0123456789';
    const submit = (idempotencyKey: string, data: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: '/api/instruments/cairnet/responses',
        payload: { data, resumeToken: token, idempotencyKey },
      });
    await app.inject({
      method: 'PUT',
      url: `/api/instruments/cairnet/drafts/${token}`,
      payload: { data: {} },
    });
    const first = await submit('first-key', neverMetAnswers());
    expect(first.statusCode, first.body).toBe(201);
    const before = await writes();
    for (const [key, data] of [
      ['other-key', neverMetAnswers()],
      ['third-key', ongoingFundedAnswers()],
    ] as const) {
      const again = await submit(key, data);
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json().code).toBe('CAIRNET_RESPONSE_ALREADY_COMPLETED');
    }
    expect(await writes()).toBe(before);
    const replay = await submit('first-key', neverMetAnswers());
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(first.json().id);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });
});
