import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInstrumentBuffer } from '../../src/instrument/importers/import-instrument.js';
import { openStore } from '../../src/store/open-store.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { countResponses, insertCompletedResponse } from '../../src/store/repositories/responses.js';
import { buildLss, QUOTA_SURVEY } from '../fixtures/imports/lss-builder.js';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { type ServerProcess, startServer } from './server-process.js';
import { eventually, newResumeToken } from './survey-driver.js';

const skip = browserSkipReason();

describe.skipIf(skip !== undefined)(
  `a full quota in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 120_000 },
  () => {
    let dir = '';
    let db = '';
    let server: ServerProcess | undefined;
    let browser: TestBrowser | undefined;
    const stored = async () => {
      const store = await openStore({ db });
      try {
        return await countResponses(store.db, 'quota');
      } finally {
        await store.close();
      }
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cairnet-e2e-quota-'));
      db = join(dir, 'cairnet.db');
      const { instrument } = await importInstrumentBuffer(Buffer.from(buildLss(QUOTA_SURVEY)), 'quota.lss');
      // The same survey whose quota lets the respondent change the answers (LimeSurvey action 2).
      const changeable = await importInstrumentBuffer(
        Buffer.from(
          buildLss({ ...QUOTA_SURVEY, quotas: [{ ...QUOTA_SURVEY.quotas![0]!, action: 2, limit: 0 }] }),
        ),
        'quota-change.lss',
      );
      const store = await openStore({ db });
      try {
        await saveInstrument(store.db, 'quota-change', changeable.instrument.json as Record<string, unknown>);
        const saved = await saveInstrument(store.db, 'quota', instrument.json as Record<string, unknown>);
        // The quota of 2 women aged 30 to 39 is already full.
        for (const town of ['Lyon', 'Nantes'])
          await insertCompletedResponse(store.db, {
            instrumentName: 'quota',
            instrumentVersion: saved.instrument.version,
            data: { gender: 'F', ageband: 'A3', town },
          });
      } finally {
        await store.close();
      }
      const started = await Promise.allSettled([
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

    const answer = async (page: Page, gender: string, band: string) => {
      const box = (name: string) => page.locator(`.sd-question[data-name="${name}"]`).first();
      for (const [name, value] of [
        ['gender', gender],
        ['ageband', band],
      ] as const) {
        await box(name)
          .locator('label')
          .filter({ has: page.locator(`input[value="${value}"]`) })
          .click();
        await eventually(() => box(name).locator(`input[value="${value}"]`).isChecked()).toBe(true);
      }
    };

    it('shows the quota’s message in French as the end of the questionnaire, and stores nothing', async () => {
      if (!browser || !server) throw new Error('the browser or the server did not start');
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${server.url}/s/quota?resume=${newResumeToken()}`);
      await page.getByRole('button', { name: 'Terminer' }).waitFor();
      await answer(page, 'F', 'A3');
      const posted = page.waitForResponse(
        (r) => r.url().endsWith('/responses') && r.request().method() === 'POST',
      );
      await page.getByRole('button', { name: 'Terminer' }).click();
      expect((await posted).status()).toBe(409);
      const end = page.locator('#quota-end');
      await eventually(() => end.textContent()).toBe(
        'Merci ! Nous avons assez de réponses de femmes de 30 à 39 ans.',
      );
      expect(await end.getAttribute('role')).toBe('status');
      expect(await page.locator('#survey').isVisible()).toBe(false);
      // No error dump: neither the code nor English.
      const body = (await page.locator('main').textContent()) ?? '';
      expect(body).not.toMatch(/CAIRNET_|Thank you|error/i);
      await page.screenshot({ path: '/tmp/quota-full-fr-1280.png', fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: '/tmp/quota-full-fr-390.png', fullPage: true });
      expect(await stored()).toBe(2);
    });

    it('shows it in English to an English respondent, and a respondent outside the quota completes', async () => {
      if (!browser || !server) throw new Error('the browser or the server did not start');
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/s/quota?lang=en&resume=${newResumeToken()}`);
      await page.getByRole('button', { name: 'Complete' }).waitFor();
      await answer(page, 'F', 'A3');
      await page.getByRole('button', { name: 'Complete' }).click();
      await eventually(() => page.locator('#quota-end').textContent()).toBe(
        'Thank you! We have enough answers from women aged 30 to 39.',
      );

      const other = await browser.context.newPage();
      await other.goto(`${server.url}/s/quota?lang=en&resume=${newResumeToken()}`);
      await other.getByRole('button', { name: 'Complete' }).waitFor();
      await answer(other, 'M', 'A3');
      const posted = other.waitForResponse(
        (r) => r.url().endsWith('/responses') && r.request().method() === 'POST',
      );
      await other.getByRole('button', { name: 'Complete' }).click();
      expect((await posted).status()).toBe(201);
      expect(await other.locator('#quota-end').count()).toBe(0);
      expect(await stored()).toBe(3);
    });

    it('returns to the form with the message when the quota lets the respondent change the answers', async () => {
      if (!browser || !server) throw new Error('the browser or the server did not start');
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/s/quota-change?lang=en&resume=${newResumeToken()}`);
      await page.getByRole('button', { name: 'Complete' }).waitFor();
      await answer(page, 'F', 'A3');
      await page.getByRole('button', { name: 'Complete' }).click();
      await eventually(() => page.locator('#save-status').textContent()).toBe(
        'Thank you! We have enough answers from women aged 30 to 39.',
      );
      // The form is back, with the answers given; another age band completes.
      await page.getByRole('button', { name: 'Complete' }).waitFor();
      expect(await page.locator('#quota-end').count()).toBe(0);
      await answer(page, 'F', 'A4');
      const posted = page.waitForResponse(
        (r) => r.url().endsWith('/responses') && r.request().method() === 'POST',
      );
      await page.getByRole('button', { name: 'Complete' }).click();
      expect((await posted).status()).toBe(201);
      const store = await openStore({ db });
      try {
        expect(await countResponses(store.db, 'quota-change')).toBe(1);
      } finally {
        await store.close();
      }
    });
  },
);
