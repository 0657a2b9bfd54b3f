import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { findUnboundNumbers } from '../../src/report/bound-numbers.js';
import { readPressReleaseTemplate, renderPressRelease } from '../../src/report/press-release.js';
import { evaluateStoreResults, type PublishedResults } from '../../src/results/store-results.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cairnet-press-release-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const date = new Date('2013-01-30T10:00:00Z');

/** The text of the HTML's main element, tags out, entities decoded. */
function mainText(html: string): string {
  return /<main>([\s\S]*)<\/main>/
    .exec(html)![1]!
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** What a press officer must never find in the release the journalists get. */
function checkRelease(md: string, html: string, lang: 'fr' | 'en', ids: string[]): void {
  const text = mainText(html);
  for (const out of [md, text]) {
    expect(out).not.toMatch(/\[non publié|\[not published|\[non disponible|\[not available|\{\{|\}\}/);
    // A ratio under 1 is never "times more".
    expect(out).not.toMatch(/\b0[.,]\d+ (fois|times)/);
    // No figure said twice in a row: "58 % (58 %)", "(58 % ; 58 %".
    expect(out.replace(/[\u00a0\u202f]/g, ' ')).not.toMatch(/(\d+(?:[.,]\d+)? ?%)[^.()]*\(\1[ )\s;]/);
  }
  // The Markdown is rendered: no emphasis marks, heading hashes or list dashes left in the HTML's text.
  expect(text).not.toMatch(/\*|(^|\s)_|_(\s|$|[.,])|^#/m);
  expect(html).toContain(`<html lang="${lang}">`);
  // The fieldwork comes from the responses (the demo panel is dated spring 2012).
  expect(md).toMatch(lang === 'fr' ? /d’avril à juin 2012/ : /from April to June 2012/);
  expect(findUnboundNumbers(html, ids)).toEqual([]);
}

for (const dialect of await availableDialects()) {
  describe(`${dialect}: the Cairnet press release on the demonstration panel and on 24 respondents`, () => {
    const stores: Record<string, { store: TestStore; published: PublishedResults }> = {};
    beforeAll(async () => {
      for (const respondents of [651, 24]) {
        const store = await openTestStore(dialect);
        await writeDemoPanel(store.store, { respondents, seed: 2013 });
        stores[respondents] = {
          store,
          published: await evaluateStoreResults(store.store, { instrument: 'cairnet-demo' }),
        };
      }
    }, 240_000);
    afterAll(async () => {
      for (const s of Object.values(stores)) await s.store.dispose();
    });

    for (const respondents of [651, 24]) {
      for (const lang of ['fr', 'en'] as const) {
        it(`${respondents} respondents, ${lang}: no placeholder, ratio by its direction, no figure twice, Markdown rendered`, () => {
          const { results, source } = stores[respondents]!.published;
          // the demonstration survey words its release with Cairnet's template (its source)
          const template = readPressReleaseTemplate(lang, source ?? null);
          const ids = results.indicators.map((r) => r.id);
          const md = renderPressRelease(results, { lang, format: 'md', date, template });
          const html = renderPressRelease(results, { lang, format: 'html', date, template });
          checkRelease(md, html, lang, ids);
          if (respondents === 651) {
            expect(md).toMatch(lang === 'fr' ? /deux fois plus souvent que/ : /twice as often as/);
            expect(md).toMatch(lang === 'fr' ? /## Peu de craintes/ : /## Few fears/);
          } else {
            // Suppressed figures took their sentences with them; the preview shows them, with a warning.
            const preview = renderPressRelease(results, {
              lang,
              format: 'md',
              date,
              preview: true,
              template,
            });
            expect(preview).toMatch(lang === 'fr' ? /\[non publié : trop peu/ : /\[not published: too few/);
            expect(preview).toMatch(lang === 'fr' ? /Laissé hors du communiqué/ : /Left out of the release/);
          }
        });
      }
    }

    it('stops on a claim the data contradict, naming the claim, the sentence and the figure, and writes nothing', async () => {
      const template = join(dir, `${dialect}-claim.md`);
      writeFileSync(
        template,
        '# Release\n\nFew researchers know an association{{claim F2 < 50%}}: {{F2}}.\n',
      );
      const out = join(dir, `${dialect}-claim-out.md`);
      const r = await cli([
        'press-release',
        '--template',
        template,
        '--out',
        out,
        '--db',
        stores[24]!.store.location,
        '--instrument',
        'cairnet-demo',
      ]);
      expect(r.code).toBe(7);
      expect(r.stderr).toMatch(/^error CAIRNET_PUBLISH_CLAIM_CONTRADICTED: The claim "F2 < 50%"/);
      expect(r.stderr).toContain('Few researchers know an association');
      expect(r.stderr).toMatch(/F2 = 7\d\s?%/);
      expect(() => readFileSync(out)).toThrow();
    });
  });
}
