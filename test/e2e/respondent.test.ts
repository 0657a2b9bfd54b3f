import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { listResponses } from '../../src/store/repositories/responses.js';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { neverMetAnswers, ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { type ServerProcess, startServer } from './server-process.js';
import {
  COMPLETE,
  eventually,
  expectAccessible,
  fillPage,
  go,
  NEXT,
  newResumeToken,
  PREV,
  pageTitle,
  tabTo,
  text,
  titleOf,
} from './survey-driver.js';

const skip = browserSkipReason();
const COMPLETION = { fr: 'Merci de votre participation.', en: 'Thank you for taking part.' };

describe.skipIf(skip !== undefined)(
  `the respondent page in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 90_000 },
  () => {
    let dir = '';
    let db = '';
    let server: ServerProcess | undefined;
    let browser: TestBrowser | undefined;
    const tokens = { never: newResumeToken(), ongoing: newResumeToken() };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cairnet-e2e-'));
      db = join(dir, 'cairnet.db');
      // Both at once (each takes seconds); whichever started is cleaned up even if the other fails.
      const started = await Promise.allSettled([
        startServer(db).then((s) => {
          server = s;
        }),
        launchBrowser().then((b) => {
          browser = b;
        }),
      ]);
      for (const r of started) if (r.status === 'rejected') throw r.reason;
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }, 30_000);

    async function open(token: string, query = ''): Promise<Page> {
      if (!browser || !server) throw new Error('the browser or the server did not start');
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/s/cairnet?resume=${token}${query}`);
      await page.getByRole('button', { name: NEXT }).waitFor();
      return page;
    }

    it.concurrent('fills the "never met an association" path, switching to English once, with no serious axe violation', async () => {
      const answers = neverMetAnswers();
      const page = await open(tokens.never);
      await eventually(() => text(page.locator('h1'))).toBe(
        'Cairnet : chercheurs et associations de malades',
      );
      await expectAccessible(page, 'the first page');
      await fillPage(page, 'consent', answers, 'fr');
      await go(page, NEXT);

      await fillPage(page, 'about_you', answers, 'fr');
      // The page's title is a second-level heading under the <h1>.
      await page.getByRole('heading', { level: 2, name: titleOf('about_you', 'fr') }).waitFor();
      const gender = page.locator('.sd-question[data-name="gender"] .sd-question__title');
      await eventually(() => text(gender)).toContain('Vous êtes');
      await page.getByRole('button', { name: 'English' }).click();
      await eventually(() => text(gender)).toContain('You are');
      await eventually(() => text(page.locator('h1'))).toBe('Cairnet: researchers and patient associations');
      await eventually(() => text(pageTitle(page))).toBe(titleOf('about_you', 'en'));
      await eventually(() => page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe(
        'true',
      );
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      await go(page, NEXT);

      await fillPage(page, 'contacts', answers, 'en');
      await go(page, NEXT);
      // "never": sections C to E are skipped.
      await fillPage(page, 'opinions', answers, 'en');
      await expectAccessible(page, 'the opinion matrix');
      await go(page, NEXT);
      await fillPage(page, 'afterwards', answers, 'en');
      const stored = page.waitForResponse(
        (r) => r.url().endsWith('/responses') && r.request().method() === 'POST',
      );
      await page.getByRole('button', { name: COMPLETE }).click();
      expect((await stored).status()).toBe(201);
      await page.getByText(COMPLETION.en).waitFor({ state: 'visible' });
      await expectAccessible(page, 'the completion page');
      await page.close();
    });

    it.concurrent('fills the "ongoing relation, funded, three associations" path, resuming after a reload midway', async () => {
      const answers = ongoingFundedAnswers();
      let page = await open(tokens.ongoing);
      await go(page, NEXT);
      await fillPage(page, 'about_you', answers, 'fr');
      await go(page, NEXT);
      await fillPage(page, 'contacts', answers, 'fr');
      await go(page, NEXT);
      await fillPage(page, 'funding_page', answers, 'fr');
      await go(page, NEXT);
      await eventually(() => text(pageTitle(page))).toBe(titleOf('activities_page', 'fr'));

      // Midway: reload the resume link in a new tab; the answers given so far come back.
      const resumeUrl = page.url();
      expect(resumeUrl).toContain(`resume=${tokens.ongoing}`);
      await page.close();
      page = await open(tokens.ongoing);
      await eventually(() => text(pageTitle(page))).toBe(titleOf('activities_page', 'fr'));
      await go(page, PREV);
      await eventually(() => text(pageTitle(page))).toBe(titleOf('funding_page', 'fr'));
      const funding = page.locator('.sd-question[data-name="funding"]');
      expect(await funding.locator('input[value="yes"]').isChecked()).toBe(true);
      expect(
        await page.locator('.sd-question[data-name="funding_amount"] input[value="100_500k"]').isChecked(),
      ).toBe(true);
      for (const v of ['seed', 'doctoral'])
        expect(
          await page.locator(`.sd-question[data-name="funding_use"] input[value="${v}"]`).isChecked(),
        ).toBe(true);
      await go(page, PREV);
      await eventually(() => text(pageTitle(page))).toBe(titleOf('contacts', 'fr'));
      expect(
        await page.locator('.sd-question[data-name="relation"] input[value="ongoing"]').isChecked(),
      ).toBe(true);
      const names = page.locator(
        '.sd-question[data-name="associations"] .sd-question[data-name="name"] input',
      );
      await eventually(() => names.count()).toBe(3);
      const expectedNames = (answers.associations as { name: string }[]).map((a) => a.name);
      expect(await names.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(
        expectedNames,
      );
      await go(page, NEXT);
      await go(page, NEXT);

      await fillPage(page, 'activities_page', answers, 'fr');
      await go(page, NEXT);
      await fillPage(page, 'benefit_page', answers, 'fr');
      await go(page, NEXT);
      await fillPage(page, 'opinions', answers, 'fr');
      await go(page, NEXT);
      await fillPage(page, 'afterwards', answers, 'fr');
      const stored = page.waitForResponse(
        (r) => r.url().endsWith('/responses') && r.request().method() === 'POST',
      );
      await page.getByRole('button', { name: COMPLETE }).click();
      expect((await stored).status()).toBe(201);
      await page.getByText(COMPLETION.fr).waitFor({ state: 'visible' });
      await page.close();
    });

    it.concurrent('answers the first questions and moves on with the keyboard alone', async () => {
      const page = await open(newResumeToken());
      await keyboardPage(page);
      await page.close();
    });

    it('finds both responses after the server restarts on the same database', async () => {
      if (!server) throw new Error('no server');
      await server.stop();
      server = await startServer(db);

      // The restarted server knows the completed resume link.
      const page = await browser!.context.newPage();
      await page.goto(`${server.url}/s/cairnet?resume=${tokens.ongoing}`);
      await eventually(() => text(page.locator('#survey'))).toMatch(/déjà été rempli/);
      await page.close();

      const store = await openStore({ db });
      try {
        const { items, total } = await listResponses(store.db, {
          instrumentName: 'cairnet',
          page: 1,
          pageSize: 10,
        });
        expect(total).toBe(2);
        const datas = items.map((r) => r.data);
        expect(datas).toContainEqual(neverMetAnswers());
        expect(datas).toContainEqual(ongoingFundedAnswers());
        expect(items.every((r) => !r.synthetic)).toBe(true);
      } finally {
        await store.close();
      }
    });
  },
);

/**
 * The consent page and the "about you" page with the keyboard alone: Tab to each question,
 * Space or the arrow keys for radio buttons, arrows and Enter in the lists, Enter on "Next".
 */
async function keyboardPage(page: Page): Promise<void> {
  await tabTo(page, 'input[type="button"][value="Suivant"]');
  await page.keyboard.press('Enter');
  await eventually(() => text(pageTitle(page))).toBe(titleOf('about_you', 'fr'));
  const radio = (name: string, value: string) =>
    page.locator(`.sd-question[data-name="${name}"] input[value="${value}"]`);

  await tabTo(page, '[data-name="gender"] input[type="radio"]');
  await page.keyboard.press('Space');
  await eventually(() => radio('gender', 'woman').isChecked()).toBe(true);
  await page.keyboard.press('ArrowDown');
  await eventually(() => radio('gender', 'man').isChecked()).toBe(true);

  await tabTo(page, '[data-name="age_band"] [role="combobox"]');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await eventually(() => text(page.locator('[data-name="age_band"] .sd-dropdown__value'))).not.toBe('');

  const radios: [string, string][] = [
    ['status', 'inserm_researcher'],
    ['permanent', 'yes'],
    ['responsibility', 'member'],
    ['research_kind', 'fundamental'],
    ['clinical_activity', 'yes'],
  ];
  for (const [name, first] of radios) {
    await tabTo(page, `[data-name="${name}"] input[type="radio"]`, 3);
    await page.keyboard.press('Space');
    await eventually(() => radio(name, first).isChecked()).toBe(true);
  }

  await tabTo(page, '[data-name="field"] [role="combobox"]', 3);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await eventually(() => text(page.locator('[data-name="field"] .sd-dropdown__value'))).not.toBe('');

  await tabTo(page, 'input[type="button"][value="Suivant"]', 5);
  const saved = page.waitForRequest((r) => r.url().includes('/drafts/') && r.method() === 'PUT');
  await page.keyboard.press('Enter');
  await eventually(() => text(pageTitle(page))).toBe(titleOf('contacts', 'fr'));
  const draft = (await saved).postDataJSON() as { data: Record<string, unknown> };
  expect(draft.data).toMatchObject({
    gender: 'man',
    status: 'inserm_researcher',
    permanent: 'yes',
    responsibility: 'member',
    research_kind: 'fundamental',
    clinical_activity: 'yes',
  });
  expect(typeof draft.data.age_band).toBe('string');
  expect(typeof draft.data.field).toBe('string');
}
