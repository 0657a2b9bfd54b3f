import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailConfig } from '../../src/campaign/mail-config.js';
import { importPopulation } from '../../src/campaign/population-import.js';
import { sendRound } from '../../src/campaign/send-campaign.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { addUser } from '../../src/store/repositories/users.js';
import { startSmtpSink } from '../campaign/smtp-sink.js';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { type ServerProcess, startServer } from '../helpers/server-process.js';
import {
  COMPLETE,
  eventually,
  expectAccessible,
  fillPage,
  go,
  NEXT,
  PREV,
  pageTitle,
  text,
  titleOf,
} from './survey-driver.js';

const skip = browserSkipReason();
const PASSWORD = 'correct horse battery';
const EMAIL = 'anne.martin@inserm.fr';

/**
 * An invited person in Chromium: opens the personal link of the invitation, answers half, leaves;
 * a reminder is sent (a real SMTP server on 127.0.0.1); the reminder's link brings them back to
 * their answers, and they complete. Then the survey team's campaign page shows it, and the press
 * office finds them (they agreed to be contacted) and relays a request.
 */
describe.skipIf(skip !== undefined)(
  `an invitation, a reminder and the campaign pages in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 120_000 },
  () => {
    let dir = '';
    let server: ServerProcess | undefined;
    let browser: TestBrowser | undefined;
    let store: Store | undefined;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    let config: MailConfig;
    const errors: string[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cairnet-e2e-invitation-'));
      const db = join(dir, 'cairnet.db');
      sink = await startSmtpSink();
      const from = 'Enquête Cairnet <cairnet@inserm.fr>';
      const started = await Promise.allSettled([
        startServer(['--db', db, '--no-demo'], {
          CAIRNET_SMTP_URL: sink.url,
          CAIRNET_MAIL_FROM: from,
          // The server's own links (press answers) are not followed here.
          CAIRNET_PUBLIC_URL: 'http://127.0.0.1',
        }).then((s) => {
          server = s;
        }),
        launchBrowser().then((b) => {
          browser = b;
        }),
      ]);
      for (const r of started) if (r.status === 'rejected') throw r.reason;
      // The survey team's side runs in this process, on the same database.
      store = await openStore({ db, synchronous: 'NORMAL' });
      config = { smtpUrl: sink.url, from, publicUrl: server!.url.replace(/\/$/, '') };
      await importPopulation(
        store.db,
        'cairnet',
        {
          header: ['email', 'name', 'language', 'unit'],
          rows: [
            { line: 2, cells: [EMAIL, 'Anne Martin', 'fr', 'U1001'] },
            { line: 3, cells: ['bob.smith@inserm.fr', 'Bob Smith', 'en', 'U1002'] },
          ],
        },
        { file: 'population.csv' },
      );
      for (const role of ['analyst', 'press'] as const)
        await addUser(store.db, { email: `${role}@inserm.fr`, password: PASSWORD, role });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await store?.close();
      await sink?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }, 30_000);

    async function newPage(): Promise<Page> {
      const page = await browser!.context.newPage();
      // A resume link without a draft yet answers 404 (as does /favicon.ico): expected, so HTTP
      // errors are checked by URL below rather than through the console's "Failed to load".
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
      });
      page.on('response', (r) => {
        const url = new URL(r.url());
        if (r.status() >= 400 && !url.pathname.includes('/drafts/') && url.pathname !== '/favicon.ico')
          errors.push(`${r.status()} ${url.pathname}`);
      });
      page.on('pageerror', (e) => errors.push(e.message));
      return page;
    }

    const linkIn = (mail: { text: string }) =>
      /https?:\/\/\S+\/i\/[A-Za-z0-9_-]{22,128}/.exec(mail.text)?.[0];
    const answers = ongoingFundedAnswers();

    /**
     * Answers a page and moves on. On a loaded machine the shared driver sometimes leaves a
     * required answer unset (seen with a dropdown); the page then refuses to move on and names
     * the question, so answer the page again once, as a person would, before failing.
     */
    async function fillAndGo(page: Page, pageName: string, button = NEXT): Promise<void> {
      await fillPage(page, pageName, answers, 'fr');
      try {
        await go(page, button);
      } catch (e) {
        const missing = await page
          .locator('.sd-question:has(.sd-question__erbox:not(:empty))')
          .evaluateAll((els) => els.map((el) => el.getAttribute('data-name')));
        console.warn(`${pageName}: answering again (${missing.join(', ')}): ${(e as Error).message}`);
        await fillPage(page, pageName, answers, 'fr');
        await go(page, button);
      }
    }

    it('resumes the answers begun from the invitation through the reminder’s link, then completes', async () => {
      const sent = await sendRound(store!.db, 'cairnet', {
        kind: 'invitation',
        config,
        ratePerMinute: 60_000,
      });
      expect(sent.sent).toBe(2);
      const invitation = linkIn(sink.to(EMAIL)[0]!)!;
      expect(invitation).toBeDefined();

      // The invitation's link opens the questionnaire in French; answer the first half, leave.
      let page = await newPage();
      await page.goto(invitation);
      expect(page.url()).toMatch(/\/s\/cairnet\?resume=[A-Za-z0-9_-]+&lang=fr$/);
      await page.getByRole('button', { name: NEXT }).waitFor();
      await go(page, NEXT);
      await fillAndGo(page, 'about_you');
      await fillAndGo(page, 'contacts');
      await eventually(() => text(pageTitle(page))).toBe(titleOf('funding_page', 'fr'));
      await page.close();

      // A reminder goes to both (neither completed), each with a new link.
      const reminded = await sendRound(store!.db, 'cairnet', {
        kind: 'reminder',
        config,
        ratePerMinute: 60_000,
      });
      expect(reminded.sent).toBe(2);
      const mails = sink.to(EMAIL);
      expect(mails).toHaveLength(2);
      expect(mails[1]!.subject).toMatch(/^Rappel/);
      const reminder = linkIn(mails[1]!)!;
      expect(reminder).not.toBe(invitation);

      // Back through the reminder: the page where they left, with their answers.
      page = await newPage();
      await page.goto(reminder);
      const resumeToken = /\/i\/([A-Za-z0-9_-]+)$/.exec(reminder)![1]!;
      expect(page.url()).toContain(`resume=${resumeToken}`);
      await eventually(() => text(pageTitle(page))).toBe(titleOf('funding_page', 'fr'));
      await go(page, PREV);
      await eventually(() => text(pageTitle(page))).toBe(titleOf('contacts', 'fr'));
      expect(
        await page.locator('.sd-question[data-name="relation"] input[value="ongoing"]').isChecked(),
      ).toBe(true);
      const names = page.locator(
        '.sd-question[data-name="associations"] .sd-question[data-name="name"] input',
      );
      await eventually(() => names.count()).toBe(3);
      await go(page, PREV);
      await eventually(() => text(pageTitle(page))).toBe(titleOf('about_you', 'fr'));
      expect(await page.locator('.sd-question[data-name="field"] .sd-dropdown__value').textContent()).toMatch(
        /Neurosciences/i,
      );
      await go(page, NEXT);
      await go(page, NEXT);

      for (const p of ['funding_page', 'activities_page', 'benefit_page', 'opinions'])
        await fillAndGo(page, p);
      await fillPage(page, 'afterwards', answers, 'fr');
      const stored = page.waitForResponse(
        (r) => r.url().endsWith('/responses') && r.request().method() === 'POST',
      );
      await page.getByRole('button', { name: COMPLETE }).click();
      expect((await stored).status()).toBe(201);
      await page.getByText('Merci de votre participation.').waitFor({ state: 'visible' });
      await page.close();

      // One response, tied to Anne's pseudonym, holding the answers from both visits.
      const responses = await store!.db.selectFrom('responses').selectAll().execute();
      expect(responses).toHaveLength(1);
      const person = await store!.db
        .selectFrom('campaign_people')
        .selectAll()
        .where('email', '=', EMAIL)
        .executeTakeFirstOrThrow();
      expect(responses[0]!.invitation_id).toBe(person.pseudonym);
      expect(JSON.parse(responses[0]!.data)).toEqual(answers);
      expect(Number(person.completed)).toBe(1);
      // The server's sender thanks them, once, in French, in the survey's words.
      await eventually(() => sink.to(EMAIL).length).toBe(3);
      expect(sink.to(EMAIL)[2]!.subject).toBe("Merci de votre réponse à l'enquête Cairnet");
      expect(sink.to(EMAIL)[2]!.text).toMatch(/^Bonjour Anne Martin,/);
      // The old invitation link now says "already answered".
      page = await newPage();
      await page.goto(invitation);
      await page.getByText('Vous avez déjà répondu').waitFor();
      await page.close();
    });

    /** A row's cells as a person reads them: separated by spaces. */
    const rowText = async (loc: ReturnType<Page['locator']>) =>
      (await loc.locator('th, td').allTextContents()).map((c) => c.replace(/\s+/g, ' ').trim()).join(' ');

    async function logIn(role: 'analyst' | 'press', next: string): Promise<Page> {
      const page = await newPage();
      await page.goto(`${server!.url}/login?lang=en&next=${encodeURIComponent(next)}`);
      await page.getByLabel('E-mail').fill(`${role}@inserm.fr`);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((u) => u.pathname + u.search === next);
      return page;
    }

    it('shows the campaign’s progress by stratum and per day on /admin/campaign', async () => {
      const page = await logIn('analyst', '/admin/campaign?lang=en');
      const totals = page.locator('#totals tbody');
      await eventually(() => rowText(totals.locator('tr').filter({ hasText: 'Completed' }))).toMatch(
        /^Completed 1 50\.0 %/,
      );
      expect(await rowText(totals.locator('tr').filter({ hasText: 'Invited' }))).toMatch(/^Invited 2 /);
      const unit = page
        .locator('table.stratum')
        .filter({ has: page.locator('caption', { hasText: 'Unit' }) });
      expect(await rowText(unit.locator('tr').filter({ hasText: 'U1001' }))).toMatch(
        /^U1001 1 1 1 1 1 100\.0 %/,
      );
      expect(await rowText(unit.locator('tr').filter({ hasText: 'U1002' }))).toMatch(
        /^U1002 1 1 0 0 0 0\.0 %/,
      );
      // Days are shown as dates in the page's language (counted in UTC), not ISO codes.
      const today = new Date().toLocaleDateString('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
      expect(await rowText(page.locator('#days tbody tr').first())).toBe(`${today} 2 1 1 1`);
      expect(await page.content()).not.toContain(EMAIL);
      await expectAccessible(page, 'the campaign page');
      await page.close();
    });

    it('lets the press office find the respondent by association and relay a request, without an address', async () => {
      const page = await logIn('press', '/admin/press?lang=en');
      await page.getByLabel('Associations cited').fill('muco');
      await page.getByRole('button', { name: 'Search' }).click();
      await eventually(() => text(page.locator('#search-status'))).toBe('1 respondent(s) found.');
      const row = page.locator('#contacts tbody tr').first();
      expect(await text(row)).toContain('vaincre la muco');
      await row.getByRole('button', { name: /^Write to R-/ }).click();
      await page
        .getByLabel('Message to the respondent')
        .fill('Bonjour, pourrions-nous parler de vos travaux ?');
      await page.getByRole('button', { name: 'Send the request' }).click();
      await eventually(() => text(page.locator('#request-status'))).toMatch(/^Request sent to R-/);
      await eventually(() => sink.to(EMAIL).length).toBe(4);
      expect(sink.to(EMAIL)[3]!.text).toContain('> Bonjour, pourrions-nous parler de vos travaux ?');
      await eventually(() => page.locator('#requests tbody tr').count()).toBe(1);
      expect(await page.content()).not.toContain(EMAIL);
      expect(await page.content()).not.toContain('Anne');
      expect(sink.to('press@inserm.fr')).toHaveLength(0);
      await expectAccessible(page, 'the press page');
      await page.close();
    });

    it('lets the researcher accept from the e-mail’s link, which sends their address to the press officer', async () => {
      const token = /\/press\/answer\/([A-Za-z0-9_-]{22,128})/.exec(sink.to(EMAIL)[3]!.text)![1]!;
      const page = await newPage();
      await page.goto(`${server!.url}/press/answer/${token}`);
      await page.getByText('pourrions-nous parler de vos travaux').waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
      await expectAccessible(page, 'the answer page');
      await page.getByRole('button', { name: /^Accepter/ }).click();
      await page.getByText('votre adresse a été transmise').waitFor();
      await eventually(() => sink.to('press@inserm.fr').length).toBe(1);
      expect(sink.to('press@inserm.fr')[0]!.text).toContain(EMAIL);
      await page.close();
    });

    it('ran every page without a script error or a CSP violation', () => {
      expect(errors).toEqual([]);
    });
  },
);
