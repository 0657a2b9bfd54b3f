import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPopulation } from '../../src/campaign/population-import.js';
import { buildApp } from '../../src/server/build-app.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { addUser } from '../../src/store/repositories/users.js';
import { startSmtpSink } from '../campaign/smtp-sink.js';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { cairnetSurvey } from '../helpers/cairnet-answers.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';

const skip = browserSkipReason();
const PASSWORD = 'a long enough password';
const PEOPLE = 4;

/**
 * The sending page in Chromium: a round started from the page appears in the list of the latest
 * jobs and is followed there to its end, without a reload, by its labels in the page's language
 * (the live status region saying the same); a failed job shows why, in words.
 */
describe.skipIf(skip !== undefined)(
  `the sending page's list of jobs, live, in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 120_000 },
  () => {
    let t: TestStore;
    let app: FastifyInstance;
    let url = '';
    let browser: TestBrowser | undefined;
    let page: Page;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    let smtpUrl = '';
    const errors: string[] = [];

    beforeAll(async () => {
      t = await openTestStore('sqlite');
      await saveInstrument(t.store.db, 'cairnet', cairnetSurvey());
      await importPopulation(
        t.store.db,
        'cairnet',
        {
          header: ['email', 'language'],
          rows: Array.from({ length: PEOPLE }, (_, i) => ({
            line: i + 2,
            cells: [`p${i}@example.org`, 'fr'],
          })),
        },
        { file: 'people.csv' },
      );
      await addUser(t.store.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin' });
      sink = await startSmtpSink();
      smtpUrl = sink.url;
      app = await buildApp({
        store: t.store,
        mailConfig: () => ({ smtpUrl, from: 'survey@example.org', publicUrl: 'https://e.example.org' }),
        jobWorker: { leaseMs: 5000, pollMs: 100 },
      });
      url = await app.listen({ port: 0, host: '127.0.0.1' });
      browser = await launchBrowser();
      page = await browser.context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
      });
      page.on('response', (r) => {
        if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico')
          errors.push(`${r.status()} ${r.url()}`);
      });
      await page.goto(`${url}/login?lang=en`);
      await page.getByLabel('E-mail').fill('admin@example.org');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/admin/);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await sink?.close();
      await t?.dispose();
    }, 30_000);

    /** The list's rows as a person reads them, cell by cell. */
    const rows = () =>
      page
        .locator('#jobs tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    /** Marks the document: the mark is gone if the page reloads. */
    const mark = () => page.evaluate(() => document.body.setAttribute('data-not-reloaded', 'yes'));
    const notReloaded = () => page.evaluate(() => document.body.getAttribute('data-not-reloaded'));

    it('adds the round started from the page to the list and follows it to its end, in French', async () => {
      await page.goto(`${url}/admin/sending?lang=fr`);
      expect(await page.locator('#jobs').isHidden()).toBe(true);
      expect(await page.locator('#jobs-none').textContent()).toBe('Aucun envoi pour l’instant.');
      await mark();
      // one message a second: the round lasts a few seconds, long enough to be seen running
      await page.getByLabel('Messages par minute (facultatif)').fill('60');
      await page.getByRole('button', { name: 'Lancer l’envoi' }).click();
      await page.locator('#jobs tbody tr').first().waitFor();
      expect(await page.locator('#jobs').isVisible()).toBe(true);
      expect(await page.locator('#jobs-none').isHidden()).toBe(true);
      await expect
        .poll(async () => (await rows())[0]?.slice(2).join(' | '), { timeout: 10_000 })
        .toMatch(new RegExp(`^en cours \\| [1-${PEOPLE - 1}] / ${PEOPLE}$`));
      await expect
        .poll(async () => (await rows())[0]?.slice(1), { timeout: 30_000 })
        .toEqual(['Les invitations', 'terminé', `${PEOPLE} / ${PEOPLE}`]);
      // the time as the server writes it: the team's zone, in French
      const year = String(new Date().getFullYear());
      expect((await rows())[0]?.[0]).toMatch(new RegExp(`^\\d{1,2} [a-zéû.]+ ${year}(,| à) \\d{2}:\\d{2}$`));
      expect(await page.locator('#job-status').getAttribute('role')).toBe('status');
      expect(await page.locator('#job-status').textContent()).toBe(
        `Terminé : ${PEOPLE} envoyés, 0 refusés, 0 incertains (jamais renvoyés d’office).`,
      );
      expect(await rows()).toHaveLength(1);
      expect(await notReloaded()).toBe('yes');
      expect(sink.received).toHaveLength(PEOPLE);
      // the server renders the same row on the next visit
      const live = await rows();
      await page.reload();
      expect(await rows()).toEqual(live);
      expect(errors).toEqual([]);
    });

    it('puts the next round on top, in English, and shows why a round stopped, in words', async () => {
      await page.goto(`${url}/admin/sending?lang=en`);
      await mark();
      await page.getByLabel('A reminder').check();
      await page.getByLabel('Messages a minute (optional)').fill('6000');
      await page.getByRole('button', { name: 'Start sending' }).click();
      await expect
        .poll(async () => (await rows())[0]?.slice(1), { timeout: 30_000 })
        .toEqual(['A reminder', 'done', `${PEOPLE} / ${PEOPLE}`]);
      expect((await rows()).map((r) => r[1])).toEqual(['A reminder', 'The invitations']);
      await page.getByText(`Done: ${PEOPLE} sent, 0 refused, 0 uncertain`).waitFor();

      // The SMTP server goes away: the next reminder stops, and says why.
      await sink.close();
      await page.getByRole('button', { name: 'Start sending' }).click();
      const stopped = 'stopped (the mail server cannot be reached or refused a message)';
      await expect
        .poll(async () => (await rows())[0]?.slice(1), { timeout: 30_000 })
        .toEqual(['A reminder', stopped, `0 / ${PEOPLE}`]);
      expect(await page.locator('#job-status').textContent()).toBe(
        'Stopped: the mail server cannot be reached or refused a message. Nothing was sent twice; start again to continue.',
      );
      expect(await rows()).toHaveLength(3);
      expect(await notReloaded()).toBe('yes');
      // The same list, rendered by the server in French: labels, no code, no English.
      await page.goto(`${url}/admin/sending?lang=fr`);
      expect((await rows()).map((r) => r.slice(1, 3))).toEqual([
        ['Une relance', 'arrêté (le serveur de messagerie est injoignable ou a refusé un message)'],
        ['Une relance', 'terminé'],
        ['Les invitations', 'terminé'],
      ]);
      expect(await page.locator('#jobs').textContent()).not.toMatch(/CAIRNET_|done|stopped|SMTP/);
      expect(errors).toEqual([]);
    });
  },
);
