import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { computeSnapshot } from '../../src/results/compute-snapshot.js';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { publishSnapshot } from '../../src/store/repositories/publications.js';
import { addUser } from '../../src/store/repositories/users.js';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';

const skip = browserSkipReason();
const PASSWORD = 'a long enough password';
const HOSTILE = '<script>window.__x=1</script>';

describe.skipIf(skip !== undefined)(
  `the dashboard and the public results page in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 120_000 },
  () => {
    let t: TestStore;
    let app: FastifyInstance;
    let url = '';
    let browser: TestBrowser | undefined;

    beforeAll(async () => {
      t = await openTestStore('sqlite');
      await ensureCairnetInstrument(t.store);
      await writeDemoPanel(t.store, { respondents: 651, seed: 2013 });
      await addUser(t.store.db, { email: 'press@example.org', password: PASSWORD, role: 'press' });
      app = await buildApp({ store: t.store, openSubmitRate: 0 });
      // Enough respondents cite the hostile name for it to be among the most cited.
      for (let i = 0; i < 25; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/instruments/cairnet/responses',
          payload: { data: { ...ongoingFundedAnswers(), associations: [{ name: HOSTILE }] } },
        });
        expect(res.statusCode, res.body).toBe(201);
      }
      await publishSnapshot(
        t.store.db,
        (await computeSnapshot(t.store, { by: 'test', instrument: 'cairnet-demo' })).snapshot.id,
        null,
        new Date(),
        // the public page's rendering of the synthetic flag: no route or command publishes a demo
        { demonstration: true },
      );
      url = await app.listen({ port: 0, host: '127.0.0.1' });
      browser = await launchBrowser();
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await t?.dispose();
    }, 30_000);

    /**
     * A page that records console errors, uncaught exceptions and failed requests. Chromium asks
     * for /favicon.ico on its own (a 404 here): HTTP failures are checked by URL through the
     * responses instead of the console's "Failed to load resource".
     */
    async function watched(): Promise<{ page: Page; errors: string[] }> {
      const page = await browser!.context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('response', (r) => {
        if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico')
          errors.push(`${r.status()} ${r.url()}`);
      });
      return { page, errors };
    }

    async function seriousViolations(page: Page): Promise<string[]> {
      const result = await new AxeBuilder({ page }).analyze();
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }

    async function chartsDrawn(page: Page): Promise<number> {
      return page.$$eval(
        'figure.chart svg',
        (svgs) =>
          svgs.filter((s) => {
            const box = s.getBoundingClientRect();
            return box.width > 50 && box.height > 20 && s.querySelectorAll('path, rect').length > 0;
          }).length,
      );
    }

    it('draws every chart of the dashboard, shows a script-bearing association name as text, no console error, no serious axe violation', async () => {
      const login = await browser!.context.request.post(`${url}/api/auth/login`, {
        data: { email: 'press@example.org', password: PASSWORD },
      });
      expect(login.ok()).toBe(true);
      const { page, errors } = await watched();
      // the demonstration survey's dashboard (cairnet itself holds only the 25 real responses above)
      await page.goto(`${url}/admin/dashboard?instrument=cairnet-demo`);
      expect(await chartsDrawn(page)).toBeGreaterThanOrEqual(20);
      const cell = page.locator('#most-cited tbody th', { hasText: HOSTILE });
      await cell.first().waitFor();
      expect(await cell.first().textContent()).toBe(HOSTILE);
      expect(await page.evaluate(() => (window as unknown as { __x?: number }).__x)).toBeUndefined();
      expect(await page.locator('#most-cited script').count()).toBe(0);
      await page.locator('#campaign-table tbody tr').first().waitFor();
      expect(await page.locator('#synthetic').isVisible()).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('shows the public results page without login, with its charts, the synthetic flag, no console error and no serious axe violation', async () => {
      await browser!.context.clearCookies();
      const { page, errors } = await watched();
      await page.goto(`${url}/results/cairnet-demo?lang=en`);
      expect(await chartsDrawn(page)).toBeGreaterThanOrEqual(20);
      expect(await page.locator('#synthetic').textContent()).toContain('Synthetic data');
      expect(await seriousViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });

    /** How much wider than the viewport the document is (0 when nothing scrolls sideways). */
    async function overflow(page: Page): Promise<number> {
      return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    }

    it('fits a 390 px phone: the public page in both languages, and the respondent form once its resume link shows', async () => {
      await browser!.context.clearCookies();
      const { page, errors } = await watched();
      await page.setViewportSize({ width: 390, height: 844 });
      for (const lang of ['fr', 'en']) {
        await page.goto(`${url}/results/cairnet-demo?lang=${lang}`);
        expect(await chartsDrawn(page)).toBeGreaterThanOrEqual(20);
        expect({ lang, overflow: await overflow(page) }).toEqual({ lang, overflow: 0 });
      }
      await page.goto(`${url}/s/cairnet`);
      await page
        .getByRole('button', { name: /Suivant|Next/ })
        .first()
        .click();
      await page.locator('#resume a').waitFor();
      expect((await page.locator('#resume a').textContent())?.length).toBeGreaterThan(60); // one long URL
      expect(await overflow(page)).toBe(0);
      // A new respondent has no draft yet: its look-up is a 404 by design.
      expect(errors.filter((e) => !/^404 .*\/drafts\//.test(e))).toEqual([]);
      await page.close();
    });
  },
);
