import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/build-app.js';
import { responseKinds } from '../../src/store/repositories/surveys.js';
import { addUser } from '../../src/store/repositories/users.js';
import { STAFF_FORM } from '../fixtures/imports/staff-form.js';
import { buildXlsform } from '../fixtures/imports/xlsform-builder.js';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';

const skip = browserSkipReason();
const PASSWORD = 'a long enough password';
const SHOTS = process.env.CAIRNET_SCREENSHOTS;

describe.skipIf(skip !== undefined)(
  `"Try with synthetic responses" in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 240_000 },
  () => {
    let t: TestStore;
    let app: FastifyInstance;
    let url = '';
    let browser: TestBrowser | undefined;
    const dir = mkdtempSync(join(tmpdir(), 'cairnet-e2e-synthetic-'));

    beforeAll(async () => {
      t = await openTestStore('sqlite');
      const form = join(dir, 'staff.xlsx');
      writeFileSync(form, await buildXlsform(STAFF_FORM));
      const imported = await cli(['instrument', 'import', form, '--name', 'staff', '--db', t.location]);
      expect(imported.code, imported.stderr).toBe(0);
      await addUser(t.store.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin' });
      app = await buildApp({ store: t.store });
      url = await app.listen({ port: 0, host: '127.0.0.1' });
      browser = await launchBrowser();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await t?.dispose();
      rmSync(dir, { recursive: true, force: true });
    }, 30_000);

    async function serious(page: Page): Promise<string[]> {
      const result = await new AxeBuilder({ page }).analyze();
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }

    it('draws synthetic responses from the versions page and opens the demonstration’s dashboard', async () => {
      const page = await browser!.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
      });
      await page.goto(
        `${url}/login?lang=en&next=${encodeURIComponent('/admin/versions?lang=en&instrument=staff')}`,
      );
      await page.getByLabel('E-mail').fill('admin@example.org');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/admin\/versions/);
      await page.getByRole('heading', { name: 'Try with synthetic responses' }).waitFor();
      expect(await page.getByRole('link', { name: 'The demonstration’s dashboard' }).isHidden()).toBe(true);
      expect(await serious(page)).toEqual([]);
      await page.getByLabel('Number of responses').fill('25');
      await page.getByRole('button', { name: 'Try with synthetic responses' }).click();
      await page.getByText('25 synthetic responses written to staff-demo.').waitFor({ timeout: 60_000 });
      expect(await responseKinds(t.store.db, 'staff-demo')).toEqual({ synthetic: 25, real: 0 });
      expect(await responseKinds(t.store.db, 'staff')).toEqual({ synthetic: 0, real: 0 });
      if (SHOTS) await page.screenshot({ path: `${SHOTS}-synthetic-versions.png`, fullPage: true });
      await page.getByRole('link', { name: 'The demonstration’s dashboard' }).click();
      await page.waitForURL(/\/admin\/dashboard\?.*instrument=staff-demo/);
      await page.locator('.synthetic-banner').first().waitFor({ timeout: 60_000 });
      expect(await page.locator('.synthetic-banner').first().textContent()).toMatch(/^Synthetic data\./);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}-synthetic-dashboard.png`, fullPage: true });
      // the French page says it in French
      await page.goto(`${url}/admin/versions?instrument=staff`);
      await page.getByRole('heading', { name: 'Essayer avec des réponses synthétiques' }).waitFor();
      expect(await page.getByRole('link', { name: 'Tableau de bord de la démonstration' }).isVisible()).toBe(
        true,
      );
      expect(errors).toEqual([]);
    });
  },
);
