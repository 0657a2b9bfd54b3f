import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { methodText } from '../../src/report/method-text.js';
import type { Lang } from '../../src/report/number-format.js';
import { readPressReleaseTemplate, renderPressRelease } from '../../src/report/press-release.js';
import { publicResults } from '../../src/report/public-results.js';
import { indicatorCharts, renderReportHtml } from '../../src/report/report-html.js';
import { TEXT } from '../../src/report/report-text.js';
import { dashboardBody, publicResultsBody } from '../../src/report/results-pages.js';
import { evaluateStoreResults, type PublishedResults } from '../../src/results/store-results.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';

// Rendering does not depend on the database: one SQLite store is enough here.
let demo: TestStore;
let published: PublishedResults;
const outputs: Record<Lang, Record<string, string>> = { fr: {}, en: {} };

/** The text a reader sees: tags, styles, scripts and identifiers (`<code>`) out, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>|<code>[\s\S]*?<\/code>/g, ' ')
    .replace(/aria-label="([^"]*)"/g, '>$1<') // labels are read aloud: they count
    .replace(/<[^>]+>/g, '\n')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every string of a language's catalogue: the outputs' words, the methods, the survey's wording. */
function catalogue(lang: Lang): Set<string> {
  const out = new Set<string>();
  for (const v of Object.values(TEXT[lang])) {
    if (typeof v === 'string') out.add(v);
    else
      for (const part of (v as (...a: string[]) => string)('\u0000', '\u0000', '\u0000', '\u0000').split(
        '\u0000',
      ))
        out.add(part);
  }
  const methods = [
    ...published.results.indicators.flatMap((i) => [i.method, ...(i.test ?? []).map((x) => x.method)]),
    published.results.typology?.method ?? '',
  ];
  for (const m of methods) for (const a of ['technical', 'plain'] as const) out.add(methodText(m, lang, a));
  for (const v of published.codebook.variables) {
    out.add(v.label[lang]);
    for (const l of v.levels) out.add(l.label[lang]);
  }
  for (const i of published.results.indicators) out.add(i.label[lang]);
  return out;
}

/** The other language's strings worth looking for: long enough, and not also a string of this one. */
function foreign(lang: Lang): string[] {
  const other: Lang = lang === 'fr' ? 'en' : 'fr';
  const own = catalogue(lang);
  return [...catalogue(other)]
    .map((s) => s.replace(/\uE010|\uE011/g, '').trim())
    .filter((s) => s.length >= 12 && !own.has(s));
}

beforeAll(async () => {
  demo = await openTestStore('sqlite');
  await writeDemoPanel(demo.store, { respondents: 651, seed: 2013 });
  published = await evaluateStoreResults(demo.store, { factorMap: true, instrument: 'cairnet-demo' });
  const date = new Date('2013-01-30T10:00:00Z');
  for (const lang of ['fr', 'en'] as const) {
    const charts = await indicatorCharts(published, lang);
    const shown = { ...published, results: publicResults(published.results) };
    outputs[lang] = {
      report: visibleText(await renderReportHtml(published, { lang })),
      'press release': visibleText(
        renderPressRelease(published.results, {
          lang,
          format: 'html',
          date,
          template: readPressReleaseTemplate(lang, published.source ?? null),
        }),
      ),
      'press release preview': visibleText(
        renderPressRelease(published.results, {
          lang,
          format: 'html',
          date,
          preview: true,
          template: readPressReleaseTemplate(lang, published.source ?? null),
        }),
      ),
      dashboard: visibleText(dashboardBody(published, charts, lang)),
      'public page': visibleText(publicResultsBody(shown, charts, lang)),
    };
  }
}, 180_000);
afterAll(async () => {
  await demo?.dispose();
});

describe('one language per output', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`${lang}: no output holds a string of the other language's catalogue`, () => {
      const strings = foreign(lang);
      expect(strings.length).toBeGreaterThan(50); // the catalogue is really there
      for (const [name, text] of Object.entries(outputs[lang])) {
        const flat = text.replace(/\s+/g, ' ');
        const leaks = strings.filter((s) => flat.includes(s.replace(/\s+/g, ' ')));
        expect({ output: name, leaks }).toEqual({ output: name, leaks: [] });
      }
    });

    it(`${lang}: levels by their wording, not their codes; no R name or code on the public page`, () => {
      for (const [name, text] of Object.entries(outputs[lang])) {
        expect({
          output: name,
          codes: text.match(/\b[a-z]+(?:_[a-z0-9]+)+(?:=[a-z0-9_]+)?\b/g) ?? [],
        }).toEqual({
          output: name,
          codes: [],
        });
      }
      const pub = outputs[lang]['public page']!;
      expect(pub).not.toMatch(/prop\.test|chisq|Katz|FactoMineR|HCPC|Wilson|\bF\d+\b|No test|Aucun test/);
      expect(pub).toMatch(lang === 'fr' ? /entre \d+\s?% et \d+\s?%/ : /between \d+% and \d+%/);
    });
  }

  it('the known leaks of the issue are gone', () => {
    const fr = Object.values(outputs.fr).join('\n');
    for (const s of [
      'Wilson interval',
      "Pearson's chi-squared",
      'ratio of two proportions',
      'No test',
      'Published in 2013',
      'a little more than a quarter',
      'Factor map',
      'MCA factor map',
      'Dim 1',
    ])
      expect(fr).not.toContain(s);
    const en = Object.values(outputs.en).join('\n');
    for (const s of ['Aucun test', 'Plan factoriel', 'khi-deux', 'Publié en']) expect(en).not.toContain(s);
  });
});
