import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { CairnetError } from '../../src/errors.js';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { insertResponsesBulk } from '../../src/store/repositories/responses.js';
import { findSurvey } from '../../src/store/repositories/surveys.js';
import { neverMetAnswers as cairnetAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';
import { startServer } from '../helpers/server-process.js';
import { storeCounts } from '../helpers/store-counts.js';

const dir = mkdtempSync(join(tmpdir(), 'cairnet-demo-survey-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exportRows(db: string, instrument: string): Promise<Record<string, string>[]> {
  const out = join(dir, `${instrument}-${Math.random().toString(36).slice(2)}.csv`);
  const r = await cli([
    'responses',
    'export',
    '--instrument',
    instrument,
    '--format',
    'csv',
    '--db',
    db,
    '--out',
    out,
  ]);
  expect(r.code, r.stderr).toBe(0);
  return parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
}

describe('cairnet serve on an empty store', () => {
  const db = join(dir, 'serve.db');

  it('puts the demonstration panel in cairnet-demo, never in cairnet, and serves the real empty questionnaire', async () => {
    // (writing 651 responses on a loaded machine can take more than the default minute)
    const server = await startServer(['--db', db], {}, 240_000);
    try {
      expect(server.log()).toMatch(/cairnet-demo/);
      const form = await fetch(`${server.url}/api/instruments/cairnet`);
      expect(form.status).toBe(200);
      expect(((await form.json()) as { title: { fr: string } }).title.fr).toMatch(/^Cairnet/);
      expect((await fetch(`${server.url}/s/cairnet`)).status).toBe(200);
      // a real respondent cannot answer the demonstration survey
      const refused = await fetch(`${server.url}/api/instruments/cairnet-demo/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: cairnetAnswers() }),
      });
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { code: string }).code).toBe('CAIRNET_SURVEY_REAL_REFUSED');
    } finally {
      await server.stop();
    }
    expect(await exportRows(db, 'cairnet')).toEqual([]);
    const demo = await exportRows(db, 'cairnet-demo');
    expect(demo).toHaveLength(651);
    expect(demo.every((r) => r.synthetic === '1')).toBe(true);
  }, 360_000);

  it('analyses the demonstration survey with the Cairnet plan, and finds no response in cairnet', async () => {
    const demo = await cli(['analyze', '--instrument', 'cairnet-demo', '--json', '--db', db]);
    expect(demo.code, demo.stderr).toBe(0);
    const results = JSON.parse(demo.stdout) as {
      n: number;
      synthetic: boolean;
      indicators: { id: string }[];
    };
    expect(results.n).toBe(651);
    expect(results.synthetic).toBe(true);
    expect(results.indicators.map((i) => i.id)).toContain('F20');
    const real = await cli(['analyze', '--instrument', 'cairnet', '--json', '--db', db]);
    expect(real.code).toBe(7);
    expect(real.stderr).toMatch(/^error CAIRNET_DATASET_EMPTY/);
  }, 120_000);

  it('writes the press release of the demonstration survey from the Cairnet template, with the synthetic banner', async () => {
    const out = join(dir, 'demo-release.md');
    const r = await cli([
      'press-release',
      '--instrument',
      'cairnet-demo',
      '--lang',
      'en',
      '--out',
      out,
      '--db',
      db,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('Synthetic data');
    expect(text).toContain('researchers answered the Cairnet survey');
  }, 120_000);

  it('deletes the demonstration survey with demo --remove, and refuses to remove a real survey', async () => {
    const real = await cli(['demo', '--remove', '--instrument', 'cairnet', '--db', db]);
    expect(real.code).toBe(8);
    expect(real.stderr).toMatch(/^error CAIRNET_SURVEY_NOT_DEMO/);
    const removed = await cli(['demo', '--remove', '--db', db]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain('651 synthetic responses');
    const gone = await cli(['demo', '--remove', '--db', db]);
    expect(gone.code).toBe(3);
    const again = await cli(['analyze', '--instrument', 'cairnet-demo', '--json', '--db', db]);
    expect(again.stderr).toMatch(/^error CAIRNET_INSTRUMENT_NOT_FOUND/);
  }, 120_000);
});

for (const dialect of await availableDialects()) {
  describe(`${dialect}: real and synthetic responses never share a survey`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      await ensureCairnetInstrument(t.store);
      await writeDemoPanel(t.store, { respondents: 20, seed: 3 });
    }, 60_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('refuses to write the same demonstration panel twice, and stores nothing', async () => {
      const before = await storeCounts(t.store);
      const r = await cli(['demo', '--respondents', '20', '--seed', '3', '--db', t.location]);
      expect(r.code).toBe(8);
      expect(r.stderr).toMatch(/^error CAIRNET_RESPONSE_ALREADY_COMPLETED: .*20 respondents with seed 3/);
      expect(await storeCounts(t.store)).toEqual(before);
      // another seed is another panel: the check is on the panel, not on the survey
      const other = await cli(['demo', '--respondents', '20', '--seed', '4', '--db', t.location]);
      expect(other.code, other.stderr).toBe(0);
      expect(other.stdout).toContain('wrote 20 synthetic responses (seed 4)');
    });

    it('refuses a synthetic panel in a real survey, and stores nothing', async () => {
      const before = await storeCounts(t.store);
      const e = await writeDemoPanel(t.store, { respondents: 5, seed: 9, instrument: 'cairnet' }).catch(
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(CairnetError);
      expect((e as CairnetError).code).toBe('CAIRNET_SURVEY_SYNTHETIC_REFUSED');
      expect(await storeCounts(t.store)).toEqual(before);
      const r = await cli(['demo', '--instrument', 'cairnet', '--respondents', '5', '--db', t.location]);
      expect(r.code).toBe(8);
      expect(r.stderr).toMatch(/^error CAIRNET_SURVEY_SYNTHETIC_REFUSED/);
      expect(await storeCounts(t.store)).toEqual(before);
    });

    it('refuses real responses in a demonstration survey, over HTTP and drafts too', async () => {
      const app = await buildApp({ store: t.store });
      try {
        const before = await storeCounts(t.store);
        const post = await app.inject({
          method: 'POST',
          url: '/api/instruments/cairnet-demo/responses',
          payload: { data: cairnetAnswers() },
        });
        expect(post.statusCode).toBe(409);
        expect(post.json().code).toBe('CAIRNET_SURVEY_REAL_REFUSED');
        const draft = await app.inject({
          method: 'PUT',
          url: `/api/instruments/cairnet-demo/drafts/${'a'.repeat(30)}`,
          payload: { data: {} },
        });
        expect(draft.statusCode).toBe(409);
        expect(await storeCounts(t.store)).toEqual(before);
        // the real survey takes them
        const ok = await app.inject({
          method: 'POST',
          url: '/api/instruments/cairnet/responses',
          payload: { data: cairnetAnswers() },
        });
        expect(ok.statusCode, ok.body).toBe(201);
      } finally {
        await app.close();
      }
    });

    it('refuses a synthetic panel in a demonstration survey that somehow holds a real response', async () => {
      await writeDemoPanel(t.store, { respondents: 2, seed: 4, instrument: 'other-demo' });
      await insertResponsesBulk(t.store.db, [
        {
          instrumentName: 'other-demo',
          instrumentVersion: 1,
          data: cairnetAnswers(),
          idempotencyKey: 'real-1',
        },
      ]);
      const e = await writeDemoPanel(t.store, { respondents: 2, seed: 5, instrument: 'other-demo' }).catch(
        (x: unknown) => x,
      );
      expect((e as CairnetError).code).toBe('CAIRNET_SURVEY_SYNTHETIC_REFUSED');
      expect((await findSurvey(t.store.db, 'other-demo'))?.kind).toBe('demo');
      // nor is a survey holding a real response removed as a demonstration
      const r = await cli(['demo', '--remove', '--instrument', 'other-demo', '--db', t.location]);
      expect(r.code).toBe(8);
    });
  });
}
