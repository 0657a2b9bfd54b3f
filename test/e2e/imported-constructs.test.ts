// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInstrumentBuffer } from '../../src/instrument/importers/import-instrument.js';
import { openStore } from '../../src/store/open-store.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { listResponses } from '../../src/store/repositories/responses.js';
import { buildLss, CONSTRUCTS } from '../fixtures/imports/lss-builder.js';
import { buildXlsform } from '../fixtures/imports/xlsform-builder.js';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { GRID_SURVEY } from '../helpers/grid-answers.js';
import { type ServerProcess, startServer } from './server-process.js';
import { COMPLETE, eventually, newResumeToken } from './survey-driver.js';

const skip = browserSkipReason();

/** An XLSForm cascade: the cities offered follow the country chosen. */
const CASCADE = {
  survey: [
    ['type', 'name', 'label', 'choice_filter', 'required'],
    ['select one from country or specify other', 'country', 'Country', '', true],
    ['select_one city', 'city', 'City', 'country=${country}', ''],
    ['note', 'seen', 'You chose ${city}', '', ''],
  ],
  choices: [
    ['list_name', 'name', 'label', 'country'],
    ['country', 'fr', 'France', ''],
    ['country', 'de', 'Germany', ''],
    ['city', 'paris', 'Paris', 'fr'],
    ['city', 'berlin', 'Berlin', 'de'],
    ['city', 'munich', 'Munich', 'de'],
  ],
};

describe.skipIf(skip !== undefined)(
  `an imported LimeSurvey questionnaire in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 120_000 },
  () => {
    let dir = '';
    let db = '';
    let server: ServerProcess | undefined;
    let browser: TestBrowser | undefined;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cairnet-e2e-import-'));
      db = join(dir, 'cairnet.db');
      const { instrument } = await importInstrumentBuffer(Buffer.from(buildLss(CONSTRUCTS)), 'obst.lss');
      const cascade = await importInstrumentBuffer(await buildXlsform(CASCADE), 'cascade.xlsx');
      const grids = await importInstrumentBuffer(Buffer.from(JSON.stringify(GRID_SURVEY)), 'grids.json');
      const store = await openStore({ db });
      try {
        await saveInstrument(store.db, 'obst', instrument.json as Record<string, unknown>);
        await saveInstrument(store.db, 'cascade', cascade.instrument.json as Record<string, unknown>);
        await saveInstrument(store.db, 'grids', grids.instrument.json as Record<string, unknown>);
      } finally {
        await store.close();
      }
      const started = await Promise.allSettled([
        // A loaded machine can take more than the default 30 s to start the server.
        startServer(db, { timeoutMs: 90_000 }).then((s) => {
          server = s;
        }),
        launchBrowser().then((b) => {
          browser = b;
        }),
      ]);
      for (const r of started) if (r.status === 'rejected') throw r.reason;
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }, 30_000);

    it('opens in German with survey-core German buttons; a filter hides choices, defaults fill, the server stores the rest', async () => {
      if (!browser || !server) throw new Error('the browser or the server did not start');
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${server.url}/s/obst?resume=${newResumeToken()}`);
      await page.getByRole('button', { name: 'Abschließen' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('de');
      expect(await page.locator('button[data-lang]').allTextContents()).toEqual(['Deutsch', 'English']);

      const box = (name: string) => page.locator(`.sd-question[data-name="${name}"]`).first();
      const tick = async (name: string, value: string) => {
        await box(name)
          .locator('label')
          .filter({ has: page.locator(`input[value="${value}"]`) })
          .click();
        await eventually(() => box(name).locator(`input[value="${value}"]`).isChecked()).toBe(true);
      };
      await tick('fruits', 'apple');
      // The array filter shows only the fruit eaten; the kiwi also needs an age over 50.
      await eventually(() =>
        box('liked')
          .locator('input[type="checkbox"]')
          .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value).join(',')),
      ).toBe('apple');
      expect(await box('age').locator('input').inputValue()).toBe('30');
      await expect(box('greet').textContent()).resolves.toContain('Sie sind 30 Jahre alt');
      await tick('liked', 'apple');
      await page.screenshot({ path: '/tmp/imports-constructs-1280.png', fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: '/tmp/imports-constructs-390.png', fullPage: true });

      await page.locator('button[data-lang="en"]').click();
      await page.getByRole('button', { name: 'Complete' }).waitFor();
      await eventually(() => box('greet').textContent()).toContain('You are 30 years old');
      const posted = page.waitForResponse(
        (r) => r.url().endsWith('/responses') && r.request().method() === 'POST',
      );
      await page.getByRole('button', { name: 'Complete' }).click();
      const res = await posted;
      expect(res.status(), await res.text()).toBe(201);

      const store = await openStore({ db });
      try {
        const { items } = await listResponses(store.db, { instrumentName: 'obst', page: 1, pageSize: 10 });
        expect(items).toHaveLength(1);
        expect(items[0]!.data).toMatchObject({
          fruits: ['apple'],
          liked: ['apple'],
          age: 30,
          panel: 'wave-A',
          half: 15,
        });
      } finally {
        await store.close();
      }
    });

    it('runs an XLSForm cascade: the cities follow the country, piping shows the choice, the server stores it', async () => {
      if (!browser || !server) throw new Error('the browser or the server did not start');
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/s/cascade?resume=${newResumeToken()}`);
      await page.getByRole('button', { name: 'Complete' }).waitFor();
      expect(await page.locator('button[data-lang]').allTextContents()).toEqual(['English']);
      const box = (name: string) => page.locator(`.sd-question[data-name="${name}"]`).first();
      const pick = async (name: string, value: string) => {
        await box(name)
          .locator('label')
          .filter({ has: page.locator(`input[value="${value}"]`) })
          .click();
        await eventually(() => box(name).locator(`input[value="${value}"]`).isChecked()).toBe(true);
      };
      await pick('country', 'de');
      await eventually(() =>
        box('city')
          .locator('input[type="radio"]')
          .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value).join(',')),
      ).toBe('berlin,munich');
      await pick('city', 'munich');
      await eventually(() =>
        page.locator('.sd-question[data-name="seen"], [data-name="seen"]').first().textContent(),
      ).toContain('You chose Munich');
      const posted = page.waitForResponse(
        (r) => r.url().endsWith('/responses') && r.request().method() === 'POST',
      );
      await page.getByRole('button', { name: 'Complete' }).click();
      const res = await posted;
      expect(res.status(), await res.text()).toBe(201);
      const store = await openStore({ db });
      try {
        const { items } = await listResponses(store.db, { instrumentName: 'cascade', page: 1, pageSize: 10 });
        expect(items.map((i) => i.data)).toEqual([{ country: 'de', city: 'munich' }]);
      } finally {
        await store.close();
      }
    });

    it('stores the grid cells a respondent ticks (an Other with its text, choices a column inherits), which the server checks', async () => {
      if (!browser || !server) throw new Error('the browser or the server did not start');
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/s/grids?resume=${newResumeToken()}`);
      await page.getByRole('button', { name: COMPLETE }).waitFor();
      const row = page.locator('.sd-question[data-name="tools"] tr').filter({ hasText: 'r1' }).first();
      const tick = async (value: string) => {
        await row
          .locator('label')
          .filter({ has: page.locator(`input[value="${value}"]`) })
          .click();
        await eventually(() => row.locator(`input[value="${value}"]`).isChecked()).toBe(true);
      };
      await tick('other');
      await row.locator('textarea').fill('mine');
      await tick('x');
      await tick('2'); // a choice of the grid, inherited by the checkbox column
      await page.screenshot({ path: '/tmp/imports-grid-1280.png', fullPage: true });
      const posted = page.waitForResponse(
        (r) => r.url().endsWith('/responses') && r.request().method() === 'POST',
      );
      await page.getByRole('button', { name: COMPLETE }).click();
      const res = await posted;
      expect(res.status(), await res.text()).toBe(201);
      const store = await openStore({ db });
      try {
        const { items } = await listResponses(store.db, { instrumentName: 'grids', page: 1, pageSize: 10 });
        expect(items.map((i) => i.data)).toEqual([
          { tools: { r1: { kind: 'other', 'kind-Comment': 'mine', uses: ['x'], inherit_cb: [2] } } },
        ]);
      } finally {
        await store.close();
      }
    });
  },
);
