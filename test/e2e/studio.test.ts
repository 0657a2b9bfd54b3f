import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { buildApp } from '../../src/server/build-app.js';
import { issueOneTimeToken } from '../../src/store/repositories/team.js';
import { startSmtpSink } from '../campaign/smtp-sink.js';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';

const skip = browserSkipReason();
const PASSWORD = 'a long enough password';
const FIXTURES = join(import.meta.dirname, '../fixtures/imports');
const SHOTS = process.env.CAIRNET_SCREENSHOTS;

describe.skipIf(skip !== undefined)(
  `the studio's pages in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 300_000 },
  () => {
    let t: TestStore;
    let app: FastifyInstance;
    let url = '';
    let browser: TestBrowser | undefined;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    const dir = mkdtempSync(join(tmpdir(), 'cairnet-studio-'));

    beforeAll(async () => {
      t = await openTestStore('sqlite');
      // the demonstration survey: responses to browse, and results the publishing page refuses
      await writeDemoPanel(t.store, { respondents: 40, seed: 11 });
      sink = await startSmtpSink();
      app = await buildApp({
        store: t.store,
        mailConfig: () => ({
          smtpUrl: sink.url,
          from: 'cairnet@inserm.fr',
          publicUrl: 'https://e.example.org',
        }),
        jobWorker: { leaseMs: 5000, pollMs: 100 },
      });
      url = await app.listen({ port: 0, host: '127.0.0.1' });
      browser = await launchBrowser();
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await sink?.close();
      await t?.dispose();
    }, 30_000);

    async function watched(): Promise<{ page: Page; errors: string[] }> {
      const page = await browser!.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
      });
      page.on('response', (r) => {
        if (r.status() >= 500) errors.push(`${r.status()} ${r.url()}`);
      });
      return { page, errors };
    }
    async function serious(page: Page): Promise<string[]> {
      const result = await new AxeBuilder({ page }).analyze();
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
    async function shoot(page: Page, name: string) {
      if (!SHOTS) return;
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.screenshot({ path: `${SHOTS}-${name}-${width}.png`, fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    }

    it('sets up the first admin, adds a colleague, uploads a questionnaire and a population, sends the invitations with live progress, closes the campaign and reads the audit log — pages only', async () => {
      const { page, errors } = await watched();
      // First admin, from the one-time link the server prints.
      const { token } = await issueOneTimeToken(t.store.db, 'setup', null);
      await page.goto(`${url}/setup/${token}?lang=en`);
      await page.getByLabel('E-mail address').fill('first@example.org');
      await page.getByLabel('Password (at least 10 characters)').fill(PASSWORD);
      await page.getByLabel('Password, again').fill(PASSWORD);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Done. You can now log in.').waitFor();
      await page.getByRole('link', { name: 'Log in' }).click();
      await page.getByLabel('E-mail').fill('first@example.org');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/admin/);

      // The team: add a colleague without a password; a one-time link is shown.
      await page.goto(`${url}/admin/team?lang=en`);
      expect(await serious(page)).toEqual([]);
      await page.locator('#new-email').fill('colleague@example.org');
      await page.locator('#new-role').selectOption('analyst');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByText('One-time link to pass on:').waitFor();
      expect(await page.locator('#team tbody tr').count()).toBe(2);
      await shoot(page, 'team');

      // A questionnaire: the import report first, stored on confirmation.
      await page.goto(`${url}/admin/questionnaires?lang=en`);
      expect(await serious(page)).toEqual([]);
      await page.locator('#q-file').setInputFiles(join(FIXTURES, 'researchers.xlsx'));
      await page.locator('#q-name').fill('cairnet');
      await page.getByRole('button', { name: 'Check' }).click();
      await page.locator('#q-report h3').waitFor();
      expect(await page.locator('#q-report').textContent()).toMatch(/Not carried over \([1-9]/);
      expect(
        await t.store.db.selectFrom('instruments').select('id').where('name', '=', 'cairnet').execute(),
      ).toHaveLength(0);
      await shoot(page, 'questionnaires');
      await page.getByRole('button', { name: 'Store this version' }).click();
      await page.getByText('Stored: version 1 (cairnet)').waitFor();

      // Its versions, the live one, a preview as a respondent (nothing sent), the XLSForm download.
      await page.goto(`${url}/admin/versions?lang=en&instrument=cairnet`);
      await page.getByText('First version.').waitFor();
      expect(await page.locator('.badge').textContent()).toBe('live');
      expect(await serious(page)).toEqual([]);
      await shoot(page, 'versions');
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: 'Download as XLSForm' }).click();
      expect((await download).suggestedFilename()).toBe('cairnet-v1.xlsx');
      const posts: string[] = [];
      page.on('request', (r) => {
        if (r.method() !== 'GET') posts.push(`${r.method()} ${r.url()}`);
      });
      await page
        .getByRole('link', { name: /^Preview as a respondent/ })
        .first()
        .click();
      await page.waitForURL(/\/preview\?/);
      await page.getByText('Nothing you enter is stored or sent.').waitFor();
      await page.locator('#preview .sd-question').first().waitFor();
      expect(await serious(page)).toEqual([]);
      await shoot(page, 'preview');
      for (let i = 0; i < 30; i++) {
        const complete = page.locator(
          '#preview input[value="Complete"], #preview button:has-text("Complete")',
        );
        if (await complete.count()) break;
        const next = page.locator('#preview input[value="Next"], #preview button:has-text("Next")');
        if (!(await next.count())) break;
        await next.first().click();
      }
      expect(posts).toEqual([]);

      // A population whose columns are not named as Cairnet expects: map them in the page.
      const csv = join(dir, 'people.csv');
      writeFileSync(
        csv,
        `Adresse;Personne;Équipe\n${Array.from({ length: 12 }, (_, i) => `p${i}@inserm.fr;P ${i};U${i % 3}`).join('\n')}\n`,
      );
      await page.goto(`${url}/admin/population?lang=en`);
      expect(await serious(page)).toEqual([]);
      await page.locator('#p-file').setInputFiles(csv);
      await page.getByRole('button', { name: 'Check' }).click();
      await page.locator('#p-message.error').waitFor();
      expect(await page.locator('#p-message').textContent()).toMatch(/No column is mapped to "email"/);
      await page.getByLabel('Field: Adresse').selectOption('email');
      await page.getByLabel('Field: Personne').selectOption('name');
      await page.getByLabel('Field: Équipe').selectOption('unit');
      await page.getByRole('button', { name: 'Check with these fields' }).click();
      await page.getByText('Added 12, updated 0, unchanged 0').waitFor();
      expect(await serious(page)).toEqual([]);
      await shoot(page, 'population');
      expect(await t.store.db.selectFrom('campaign_people').select('id').execute()).toHaveLength(0);
      await page.getByRole('button', { name: 'Store the population' }).click();
      await page.getByText('Stored.').waitFor();
      expect(await t.store.db.selectFrom('campaign_people').select('id').execute()).toHaveLength(12);

      // The survey's message texts: a placeholder that does not exist is refused, a good text stored.
      await page.goto(`${url}/admin/campaign/messages?lang=en&instrument=cairnet`);
      expect(await serious(page)).toEqual([]);
      const subject = page.locator('#fr-invitation-subject');
      await subject.fill('Enquête : répondez avant le {{date_limite}}');
      await page.locator('form[data-language="fr"] button[type="submit"]').click();
      await page.getByText(/Unknown placeholder \{\{date_limite\}\}/).waitFor();
      await subject.fill('Enquête : répondez avant le {{deadline}}');
      await page.locator('#fr-deadline').fill('30 juin');
      await page.locator('form[data-language="fr"] button[type="submit"]').click();
      await page.getByText('Saved.').waitFor();
      await page.locator('form[data-language="fr"] [data-action="preview"]').click();
      await page.getByText('Subject: Enquête : répondez avant le 30 juin').waitFor();
      await shoot(page, 'messages');

      // The invitations, sent by the server's worker, followed live.
      await page.goto(`${url}/admin/sending?lang=en`);
      expect(await serious(page)).toEqual([]);
      await page.getByLabel('Messages a minute (optional)').fill('600');
      await page.getByRole('button', { name: 'Start sending' }).click();
      await page.getByText(/^Sending: \d+ of 12/).waitFor();
      await page.getByText('Done: 12 sent, 0 refused, 0 uncertain').waitFor({ timeout: 60_000 });
      expect(await page.locator('#job-progress').evaluate((p) => (p as HTMLProgressElement).value)).toBe(12);
      expect(sink.received).toHaveLength(12);
      expect(new Set(sink.received.flatMap((m) => m.to)).size).toBe(12);
      await shoot(page, 'sending');
      await page.getByRole('button', { name: 'Close the campaign' }).click();
      await page.getByText('The campaign has been closed since').waitFor();
      expect(await page.getByRole('button', { name: 'Start sending' }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: 'Reopen the campaign' }).click();
      await page.getByText('The campaign is open.').waitFor();

      // The audit log, filtered, in French.
      await page.goto(`${url}/admin/audit-log?lang=fr&action=users`);
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      expect(await page.locator('main table tbody tr').count()).toBe(2); // users.setup, users.add
      expect(await serious(page)).toEqual([]);
      await shoot(page, 'audit');
      await page.goto(`${url}/admin/audit-log?lang=en&action=campaign`);
      expect(await page.locator('main table tbody tr').count()).toBe(3); // campaign.messages, .close, .reopen

      // Home, campaign progress, associations, press, the responses (searched, one opened) and publishing, in both languages.
      for (const lang of ['fr', 'en'] as const) {
        for (const path of [
          '/admin',
          '/admin/campaign',
          '/admin/associations',
          '/admin/press',
          // last: the search below is on it
          '/admin/responses',
        ]) {
          await page.goto(`${url}${path}?lang=${lang}`);
          expect(await page.locator('html').getAttribute('lang')).toBe(lang);
          expect(await serious(page), `${path} ${lang}`).toEqual([]);
          if (lang === 'en') await shoot(page, path.slice(1).replaceAll('/', '-'));
        }
      }
      await page.getByLabel('Search (id or the text of an answer)').fill('zzz-no-such-answer');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByText('0 response(s).').waitFor();
      await page.goto(`${url}/admin/responses?lang=en`);
      await page.getByText('40 response(s).').waitFor();
      await page.locator('#responses tbody a').first().click();
      await page.waitForURL(/\/admin\/responses\/[^/?]+\?lang=en/);
      await page.getByText('Synthetic data (demonstration panel)').waitFor();
      expect(await serious(page)).toEqual([]);
      await shoot(page, 'response');
      await page.goto(`${url}/admin/publish?lang=en&instrument=cairnet-demo`);
      await page.getByText('What to know before publishing').waitFor();
      await page.getByText(/CAIRNET_RESULTS_SYNTHETIC_REFUSED/).waitFor();
      expect(await page.getByRole('button', { name: 'Publish' }).count()).toBe(0);
      await page.getByText('Preview of the public page').waitFor();
      expect(await serious(page)).toEqual([]);
      await shoot(page, 'publish');
      expect(errors).toEqual([]);
      await page.close();
    });

    it('reaches every studio page and its controls with the keyboard alone', async () => {
      const { page } = await watched();
      await page.goto(`${url}/login?lang=en`);
      await page.getByLabel('E-mail').fill('first@example.org');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/admin/);
      await page.goto(`${url}/admin/team?lang=en`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      // Through the header and the navigation to the Sending link, then follow it.
      let reached = false;
      for (let i = 0; i < 20 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = (await page.evaluate(() => document.activeElement?.textContent)) === 'Sending';
      }
      expect(reached).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin\/sending/);
      // The versions page: to a preview link, and into the preview.
      await page.goto(`${url}/admin/versions?lang=en`);
      reached = false;
      for (let i = 0; i < 40 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = Boolean(
          await page.evaluate(() =>
            document.activeElement?.textContent?.startsWith('Preview as a respondent'),
          ),
        );
      }
      expect(reached).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/preview\?/);
      await page.close();
    });
  },
);
