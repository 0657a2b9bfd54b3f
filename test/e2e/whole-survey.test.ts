import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../campaign/smtp-sink.js';
import { buildXlsform, type XlsformSheets } from '../fixtures/imports/xlsform-builder.js';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { type ServerProcess, startServer } from '../helpers/server-process.js';

const skip = browserSkipReason();
const ADMIN = 'first@example.org';
const COLLEAGUE = 'colleague@example.org';
const PASSWORD = 'a long enough password';
const SHOTS = process.env.CAIRNET_SCREENSHOTS;
const ASSOCIATION = 'Les Petits Bourdons';

/**
 * A survey of our own (not Cairnet's): a department, an opinion, and the associations one works
 * with as a repeat of free-text names (`associations[].name`, what the names review reads).
 */
const FR = 'label::French (fr)';
const EN = 'label::English (en)';
const FORM: XlsformSheets = {
  survey: [
    ['type', 'name', FR, EN, 'required'],
    ['select_one unit', 'unit', 'Votre service', 'Your department', 'yes'],
    ['select_one agree', 'op_team', 'Mon équipe m’aide', 'My team helps me', 'yes'],
    [
      'begin repeat',
      'associations',
      'Les associations avec qui vous travaillez',
      'Associations you work with',
    ],
    ['text', 'name', 'Nom de l’association', 'Name of the association'],
    ['end repeat', ''],
  ],
  choices: [
    ['list_name', 'name', FR, EN],
    ['unit', 'lab', 'Laboratoire', 'Laboratory'],
    ['unit', 'admin', 'Administration', 'Administration'],
    ['agree', 'disagree', 'Pas d’accord', 'Disagree'],
    ['agree', 'agree', 'D’accord', 'Agree'],
  ],
  settings: [
    ['form_title', 'form_id', 'default_language'],
    ['Enquête du personnel et des associations', 'staff_assoc', 'French (fr)'],
  ],
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The whole life of a survey through the pages only, as the survey team and two respondents
 * would live it: `cairnet serve` on an empty SQLite store (it prints the first admin's one-time
 * link), a real SMTP server on 127.0.0.1 as the respondents' mailbox, Chromium for every step.
 * No CLI, no API call from the test: what the test reads besides the pages is the server's
 * output (the setup link), the mailbox (the personal links) and the downloaded files.
 */
describe.skipIf(skip !== undefined)(
  `a whole survey through the pages in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 300_000 },
  () => {
    let dir = '';
    let server: ServerProcess | undefined;
    let browser: TestBrowser | undefined;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    let url = '';
    let page: Page;
    const errors: string[] = [];
    const people = ['ana@inserm.fr', 'bob@inserm.fr', 'chloe@inserm.fr'];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cairnet-whole-survey-'));
      sink = await startSmtpSink();
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      const started = await Promise.allSettled([
        // the last --port wins over the helper's `--port 0`: the public URL is known beforehand
        startServer(['--port', String(port), '--host', '127.0.0.1', '--db', join(dir, 'c.db'), '--no-demo'], {
          CAIRNET_SMTP_URL: sink.url,
          CAIRNET_MAIL_FROM: 'Enquête <enquete@inserm.fr>',
          CAIRNET_PUBLIC_URL: url,
        }).then((s) => {
          server = s;
        }),
        launchBrowser().then((b) => {
          browser = b;
        }),
      ]);
      for (const r of started) if (r.status === 'rejected') throw r.reason;
      page = await browser!.context.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
      });
      page.on('response', (r) => {
        // a page's own refusals (4xx) are shown in the page and checked there; no server error
        if (r.status() >= 500) errors.push(`${r.status()} ${new URL(r.url()).pathname}`);
      });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await sink?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }, 30_000);

    async function serious(where: string): Promise<void> {
      const result = await new AxeBuilder({ page }).analyze();
      const found = result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(found, `axe on ${where}`).toEqual([]);
    }
    async function shoot(name: string): Promise<void> {
      if (SHOTS) await page.screenshot({ path: `${SHOTS}-whole-${name}.png`, fullPage: true });
    }
    /**
     * Presses Tab (or Shift+Tab) from where the focus is until `target` has it: the keyboard
     * reaches it.
     */
    async function tabTo(target: Locator, where: string, key = 'Tab', max = 80): Promise<void> {
      for (let i = 0; i < max; i++) {
        if (await target.evaluate((el) => el === document.activeElement)) return;
        await page.keyboard.press(key);
      }
      throw new Error(`the keyboard does not reach ${target} on ${where} in ${max} presses of ${key}`);
    }
    /** Opens a studio page from the navigation, with the keyboard, as a person would. */
    async function navigate(link: string, expected: RegExp): Promise<void> {
      // from the top of a fresh page forwards, else back up from the control last used
      const fresh = await page.evaluate(() => document.activeElement === document.body);
      const target = page.locator('nav a', { hasText: new RegExp(`^${link}$`) });
      await tabTo(target, `the link ${link}`, fresh ? 'Tab' : 'Shift+Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(expected);
      await page.locator('main').waitFor();
    }
    /** Shows `survey` on a page that has a survey chooser (the server ships Cairnet's too). */
    async function choose(survey: string): Promise<void> {
      const select = page.locator('main select[name="instrument"]').first();
      await select.selectOption(survey);
      await select.locator('xpath=ancestor::form').getByRole('button', { name: 'Show' }).click();
      await page.waitForURL(new RegExp(`instrument=${survey}`));
    }
    async function logIn(email: string): Promise<void> {
      await page.goto(`${url}/login?lang=en`);
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/admin/);
    }
    async function logOut(): Promise<void> {
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(/\/login|\/$/);
    }
    const linkIn = (text: string) => /https?:\/\/\S+\/i\/[A-Za-z0-9_-]{22,128}/.exec(text)?.[0];

    /** A respondent answers from a personal link, naming one association, and completes. */
    async function answer(link: string, association: string): Promise<void> {
      const respondent = await browser!.context.newPage();
      respondent.on('pageerror', (e) => errors.push(e.message));
      await respondent.goto(link);
      expect(respondent.url()).toMatch(/\/s\/staff\?resume=[A-Za-z0-9_-]+/);
      const q = (name: string) => respondent.locator(`.sd-question[data-name="${name}"]`);
      await q('unit').getByText('Laboratoire', { exact: true }).click();
      await q('op_team').getByText('D’accord', { exact: true }).click();
      await q('associations').locator('.sd-question[data-name="name"] input').fill(association);
      const stored = respondent.waitForResponse(
        (r) => r.url().endsWith('/responses') && r.request().method() === 'POST',
      );
      await respondent.getByRole('button', { name: /^(Terminer|Complete)$/ }).click();
      expect((await stored).status()).toBe(201);
      await respondent.close();
    }

    it('runs a survey from the first admin to the published results and the downloads', async () => {
      // 1. First admin, from the one-time link the server printed on its empty store.
      const setup = new RegExp(`${url}/setup/[A-Za-z0-9_-]+`).exec(server!.log())?.[0];
      expect(setup, server!.log()).toBeDefined();
      await page.goto(`${setup}?lang=en`);
      await page.getByLabel('E-mail address').fill(ADMIN);
      await page.getByLabel('Password (at least 10 characters)').fill(PASSWORD);
      await page.getByLabel('Password, again').fill(PASSWORD);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Done. You can now log in.').waitFor();
      await page.getByRole('link', { name: 'Log in' }).click();
      await page.getByLabel('E-mail').fill(ADMIN);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/admin/);
      await page.goto(`${url}/admin?lang=en`);
      await serious('the home page (empty)');

      // 2. A colleague, who will review the association names: a one-time link to pass on.
      await navigate('Team', /\/admin\/team/);
      await serious('the team page');
      await tabTo(page.locator('#new-email'), 'the team page');
      await page.keyboard.type(COLLEAGUE);
      await page.locator('#new-role').selectOption('reviewer');
      await tabTo(page.getByRole('button', { name: 'Add', exact: true }), 'the team page');
      await page.keyboard.press('Enter');
      await page.getByText('One-time link to pass on:').waitFor();
      const colleagueLink = /https?:\/\/\S+\/account\/reset\/[A-Za-z0-9_-]+/.exec(
        (await page.locator('main').textContent()) ?? '',
      )?.[0];
      expect(colleagueLink).toBeDefined();
      await shoot('team');

      // 3. Our questionnaire: the import report, stored on confirmation, then previewed.
      const xlsx = join(dir, 'staff-associations.xlsx');
      writeFileSync(xlsx, await buildXlsform(FORM));
      await navigate('Questionnaires', /\/admin\/questionnaires/);
      await serious('the questionnaires page');
      await tabTo(page.locator('#q-file'), 'the questionnaires page');
      await page.locator('#q-file').setInputFiles(xlsx);
      await page.locator('#q-name').fill('staff');
      await tabTo(page.getByRole('button', { name: 'Check' }), 'the questionnaires page');
      await page.keyboard.press('Enter');
      await page.locator('#q-report h3').waitFor();
      await serious('the import report');
      const reloaded = page.waitForEvent('load'); // the page shows the new version in its list
      await page.getByRole('button', { name: 'Store this version' }).click();
      await page.getByText('Stored: version 1 (staff)').waitFor();
      await reloaded;
      await navigate('Versions', /\/admin\/versions/);
      await choose('staff');
      await page.getByText('First version.').waitFor();
      await serious('the versions page');
      await tabTo(page.getByRole('link', { name: /^Preview as a respondent/ }).first(), 'the versions page');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/preview\?/);
      await page.getByText('Nothing you enter is stored or sent.').waitFor();
      await page.locator('#preview .sd-question').first().waitFor();
      expect(await page.locator('#preview').textContent()).toContain('Your department');
      await serious('the preview');
      await shoot('preview');

      // 4. The population, its columns mapped in the page.
      const csv = join(dir, 'people.csv');
      writeFileSync(
        csv,
        `Adresse;Personne;Équipe\n${people.map((p, i) => `${p};Personne ${i};U${i}`).join('\n')}\n`,
      );
      await page.goto(`${url}/admin?lang=en`);
      await navigate('Population', /\/admin\/population/);
      await serious('the population page');
      await tabTo(page.locator('#p-file'), 'the population page');
      await page.locator('#p-file').setInputFiles(csv);
      await page.locator('#p-instrument').selectOption('staff');
      await page.getByRole('button', { name: 'Check' }).click();
      await page.locator('#p-message.error').waitFor();
      await page.getByLabel('Field: Adresse').selectOption('email');
      await page.getByLabel('Field: Personne').selectOption('name');
      await page.getByLabel('Field: Équipe').selectOption('unit');
      await page.getByRole('button', { name: 'Check with these fields' }).click();
      await page.getByText('Added 3, updated 0, unchanged 0').waitFor();
      await serious('the population check report');
      await page.getByRole('button', { name: 'Store the population' }).click();
      await page.getByText('Stored.').waitFor();
      await shoot('population');

      // 5. The invitation's text, edited, saved and previewed.
      await navigate('Messages', /\/admin\/campaign\/messages/);
      await choose('staff');
      await serious('the messages page');
      const subject = page.locator('#fr-invitation-subject');
      await tabTo(subject, 'the messages page');
      await subject.fill('Enquête du personnel : répondez avant le {{deadline}}');
      await page.locator('#fr-deadline').fill('30 juin');
      await page.locator('form[data-language="fr"] button[type="submit"]').click();
      await page.getByText('Saved.').waitFor();
      await page.locator('form[data-language="fr"] [data-action="preview"]').click();
      await page.getByText('Subject: Enquête du personnel : répondez avant le 30 juin').waitFor();
      await shoot('messages');

      // 6. The invitations, sent by the server's worker to the SMTP server, followed live.
      await navigate('Sending', /\/admin\/sending/);
      await choose('staff');
      await serious('the sending page');
      await page.getByLabel('Messages a minute (optional)').fill('60');
      await tabTo(page.getByRole('button', { name: 'Start sending' }), 'the sending page');
      await page.keyboard.press('Enter');
      await page.getByText(/^Sending: \d+ of 3/).waitFor();
      await page.getByText('Done: 3 sent, 0 refused, 0 uncertain').waitFor({ timeout: 60_000 });
      await serious('the sending page, after a round');
      await shoot('sending');
      expect(sink.received).toHaveLength(3);
      for (const p of people) {
        expect(sink.to(p)).toHaveLength(1);
        expect(sink.to(p)[0]!.subject).toBe('Enquête du personnel : répondez avant le 30 juin');
      }

      // 7. Ana answers from her invitation; the server thanks her (in French, her language).
      await answer(linkIn(sink.to(people[0]!)[0]!.text)!, ASSOCIATION);
      await expect.poll(() => sink.to(people[0]!).length, { timeout: 15_000 }).toBe(2);
      expect(sink.to(people[0]!)[1]!.subject).toBe('Merci de votre réponse');

      // 8. A reminder round: only Bob and Chloé, who have not answered; Bob answers from it.
      await page.reload();
      await page.getByLabel('A reminder').check();
      await page.getByRole('button', { name: 'Start sending' }).click();
      await page.getByText('Done: 2 sent, 0 refused, 0 uncertain').waitFor({ timeout: 60_000 });
      expect(sink.to(people[0]!)).toHaveLength(2);
      expect(sink.to(people[1]!)).toHaveLength(2);
      expect(sink.to(people[2]!)).toHaveLength(2);
      await answer(linkIn(sink.to(people[1]!)[1]!.text)!, `${ASSOCIATION} `);
      await expect.poll(() => sink.to(people[1]!).length, { timeout: 15_000 }).toBe(3);

      // 9. The campaign closed: no more sending.
      await page.reload();
      await tabTo(page.getByRole('button', { name: 'Close the campaign' }), 'the sending page');
      await page.keyboard.press('Enter');
      await page.getByText('The campaign has been closed since').waitFor();
      expect(await page.getByRole('button', { name: 'Start sending' }).isDisabled()).toBe(true);
      await navigate('Campaign progress', /\/admin\/campaign/);
      await choose('staff');
      await serious('the campaign progress page');
      await shoot('campaign');
      await navigate('Responses', /\/admin\/responses/);
      await page.getByText('2 response(s).').waitFor();
      await serious('the responses page');
      await logOut();

      // 10. The colleague sets a password from the link, logs in and reviews the names.
      await page.goto(`${colleagueLink}?lang=en`);
      await page.getByLabel('Password (at least 10 characters)').fill(PASSWORD);
      await page.getByLabel('Password, again').fill(PASSWORD);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Done. You can now log in.').waitFor();
      await logIn(COLLEAGUE);
      await page.goto(`${url}/admin?lang=en`);
      await navigate('Associations', /\/admin\/associations/);
      await page.waitForSelector('main[data-loaded]');
      await serious('the association review page');
      const group = page
        .locator('#groups tbody tr')
        .filter({ has: page.locator('td:first-child', { hasText: ASSOCIATION }) });
      expect(await group.locator('td').nth(1).textContent()).toBe('2');
      page.once('dialog', (d) => void d.accept(`${ASSOCIATION} (association)`));
      await tabTo(group.getByRole('button', { name: /^Create entry/ }), 'the association review page');
      await page.keyboard.press('Enter');
      await page.locator('#cited li', { hasText: `${ASSOCIATION} (association) (2 respondents)` }).waitFor();
      await shoot('review');
      await logOut();

      // 11. The admin previews the results and publishes them, with the keyboard.
      await logIn(ADMIN);
      await page.goto(`${url}/admin?lang=en`);
      await navigate('Publishing', /\/admin\/publish/);
      await choose('staff');
      await page.getByText('What to know before publishing').waitFor();
      await page.getByText('Snapshot ').first().waitFor();
      expect(await page.locator('.checklist').textContent()).toContain('Real data only.');
      expect(await page.locator('.checklist').textContent()).toContain('Every association name is reviewed.');
      await page.getByText('Preview of the public page').waitFor();
      await serious('the publishing page');
      await shoot('publish');
      await tabTo(page.locator('#publish-confirm'), 'the publishing page');
      await page.keyboard.press('Space');
      await tabTo(page.getByRole('button', { name: 'Publish', exact: true }), 'the publishing page');
      await page.keyboard.press('Enter');
      await page.getByText('Published now: snapshot').waitFor({ timeout: 30_000 });
      const publicPage = await browser!.context.newPage();
      const res = await publicPage.goto(`${url}/results/staff?lang=en`);
      expect(res?.status()).toBe(200);
      await publicPage.close();

      // 12. The downloads of the survey's responses and population, from the home page.
      await page.goto(`${url}/admin?lang=en`);
      await serious('the home page');
      await choose('staff');
      const download = async (name: string): Promise<{ file: string; body: Buffer }> => {
        const link = page.getByRole('link', { name, exact: true }).first();
        await tabTo(link, 'the home page');
        const coming = page.waitForEvent('download');
        await page.keyboard.press('Enter');
        const d = await coming;
        const path = join(dir, d.suggestedFilename());
        await d.saveAs(path);
        return { file: d.suggestedFilename(), body: readFileSync(path) };
      };
      const codes = await download('CSV (codes)');
      expect(codes.file).toMatch(/^staff.*\.csv$/);
      const text = codes.body.toString('utf8');
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const [header, ...rows] = text.slice(1).trim().split(/\r?\n/);
      expect(header).toContain('unit');
      expect(header).toContain('op_team');
      expect(rows).toHaveLength(2);
      const xlsxFile = await download('XLSX');
      expect(xlsxFile.file).toMatch(/^staff.*\.xlsx$/);
      expect(xlsxFile.body.subarray(0, 2).toString('latin1')).toBe('PK');
      const population = await download('CSV');
      expect(population.body.toString('utf8')).toContain(people[2]!);

      // The audit log holds the whole life.
      await navigate('Audit log', /\/admin\/audit-log/);
      await serious('the audit log');
      const log = (await page.locator('main').textContent()) ?? '';
      for (const action of ['users.setup', 'users.add', 'campaign.messages', 'campaign.close'])
        expect(log).toContain(action);
      expect(errors).toEqual([]);
    });
  },
);
