import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { findUnboundNumbers } from '../../src/report/bound-numbers.js';
import { pdfSkipReason } from '../helpers/browser.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cairnet-report-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const IDS = ['F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12', 'F13', 'F14', 'F15'];
const ALL_IDS = [...IDS, 'F16', 'F17', 'F18', 'F18_ongoing', 'F19', 'F19_ongoing', 'F20'];

/** The figures of a document's text: numbers with their decimals and a trailing % if any. */
function figures(text: string): Set<string> {
  return new Set([...text.replace(/[\u00a0\u202f]/g, ' ').matchAll(/\d+(?:[.,]\d+)*%?/g)].map((m) => m[0]));
}

function htmlText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

for (const dialect of await availableDialects()) {
  describe(`${dialect}: cairnet report and cairnet press-release`, () => {
    let demo: TestStore;
    beforeAll(async () => {
      demo = await openTestStore(dialect);
      await writeDemoPanel(demo.store, { respondents: 651, seed: 2013 });
    }, 180_000);
    afterAll(async () => {
      await demo?.dispose();
    });

    it('writes the HTML report in both languages, every number bound to an indicator', async () => {
      for (const lang of ['fr', 'en']) {
        const out = join(dir, `${dialect}-report.${lang}.html`);
        const r = await cli([
          'report',
          '--format',
          'html',
          '--lang',
          lang,
          '--out',
          out,
          '--db',
          demo.location,
          '--instrument',
          'cairnet-demo',
        ]);
        expect(r.stderr).toContain('synthetic demonstration data');
        expect(r.code).toBe(0);
        expect(r.stdout).toBe('');
        const html = readFileSync(out, 'utf8');
        expect(html).toContain(`<html lang="${lang}">`);
        expect(findUnboundNumbers(html, ALL_IDS)).toEqual([]);
      }
    }, 120_000);

    it('writes the press release as Markdown and HTML, every number bound to an indicator', async () => {
      for (const lang of ['fr', 'en']) {
        const md = join(dir, `${dialect}-pr.${lang}.md`);
        const html = join(dir, `${dialect}-pr.${lang}.html`);
        expect(
          (
            await cli([
              'press-release',
              '--lang',
              lang,
              '--out',
              md,
              '--db',
              demo.location,
              '--instrument',
              'cairnet-demo',
            ])
          ).code,
        ).toBe(0);
        const r = await cli([
          'press-release',
          '--lang',
          lang,
          '--format',
          'html',
          '--out',
          html,
          '--db',
          demo.location,
          '--instrument',
          'cairnet-demo',
        ]);
        expect(r.code).toBe(0);
        const text = readFileSync(md, 'utf8');
        expect(text).toMatch(lang === 'fr' ? /Quatre chercheurs sur cinq/ : /Four out of five researchers/);
        expect(text).toMatch(
          lang === 'fr' ? /plus de 400 associations/ : /more than 400 different associations/,
        );
        expect(text).toMatch(lang === 'fr' ? /deux fois plus souvent que/ : /twice as often as/);
        expect(text).toMatch(/^> \*\*(Synthetic data|Données synthétiques)/);
        expect(findUnboundNumbers(readFileSync(html, 'utf8'), ALL_IDS)).toEqual([]);
      }
    }, 120_000);

    it('refuses a template with an unbound number, and writes nothing', async () => {
      const template = join(dir, `${dialect}-bad.md`);
      writeFileSync(template, '# Release\n\nThe GRAM has 20 members; {{F2}} are in contact.\n');
      const out = join(dir, `${dialect}-bad-out.md`);
      const r = await cli([
        'press-release',
        '--template',
        template,
        '--out',
        out,
        '--db',
        demo.location,
        '--instrument',
        'cairnet-demo',
      ]);
      expect(r.code).toBe(7);
      expect(r.stderr).toMatch(/^error CAIRNET_PUBLISH_UNBOUND_NUMBER: .*"20"/);
      expect(() => readFileSync(out)).toThrow();
    });

    it('refuses bad arguments with a usage error', async () => {
      const out = join(dir, 'x');
      expect(
        (
          await cli([
            'report',
            '--format',
            'docx',
            '--out',
            out,
            '--db',
            demo.location,
            '--instrument',
            'cairnet-demo',
          ])
        ).stderr,
      ).toMatch(/error CAIRNET_USAGE: --format docx/);
      expect(
        (
          await cli([
            'press-release',
            '--lang',
            'de',
            '--out',
            out,
            '--db',
            demo.location,
            '--instrument',
            'cairnet-demo',
          ])
        ).code,
      ).toBe(2);
    });

    const skip = dialect === 'sqlite' ? pdfSkipReason() : 'the PDF is checked once, on SQLite';
    it.skipIf(skip !== undefined)(
      `prints the PDF with Chromium, and its text holds the same figures as the HTML${skip ? ` (skipped: ${skip})` : ''}`,
      async () => {
        const pdf = join(dir, 'report.en.pdf');
        const html = join(dir, 'report.en.html');
        // one snapshot, so that both show the same figures and the same snapshot id
        const snapshot = JSON.parse(
          (await cli(['results', 'compute', '--json', '--db', demo.location, '--instrument', 'cairnet-demo']))
            .stdout,
        ).snapshot as string;
        const of = ['--snapshot', snapshot, '--lang', 'en', '--db', demo.location];
        expect((await cli(['report', '--format', 'pdf', '--out', pdf, ...of])).code).toBe(0);
        expect((await cli(['report', '--format', 'html', '--out', html, ...of])).code).toBe(0);
        expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
        const text = spawnSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).stdout;
        const inPdf = figures(text);
        const inHtml = figures(htmlText(readFileSync(html, 'utf8')));
        const missing = [...inHtml].filter((f) => !inPdf.has(f));
        expect(missing).toEqual([]);
        expect(text).toContain('Synthetic data.');
        expect(text).toMatch(/1 of \d+/); // page numbers, from the footer
        const pages = text.split('\f').filter((p) => p.trim() !== '');
        // A running title on every page.
        for (const p of pages) expect(p).toContain('Cairnet: results of the survey');
        // The first page carries the key figures: every indicator's estimate.
        expect(pages[0]).toContain('Indicators at a glance');
        expect(pages[0]!.match(/\d+\.\d%/g)?.length).toBeGreaterThanOrEqual(IDS.length);
        // The indicators take at most one page per two of them, and no page is near-empty.
        const first = pages.findIndex((p) => /^\s*Indicators\s*$/m.test(p));
        const profiles = pages.findIndex((p) => /^\s*Researcher profiles\s*$/m.test(p));
        expect(first).toBeGreaterThan(0);
        expect(profiles - first).toBeLessThanOrEqual(Math.ceil(ALL_IDS.length / 2));
        for (const p of pages.slice(0, profiles))
          expect(p.split('\n').filter((l) => l.trim()).length).toBeGreaterThan(8);
      },
      180_000,
    );
  });
}
