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
      await addUser(t.store.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin' });
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
      expect(await chartsDrawn(page)).toBeGreaterThanOrEqual(18);
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

    it('offers an admin the publish button for real results only, never for a demonstration', async () => {
      const login = await browser!.context.request.post(`${url}/api/auth/login`, {
        data: { email: 'admin@example.org', password: PASSWORD },
      });
      expect(login.ok()).toBe(true);
      const { page, errors } = await watched();
      await page.goto(`${url}/admin/dashboard?instrument=cairnet-demo&lang=en`);
      // (this test's demonstration was published by the test itself, which the studio never allows)
      await expect
        .poll(() => page.textContent('#publication-state'))
        .toMatch(/^(Published since|Not published)/);
      expect(await page.locator('#publication-toggle').isVisible()).toBe(false);
      await page.goto(`${url}/admin/dashboard?instrument=cairnet&lang=en`);
      await expect.poll(() => page.locator('#publication-toggle').isVisible()).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('shows the public results page without login, with its charts, the synthetic flag, no console error and no serious axe violation', async () => {
      await browser!.context.clearCookies();
      const { page, errors } = await watched();
      await page.goto(`${url}/results/cairnet-demo?lang=en`);
      expect(await chartsDrawn(page)).toBeGreaterThanOrEqual(18);
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
        expect(await chartsDrawn(page)).toBeGreaterThanOrEqual(18);
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

    /** Charts wider than the page or cut at its right edge (none should be), and how many were looked at. */
    async function cutCharts(page: Page): Promise<{ cut: string[]; seen: number }> {
      return page.$$eval('figure.chart svg', (svgs) => {
        const cut = svgs
          .filter((s) => {
            const box = s.getBoundingClientRect();
            return box.left < 0 || box.right > document.documentElement.clientWidth + 0.5;
          })
          .map((s) => s.getAttribute('aria-label') ?? '?');
        return { cut, seen: svgs.length };
      });
    }

    /**
     * Every chart shown, as drawn on the screen: its width, and its smallest text once the
     * browser has shrunk the drawing to the page (font size × drawn width ÷ the drawing's own).
     */
    async function chartSizes(page: Page): Promise<{ name: string; width: number; smallest: number }[]> {
      return page.$$eval('figure.chart svg', (svgs) =>
        svgs
          .filter((s) => s.getBoundingClientRect().width > 0)
          .map((s) => {
            const width = s.getBoundingClientRect().width;
            const own = (s as SVGSVGElement).viewBox.baseVal?.width || width;
            const sizes = [...s.querySelectorAll('text')].map(
              (t) => (Number.parseFloat(getComputedStyle(t).fontSize) * width) / own,
            );
            return { name: s.getAttribute('aria-label') ?? '?', width, smallest: Math.min(...sizes) };
          }),
      );
    }

    it('fits a 390 px phone: the dashboard and the public page with their Likert, age and breakdown charts, none cut', async () => {
      await browser!.context.clearCookies();
      const login = await browser!.context.request.post(`${url}/api/auth/login`, {
        data: { email: 'press@example.org', password: PASSWORD },
      });
      expect(login.ok()).toBe(true);
      const { page, errors } = await watched();
      await page.setViewportSize({ width: 390, height: 844 });
      for (const path of [
        '/admin/dashboard?instrument=cairnet-demo&lang=fr',
        '/admin/dashboard?instrument=cairnet-demo&lang=en',
        '/results/cairnet-demo?lang=fr',
        '/results/cairnet-demo?lang=en',
      ]) {
        await page.goto(`${url}${path}`);
        expect(await chartsDrawn(page), path).toBeGreaterThanOrEqual(18);
        expect({ path, overflow: await overflow(page) }).toEqual({ path, overflow: 0 });
        const { cut, seen } = await cutCharts(page);
        expect(seen).toBeGreaterThanOrEqual(18);
        expect({ path, cut }).toEqual({ path, cut: [] });
        // every chart drawn at most 390 px wide, and shrunk so little that its text stays readable
        // (the breakdowns and the factor map by their narrow variant, labels above the bars)
        const sizes = await chartSizes(page);
        expect(sizes.length).toBeGreaterThanOrEqual(18);
        for (const c of sizes) {
          expect({ path, ...c, width: c.width <= 390 }).toEqual({ path, ...c, width: true });
          expect({ path, ...c, readable: c.smallest >= 10.5 }).toEqual({ path, ...c, readable: true });
        }
        expect(await page.locator('figure.chart svg.chart-phone').first().isVisible()).toBe(true);
        expect(await page.locator('figure.chart svg.chart-full:visible').count()).toBe(0);
        // the Likert item: one diverging bar with the four levels in its legend
        const f14 = page.locator('#ind-F14 figure.chart svg');
        const legend = await f14.textContent();
        for (const level of path.includes('lang=fr')
          ? ['Pas du tout', 'Plutôt pas', 'Plutôt d', 'Tout à fait']
          : ['Strongly disagree', 'Disagree', 'Agree', 'Strongly agree'])
          expect(legend, level).toContain(level);
        // the age gradient drawn once, in F7's section, none in F8's and F9's
        expect(await page.locator('#ind-F7 [data-indicator="F7 F8 F9"] svg').count()).toBe(1);
        expect(await page.locator('#ind-F8 figure.chart, #ind-F9 figure.chart').count()).toBe(0);
        // its labels are whole on the phone: every band's name is in the drawing
        const age = (await page.locator('#ind-F7 svg').first().textContent()) ?? '';
        expect(age).toMatch(/30/);
        expect(age).toMatch(/50/);
        expect(age).toMatch(/55/);
      }
      expect(errors).toEqual([]);
      await page.close();
    });

    it('zooms and pans the network view with its buttons and the keyboard, names legible, no console error', async () => {
      await browser!.context.clearCookies();
      const login = await browser!.context.request.post(`${url}/api/auth/login`, {
        data: { email: 'admin@example.org', password: PASSWORD },
      });
      expect(login.ok()).toBe(true);
      const { page, errors } = await watched();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${url}/admin/associations/network?lang=fr`);
      const svg = page.locator('#network svg');
      const viewBox = () => svg.getAttribute('viewBox').then((v) => v!.split(' ').map(Number));
      const whole = await viewBox();
      // the drawing fills the frame's width
      const [frame, drawing] = await Promise.all([page.locator('#network').boundingBox(), svg.boundingBox()]);
      expect(drawing!.width).toBeGreaterThan(frame!.width - 4);
      await page.getByRole('button', { name: 'Agrandir' }).click();
      const zoomed = await viewBox();
      expect(zoomed[2]).toBeCloseTo(whole[2]! / 1.5, 3);
      await page.locator('#network').focus();
      await page.keyboard.press('ArrowRight');
      expect((await viewBox())[0]).toBeGreaterThan(zoomed[0]!);
      await page.keyboard.press('0');
      expect(await viewBox()).toEqual(whole);
      await page.keyboard.press('+');
      expect((await viewBox())[2]).toBeLessThan(whole[2]!);
      await page.getByRole('button', { name: 'Vue entière' }).click();
      expect(await viewBox()).toEqual(whole);
      // names at least 13 px on screen at the whole view, none overlapping another
      const boxes = await page.$$eval('#network g.names text', (ts) =>
        ts.map((t) => {
          const b = t.getBoundingClientRect();
          return { x0: b.left, y0: b.top, x1: b.right, y1: b.bottom, h: b.height };
        }),
      );
      expect(boxes.length).toBeGreaterThanOrEqual(10);
      for (const [i, a] of boxes.entries()) {
        expect(a.h).toBeGreaterThanOrEqual(11.5);
        for (const b of boxes.slice(i + 1))
          expect(a.x0 < b.x1 - 1 && b.x0 < a.x1 - 1 && a.y0 < b.y1 - 1 && b.y0 < a.y1 - 1).toBe(false);
      }
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      expect(await seriousViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  },
);
