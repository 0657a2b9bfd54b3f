import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/build-app.js';
import { insertResponsesBulk } from '../../src/store/repositories/responses.js';
import { addUser } from '../../src/store/repositories/users.js';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';

const skip = browserSkipReason();
const PASSWORD = 'a long enough password';
const SHOTS = process.env.CAIRNET_SCREENSHOTS; // a directory: screenshots of the page are kept there

/**
 * A reviewer on /admin/associations in Chromium: accepts a candidate group into a registry entry
 * found by the search (keyboard only), merges two groups, splits one mention out, creates an
 * entry, and undoes the creation from the history; the most cited list follows each decision.
 */
describe.skipIf(skip !== undefined)(
  `the association review page in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 120_000 },
  () => {
    let t: TestStore;
    let app: FastifyInstance;
    let browser: TestBrowser | undefined;
    let page: Page;
    const errors: string[] = [];

    beforeAll(async () => {
      t = await openTestStore('sqlite');
      const names = [
        ['Les Amis de Mémoire Vive'],
        ['Les Amis de Mémoire Vive'],
        ['Les Amis de Mémoire Vive', 'Association Trampoline'],
        ['Association Trampoline'],
        ['Kourir'],
        ['Les Petits Bourdons'],
        ['Les Petits Bourdons'],
      ];
      await insertResponsesBulk(
        t.store.db,
        names.map((list, i) => ({
          instrumentName: 'cairnet',
          instrumentVersion: 1,
          data: { associations: list.map((name) => ({ name })) },
          idempotencyKey: `review-${i}`,
        })),
      );
      await addUser(t.store.db, { email: 'rev@example.org', password: PASSWORD, role: 'reviewer' });
      app = await buildApp({ store: t.store });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      browser = await launchBrowser();
      page = await browser.context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setViewportSize({ width: 1280, height: 900 });
      const login = await page.request.post(`http://127.0.0.1:${port}/api/auth/login`, {
        data: { email: 'rev@example.org', password: PASSWORD },
      });
      expect(login.status()).toBe(200);
      await page.goto(`http://127.0.0.1:${port}/admin/associations?lang=en`);
      await page.waitForSelector('main[data-loaded]');
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await t?.dispose();
    });

    /** Acts, then waits until the most cited list shows `expected`, and reads it. */
    async function after(action: () => Promise<void>, expected: string | RegExp): Promise<string[]> {
      await action();
      const re =
        typeof expected === 'string'
          ? new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
          : expected;
      await page
        .waitForFunction(
          (p: { source: string; flags: string }) =>
            [...document.querySelectorAll('#cited li')].some((li) =>
              new RegExp(p.source, p.flags).test(li.textContent ?? ''),
            ),
          { source: re.source, flags: re.flags },
        )
        .catch(async (e) => {
          const seen = await page.locator('#cited li').allTextContents();
          throw new Error(
            `${(e as Error).message}; status: ${await page.locator('#status').textContent()}; cited: ${seen.join(' | ')}`,
          );
        });
      return page.locator('#cited li').allTextContents();
    }
    const groupRow = (text: string) =>
      page.locator('#groups tbody tr').filter({ has: page.locator('td:first-child', { hasText: text }) });

    it('shows the queue by respondents, with the count each decision moves', async () => {
      const first = page.locator('#groups tbody tr').first();
      await expect(first.locator('td').nth(1).textContent()).resolves.toBe('3');
      await expect(first.textContent()).resolves.toContain('Les Amis de Mémoire Vive');
      await expect(first.locator('button', { hasText: 'Create entry' }).textContent()).resolves.toBe(
        'Create entry (moves 3 respondents)',
      );
      if (SHOTS) {
        await page.screenshot({ path: `${SHOTS}/review-1280.png`, fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: `${SHOTS}/review-390.png`, fullPage: true });
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    });

    it('accepts a candidate group into a registry entry found by the search, with the keyboard', async () => {
      await groupRow('Mémoire Vive').locator('button', { hasText: 'Accept all into' }).click();
      const search = page.getByRole('combobox', { name: /Search the registry/ });
      await expect(search.evaluate((e) => e === document.activeElement)).resolves.toBe(true);
      await search.pressSequentially('ALZHEIMER et maladies apparentees');
      await expect(page.getByRole('option').first().textContent()).resolves.toContain('France Alzheimer');
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/review-search.png` });
      const cited = await after(() => search.press('Enter'), 'France Alzheimer (3 respondents)');
      expect(cited).toContain('France Alzheimer (3 respondents)');
      await expect(groupRow('Mémoire Vive').count()).resolves.toBe(0);
    });

    it('merges two groups, then splits a mention out again', async () => {
      let cited = await after(async () => {
        await groupRow('Kourir')
          .locator('select')
          .selectOption({ label: 'Association Trampoline (2 respondents)' });
        // the group is named after its first citation: either name, as the responses come
      }, /^(Association Trampoline|Kourir) \(3 respondents\)$/);
      expect(cited.filter((c) => c.endsWith('(3 respondents)'))).toHaveLength(2);
      cited = await after(
        () => groupRow('Kourir').locator('li', { hasText: 'Kourir' }).getByRole('button').click(),
        'Kourir (1 respondent)',
      );
      expect(cited).toContain('Association Trampoline (2 respondents)');
      expect(cited).toContain('Kourir (1 respondent)');
    });

    it('creates an entry from a group, and undoes it from the history', async () => {
      page.once('dialog', (d) => void d.accept('Les Petits Bourdons (association)'));
      let cited = await after(
        () => groupRow('Les Petits Bourdons').locator('button', { hasText: 'Create entry' }).click(),
        'Les Petits Bourdons (association) (2 respondents)',
      );
      expect(cited).toContain('Les Petits Bourdons (association) (2 respondents)');
      const entry = page.locator('#history details', { hasText: 'Les Petits Bourdons (association)' });
      await expect(entry.textContent()).resolves.toContain('rev@example.org');
      cited = await after(
        () => entry.getByRole('button', { name: 'Undo' }).click(),
        'Les Petits Bourdons (2 respondents)',
      );
      expect(cited).toContain('Les Petits Bourdons (2 respondents)');
      expect(cited.join('\n')).not.toContain('(association)');
      await expect(page.locator('#history li.undone').count()).resolves.toBe(1);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/review-history.png`, fullPage: true });
      expect(errors).toEqual([]);
    });

    it('speaks French with ?lang=fr, with no English left', async () => {
      await page.goto(`${page.url().split('?')[0]}?lang=fr`);
      await page.waitForSelector('main[data-loaded]');
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).toContain('Nouvelles associations candidates');
      expect(text).toContain('répondants');
      expect(text).toMatch(/Annuler/);
      for (const english of ['respondent', 'Accept', 'Undo', 'Merge', 'Most cited', 'undone by']) {
        expect(text).not.toContain(english);
      }
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/review-fr.png`, fullPage: true });
    });
  },
);
