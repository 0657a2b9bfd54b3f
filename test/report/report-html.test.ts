import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { findUnboundNumbers } from '../../src/report/bound-numbers.js';
import { renderReportHtml } from '../../src/report/report-html.js';
import { evaluateStoreResults, type PublishedResults } from '../../src/results/store-results.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';

let demo: TestStore;
let published: PublishedResults;
const html: Record<'fr' | 'en', string> = { fr: '', en: '' };

beforeAll(async () => {
  demo = await openTestStore('sqlite');
  await writeDemoPanel(demo.store, { respondents: 651, seed: 2013 });
  published = await evaluateStoreResults(demo.store, { factorMap: true, instrument: 'cairnet-demo' });
  html.fr = await renderReportHtml(published, { lang: 'fr' });
  html.en = await renderReportHtml(published, { lang: 'en' });
}, 180_000);
afterAll(async () => {
  await demo?.dispose();
});

describe('the HTML report', () => {
  it('binds every number to an indicator (dates, years, codes and quoted wording excepted)', () => {
    const ids = published.results.indicators.map((r) => r.id);
    for (const lang of ['fr', 'en'] as const) expect(findUnboundNumbers(html[lang], ids)).toEqual([]);
  });

  it('is self-contained: no script, no external resource', () => {
    for (const lang of ['fr', 'en'] as const) {
      expect(html[lang]).not.toMatch(/<script|<link|<img|<iframe|@import/i);
      expect(html[lang]).not.toMatch(/(src|href)="(https?:)?\/\//i);
    }
  });

  it('shows the synthetic-data banner when the data are the demonstration panel', () => {
    expect(html.en).toMatch(/class="synthetic-banner"[^>]*>.*Synthetic data/);
    expect(html.fr).toMatch(/Données synthétiques/);
  });

  it('has a chart, a table with base and interval, and the tests for each indicator', () => {
    for (const ind of published.results.indicators) {
      const section = new RegExp(
        `<section class="indicator" id="ind-${ind.id}" data-indicator="${ind.id}"[\\s\\S]*?</section>`,
      ).exec(html.en)?.[0];
      expect(section, ind.id).toBeDefined();
      expect(section).toMatch(/Base \(n\)/);
      if (ind.kind === 'proportion') {
        // F8 and F9 are drawn in F7's age chart, which their sections point to
        if (['F8', 'F9'].includes(ind.id))
          expect(section, ind.id).toContain('Chart: with the other shares of');
        else expect(section, ind.id).toMatch(/<svg/);
        expect(section).toContain(`${(ind.estimate! * 100).toFixed(1)}%`);
      }
    }
    // the age gradient: one chart bound to F7, F8 and F9, with the bands in order
    const f7 = /id="ind-F7"[\s\S]*?<\/section>/.exec(html.en)![0];
    expect(f7).toMatch(/<div data-indicator="F7 F8 F9"><svg role="img" aria-label="Ongoing relation by age"/);
    expect(f7.indexOf('Under 30')).toBeLessThan(f7.indexOf('50–54'));
    expect(f7.indexOf('50–54')).toBeLessThan(f7.indexOf('55–59'));
    // a Likert item: its whole distribution drawn and tabled, its headline share named by its levels
    const f18 = /id="ind-F18"[\s\S]*?<\/section>/.exec(html.en)![0];
    for (const level of ['Strongly disagree', 'Disagree', 'Agree', 'Strongly agree'])
      expect(f18.split(`>${level}<`).length - 1, level).toBeGreaterThanOrEqual(2); // legend and table
    const f18fr = /id="ind-F18"[\s\S]*?<\/section>/.exec(html.fr)![0];
    expect(f18fr).toMatch(
      /Trait noir : intervalle de confiance de la part « Pas du tout d(&#39;|')accord ou Plutôt pas d(&#39;|')accord »/,
    );
    const f15 = /id="ind-F15"[\s\S]*?<\/section>/.exec(html.en)![0];
    expect(f15).toContain('No answer or not asked');
    const f10 = /id="ind-F10"[\s\S]*?<\/section>/.exec(html.en)![0];
    expect(f10).toMatch(/chi-squared[^<]*p &lt; 0\.001/);
    expect(f10).toMatch(/ratio 1\.86 \[1\.55 ; 2\.21\]/);
  });

  it('has the typology with its factor map, the methods appendix and the codebook', () => {
    expect(html.en).toMatch(/id="typology"[\s\S]*Engaged[\s\S]*factor-map/);
    for (const heading of ['Design', 'Weighting', 'Tests', 'Typology method', 'Suppression rule', 'Codebook'])
      expect(html.en).toContain(`<h${heading === 'Codebook' ? 2 : 3}>${heading}</h`);
    expect(html.en).toContain('<code>opinion_freedom</code>');
    expect(html.fr).toContain('Annexe méthodologique');
  });
});
