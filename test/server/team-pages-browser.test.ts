import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPopulation } from '../../src/campaign/population-import.js';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { addUser } from '../../src/store/repositories/users.js';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';

const skip = browserSkipReason();
const PASSWORD = 'a long enough password';

// The pages whose scripts no other browser test drives: the login form, the team's home page,
// the campaign's progress (server-rendered) and the press office's page, scripts run from their
// bundles in dist/web/public.
describe.skipIf(skip !== undefined)(
  `the login, home, campaign and press pages in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 120_000 },
  () => {
    let t: TestStore;
    let app: FastifyInstance;
    let url = '';
    let browser: TestBrowser | undefined;
    let page: Page;
    const errors: string[] = [];

    beforeAll(async () => {
      t = await openTestStore('sqlite');
      await ensureCairnetInstrument(t.store);
      await addUser(t.store.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin' });
      app = await buildApp({ store: t.store, openSubmitRate: 0 });
      const res = await app.inject({
        method: 'POST',
        url: '/api/instruments/cairnet/responses',
        payload: { data: ongoingFundedAnswers() },
      });
      expect(res.statusCode, res.body).toBe(201);
      // Once a population is loaded the survey takes invited respondents only: answer first.
      await importPopulation(
        t.store.db,
        'cairnet',
        {
          header: ['email', 'unit'],
          rows: [
            { line: 2, cells: ['a@example.org', 'U1'] },
            { line: 3, cells: ['b@example.org', 'U2'] },
          ],
        },
        { file: 'people.csv' },
      );
      url = await app.listen({ port: 0, host: '127.0.0.1' });
      browser = await launchBrowser();
      page = await browser.context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('response', (r) => {
        if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico')
          errors.push(`${r.status()} ${r.url()}`);
      });
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await t?.dispose();
    }, 30_000);

    it('logs in through the form and lands on the page asked for', async () => {
      await page.goto(`${url}/login?lang=en&next=${encodeURIComponent('/admin?lang=en')}`);
      await page.fill('#email', 'admin@example.org');
      await page.fill('#password', 'wrong password, long enough');
      await page.click('button[type=submit]');
      await expect
        .poll(() => page.textContent('#login-error'))
        .toBe('Wrong e-mail or password, or the account is disabled.');
      expect(errors.splice(0)).toEqual([`401 ${url}/api/auth/login`]);
      await page.fill('#password', PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForURL(`${url}/admin?lang=en`);
      await expect.poll(() => page.textContent('.who span')).toBe('admin@example.org');
      // The home page lists the questionnaires; the responses page the latest one, linked to its page.
      expect(await page.locator('#instruments tbody tr').count()).toBeGreaterThan(0);
      await page.goto(`${url}/admin/responses?lang=en`);
      await expect(page.locator('#responses tbody tr a').first().getAttribute('href')).resolves.toMatch(
        /^\/admin\/responses\/.+\?lang=en$/,
      );
      expect(errors).toEqual([]);
    });

    it('shows the campaign progress, with labels', async () => {
      await page.goto(`${url}/admin/campaign?lang=en`);
      expect(await page.textContent('#campaign-state')).toMatch(/^Questionnaire cairnet; response rate/);
      const population = await page.locator('#totals tbody tr').first().textContent();
      expect(population).toMatch(/^Population2/);
      expect(await page.textContent('#others')).toBe('Opted out 0; undeliverable 0; erased 0.');
      expect(errors).toEqual([]);
    });

    it('runs the press page: themes in the selects, a search, its status', async () => {
      await page.goto(`${url}/admin/press?lang=en`);
      await expect.poll(() => page.textContent('#search-status')).toMatch(/respondent\(s\) found\.$/);
      expect(await page.locator('#f-field option').count()).toBeGreaterThan(1);
      // the survey's own search fields (instruments/cairnet/press-contact.json), labelled
      expect(await page.locator('#search label').allTextContents()).toEqual([
        'Field',
        'Kind of research',
        'Relation with associations',
        'Associations cited',
      ]);
      // in French: the script's words from the page's messages, the themes' labels in French
      await page.goto(`${url}/admin/press?lang=fr`);
      await expect.poll(() => page.textContent('#search-status')).toMatch(/répondant\(s\) trouvé\(s\)\.$/);
      expect(await page.locator('#f-field option').first().textContent()).toBe('(tous)');
      const fr = await page.locator('#f-field option').allTextContents();
      await page.goto(`${url}/admin/press?lang=en`);
      await expect.poll(() => page.locator('#f-field option').count()).toBe(fr.length);
      const en = await page.locator('#f-field option').allTextContents();
      expect(fr.slice(1)).not.toEqual(en.slice(1));
      // the language switch keeps the page, and the navigation marks it
      expect(await page.locator('.who a[hreflang]').getAttribute('href')).toBe('/admin/press?lang=fr');
      expect(await page.locator('.studio-nav [aria-current="page"]').textContent()).toBe('Press');
      expect(errors).toEqual([]);
    });
    it('edits the analysis plan: a refusal lists its lines, a save stores a version', async () => {
      await page.goto(`${url}/admin/plan?lang=en&instrument=cairnet`);
      expect(await page.textContent('#plan-origin strong')).toMatch(/^The plan that comes with the survey/);
      const original = await page.inputValue('#plan-yaml');
      await page.fill('#plan-yaml', original.replace('by: clinical_activity', 'by: clinical_activityy'));
      await page.click('#plan-check');
      await expect
        .poll(() => page.textContent('#plan-status'))
        .toMatch(/^The plan is not valid:line \d+, F10 — /);
      expect(await page.getAttribute('#plan-status', 'class')).toContain('error');
      errors.splice(0); // the refusal's 422 is expected
      await page.fill('#plan-yaml', original);
      await page.click('#plan-check');
      await expect
        .poll(() => page.textContent('#plan-status'))
        .toMatch(/^The plan is valid: \d+ indicator\(s\)\.$/);
      await page.click('#plan-form button[type=submit]');
      await expect
        .poll(() => page.textContent('#plan-status'))
        .toBe('Saved: version 1. The results will be computed again with this plan.');
      await page.reload();
      expect(await page.textContent('#plan-origin strong')).toBe('Stored version 1');
      expect(await page.locator('#plan-versions tbody tr').count()).toBe(1);
      // in French, the script's words in French
      await page.goto(`${url}/admin/plan?lang=fr&instrument=cairnet`);
      await page.click('#plan-check');
      await expect
        .poll(() => page.textContent('#plan-status'))
        .toMatch(/^Le plan est valide : \d+ indicateur\(s\)\.$/);
      expect(errors).toEqual([]);
    });
  },
);
