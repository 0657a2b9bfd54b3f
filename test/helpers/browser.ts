import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../../src/report/chromium-flags.js';

/** Debian's Chromium, the one browser the end-to-end tests drive. */
export const CHROMIUM_PATH = process.env.CAIRNET_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Why the browser tests cannot run here, or `undefined` when they can. Outside CI a missing
 * Chromium only skips them (with this reason); in CI (CI=true) it is an error, never a skip.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium, or set CAIRNET_CHROMIUM)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true, so the browser tests must run`);
  return reason;
}

/** Why a PDF test cannot run here (Chromium or pdftotext missing), or undefined. In CI: never skipped. */
export function pdfSkipReason(): string | undefined {
  const browser = browserSkipReason();
  if (browser) return browser;
  if (!spawnSync('pdftotext', ['-v']).error) return undefined;
  const reason = 'pdftotext is not installed (apt-get install poppler-utils)';
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true, so the PDF test must run`);
  return reason;
}

export interface TestBrowser {
  context: BrowserContext;
  /** Closes the browser and removes its profile directory; safe to call twice. */
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile in a temporary directory. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'cairnet-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      timeout: 30_000,
      args: [...CHROMIUM_FLAGS],
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  let closed = false;
  return {
    context,
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
