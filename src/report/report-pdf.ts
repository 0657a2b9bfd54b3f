import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cairnetError } from '../errors.js';
import { CHROMIUM_FLAGS } from './chromium-flags.js';
import type { Lang } from './number-format.js';

/** The Chromium that prints PDFs: Debian's, or $CAIRNET_CHROMIUM. */
export function chromiumPath(): string {
  return process.env.CAIRNET_CHROMIUM ?? '/usr/bin/chromium';
}

/**
 * Prints an HTML document to PDF with headless Chromium (A4, backgrounds, its title as a running
 * head, page numbers in the footer). The page is loaded offline: the report is self-contained, and any request it would
 * make is refused.
 */
export async function printPdf(html: string, lang: Lang): Promise<Buffer> {
  // The running title: the document's own title.
  const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw cairnetError(
      'CAIRNET_PUBLISH_PDF_UNAVAILABLE',
      `Chromium is not installed at ${executablePath} (apt-get install chromium, or set CAIRNET_CHROMIUM)`,
    );
  }
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'cairnet-pdf-'));
  let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | undefined;
  try {
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath,
        headless: true,
        timeout: 30_000,
        offline: true,
        // the report holds no script; should escaping ever fail, none would run while printing
        javaScriptEnabled: false,
        args: [...CHROMIUM_FLAGS],
      });
    } catch (e) {
      throw cairnetError(
        'CAIRNET_PUBLISH_PDF_UNAVAILABLE',
        `Chromium did not start: ${(e as Error).message.split('\n')[0]}`,
      );
    }
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    const of = lang === 'fr' ? 'sur' : 'of';
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '16mm', bottom: '18mm', left: '14mm', right: '14mm' },
      displayHeaderFooter: true,
      headerTemplate: `<div style="font-size:8px;width:100%;margin:0 14mm;color:#555;border-bottom:0.5px solid #bbb;padding-bottom:1mm">${title}</div>`,
      footerTemplate: `<div style="font-size:8px;width:100%;text-align:center;color:#555" data-page><span class="pageNumber"></span> ${of} <span class="totalPages"></span></div>`,
    });
  } finally {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}
