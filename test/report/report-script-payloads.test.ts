import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { deriveCodebook } from '../../src/instrument/derive-codebook.js';
import { plainText } from '../../src/instrument/importers/plain-text.js';
import type { InstrumentJson } from '../../src/instrument/types.js';
import { currentInstrument, saveInstrument } from '../../src/store/repositories/instruments.js';
import { insertResponsesBulk } from '../../src/store/repositories/responses.js';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { cairnetSurvey, ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';

/**
 * Free text that reaches the HTML report and the press release, made hostile: every payload calls
 * `cairnetPwned(where)` (a function the test exposes to the page) or opens a dialog if it ever runs.
 * Payloads hold no digit, so that the bound-number check of the outputs does not refuse them.
 */
function hostile(where: string): string {
  const call = `cairnetPwned('${where}')`;
  return (
    `«${where}» <script>${call}</script><img src=x onerror="${call}">` +
    `<a href="javascript:${call}">link</a> javascript:${call} </style><script>${call}</script>` +
    `<svg onload="${call}"><script>${call}</script></svg><iframe srcdoc="<script>parent.${call}</script>"></iframe>` +
    `" onmouseover="${call}" x='<b onclick=alert(document.domain)>'`
  );
}

/** The Cairnet questionnaire with every question title and choice label replaced by a payload. */
function hostileSurvey(): Record<string, unknown> {
  const visit = (node: unknown, path: string): unknown => {
    if (Array.isArray(node)) return node.map((v, i) => visit(v, `${path}.${i}`));
    if (node === null || typeof node !== 'object') return node;
    const o = node as Record<string, unknown>;
    const name = typeof o.name === 'string' ? o.name : typeof o.value === 'string' ? o.value : path;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === 'title' || (k === 'text' && 'value' in o)) out[k] = hostile(`${k}:${name}`);
      else if (k === 'choices' && Array.isArray(v))
        out[k] = v.map((c) =>
          typeof c === 'string' ? { value: c, text: hostile(`choice:${c}`) } : visit(c, `${path}.${k}`),
        );
      else out[k] = visit(v, `${path}.${k}`);
    }
    return out;
  };
  return visit(cairnetSurvey(), 'survey') as Record<string, unknown>;
}

/** The Cairnet plan with every label, profile name and published wording replaced by a payload. */
function hostilePlan(): string {
  const plan = parseYaml(
    readFileSync(join(import.meta.dirname, '../../instruments/cairnet/plan.yaml'), 'utf8'),
  );
  const both = (where: string) => ({ fr: hostile(`${where}:fr`), en: hostile(`${where}:en`) });
  for (const d of plan.derived) {
    d.label = both(`derived:${d.name}`);
    if (d.map) d.levelLabels = Object.fromEntries(Object.keys(d.map).map((k) => [k, both(`level:${k}`)]));
  }
  plan.typology.label = both('typology');
  for (const [k, p] of Object.entries(plan.typology.profiles))
    (p as { label: unknown }).label = both(`profile:${k}`);
  for (const ind of plan.indicators) {
    ind.label = both(`label:${ind.id}`);
    if (ind.published) {
      ind.published.text = hostile(`published:${ind.id}`);
      if (ind.published.note) ind.published.note = hostile(`note:${ind.id}`);
    }
  }
  // A breakdown by a derived variable: its level labels reach the chart and the table.
  plan.indicators.push({
    id: 'ongoing_by_age',
    label: both('label:ongoing_by_age'),
    estimate: { proportion: { flag: 'ongoing' } },
    by: 'age_group',
  });
  return stringifyYaml(plan);
}

const TEMPLATE = `# Press ${hostile('heading')}

Paris, {{date}}

**{{respondents}} researchers answered.** ${hostile('paragraph')} {{F2}} are in contact, under {{F7 | define:<svg onload="cairnetPwned('define')"> and <script>cairnetPwned('define')</script>}}.

- ${hostile('list')}
- *${hostile('emphasis')}*

> ${hostile('quote')}
`;

const HOSTILE_ASSOCIATION = hostile('association');

const skip = browserSkipReason();

describe.skipIf(skip !== undefined)(
  `script payloads in the report and the press release stay text in Chromium${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 60_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairnet-payloads-'));
    let t: TestStore;
    let browser: TestBrowser | undefined;
    const plan = join(dir, 'plan.yaml');
    const template = join(dir, 'press-release.md');
    /** The labels of the instrument as stored: imported (sanitised), then written raw. */
    let importedJson: InstrumentJson;
    const rawJson = hostileSurvey() as InstrumentJson;

    beforeAll(async () => {
      t = await openTestStore('sqlite');
      await writeDemoPanel(t.store, { respondents: 300, seed: 2013 });
      // Respondents cite a hostile association name (the report and the press release show only
      // the count of names, F6: the name must appear nowhere).
      await insertResponsesBulk(
        t.store.db,
        Array.from({ length: 10 }, () => ({
          instrumentName: 'cairnet-demo',
          instrumentVersion: 1,
          synthetic: true,
          data: { ...ongoingFundedAnswers(), associations: [{ name: HOSTILE_ASSOCIATION }] },
        })),
      );
      writeFileSync(plan, hostilePlan());
      writeFileSync(template, TEMPLATE);
      browser = await launchBrowser();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await t?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    /**
     * Loads a file in Chromium and returns what ran: calls of `cairnetPwned`, dialogs, console
     * errors, uncaught exceptions and every request beyond the document itself.
     */
    async function load(file: string): Promise<{ page: Page; ran: string[]; errors: string[] }> {
      const page = await browser!.context.newPage();
      const ran: string[] = [];
      const errors: string[] = [];
      await page.exposeFunction('cairnetPwned', (where: string) => ran.push(where));
      page.on('dialog', (d) => {
        ran.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      const url = pathToFileURL(file).href;
      page.on('request', (r) => {
        if (r.url() !== url) errors.push(`request ${r.url()}`);
      });
      await page.goto(url);
      // Hover and click every element (one event each, not bubbling), then give handlers a moment.
      await page.evaluate(() => {
        for (const el of document.querySelectorAll('body *')) {
          for (const type of ['mouseover', 'click']) el.dispatchEvent(new MouseEvent(type));
        }
      });
      await page.waitForTimeout(200);
      return { page, ran, errors };
    }

    /** What in the DOM could run code: script-like elements, event attributes, javascript: URLs. */
    async function activeContent(page: Page): Promise<string[]> {
      return page.evaluate(() => {
        const found: string[] = [];
        for (const el of document.querySelectorAll(
          'script, iframe, object, embed, img, foreignObject, body style, link, meta[http-equiv], base',
        ))
          found.push(el.outerHTML.slice(0, 120));
        for (const el of document.querySelectorAll('*')) {
          for (const a of el.attributes) {
            if (/^on/i.test(a.name) || /^\s*javascript:/i.test(a.value))
              found.push(`${el.tagName} ${a.name}=${a.value}`);
          }
        }
        if (document.querySelectorAll('style').length !== 1) found.push('more than one <style>');
        return found;
      });
    }

    async function report(lang: 'fr' | 'en', name: string): Promise<string> {
      const out = join(dir, `${name}.${lang}.html`);
      const r = await cli([
        'report',
        '--format',
        'html',
        '--lang',
        lang,
        '--out',
        out,
        '--plan',
        plan,
        '--db',
        t.location,
        '--instrument',
        'cairnet-demo',
      ]);
      expect(r.stderr).toContain('wrote');
      expect(r.code).toBe(0);
      return out;
    }

    /** Checks the report shows the plan's and the codebook's labels as text, nothing else. */
    async function checkReport(file: string, lang: 'fr' | 'en', json: InstrumentJson): Promise<void> {
      const html = readFileSync(file, 'utf8');
      expect(html).not.toMatch(/<(script|iframe|img|object|embed|foreignObject)[\s/>]/i);
      // The report names no association (only their count, F6): the cited name is nowhere in it.
      expect(html).not.toContain(HOSTILE_ASSOCIATION);
      const { page, ran, errors } = await load(file);
      expect(ran).toEqual([]);
      expect(errors).toEqual([]);
      expect(await activeContent(page)).toEqual([]);
      // Plan labels: summary table, section heading, chart's accessible name, published figure's groups.
      const label = hostile(`label:F10:${lang}`);
      expect(await page.locator('#summary tr[data-indicator="F10"] td').nth(1).textContent()).toBe(label);
      expect(await page.locator('#h-F10').textContent()).toBe(`F10 ${label}`);
      // (the chart and, when it is wide, its phone version: both named by the label, as text)
      const charts = await page.locator('#ind-F10 figure.chart svg').all();
      expect(charts.length).toBeGreaterThan(0);
      for (const svg of charts) expect(await svg.getAttribute('aria-label')).toBe(label);
      // The figure published before is shown by its values (in the reader's language), groups by their labels.
      expect(await page.locator('#ind-F20 p.published').textContent()).toContain(
        hostile(`profile:engages:${lang}`),
      );
      // Group labels from the plan (derived levels, profiles) in tables; typology and its legend.
      const byAge = await page.locator('#ind-ongoing_by_age tbody th').allTextContents();
      expect(byAge).toContain(hostile(`level:under_40:${lang}`));
      const profiles = await page.locator('#typology tbody th').allTextContents();
      expect(profiles).toContain(hostile(`profile:engages:${lang}`));
      expect(await page.locator('#typology .legend li').allTextContents()).toContain(
        hostile(`profile:engages:${lang}`),
      );
      // Codebook labels from the instrument as stored: question titles and choice labels.
      const codebook = deriveCodebook(json);
      const clinical = codebook.variables.find((v) => v.name === 'clinical_activity')!;
      const row = page.locator('#codebook tbody tr', {
        has: page.locator('td:first-child code', { hasText: /^clinical_activity$/ }),
      });
      expect(await row.locator('td').nth(1).textContent()).toBe(clinical.label[lang]);
      expect(await row.locator('td').nth(3).textContent()).toBe(
        clinical.levels.map((l) => `${l.value} ${l.label[lang]}`).join(''),
      );
      // Choice labels as group labels of a breakdown (F10 by clinical activity).
      const groups = await page.locator('#ind-F10 tbody th').allTextContents();
      expect(groups).toContain(clinical.levels.find((l) => l.value === 'yes')!.label[lang]);
      await page.close();
    }

    it('imports a questionnaire whose titles and choice labels carry payloads as plain text', async () => {
      const file = join(dir, 'hostile-survey.json');
      writeFileSync(file, JSON.stringify(rawJson));
      const r = await cli([
        'instrument',
        'import',
        file,
        '--name',
        'cairnet-demo',
        '--json',
        '--db',
        t.location,
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const stored = await currentInstrument(t.store.db, 'cairnet-demo');
      expect(stored?.version).toBe(2);
      importedJson = stored!.json as InstrumentJson;
      const label = deriveCodebook(importedJson).variables.find((v) => v.name === 'clinical_activity')!.label
        .en;
      expect(label).toBe(plainText(hostile('title:clinical_activity')));
      expect(label).toContain(`javascript:cairnetPwned('title:clinical_activity')`);
      expect(label).not.toContain('<');
    });

    it('renders the report of the imported questionnaire and a hostile plan: no payload runs, labels are text', async () => {
      await checkReport(await report('en', 'imported'), 'en', importedJson);
    });

    it('renders labels stored raw (not through an importer) as text', async () => {
      const { instrument } = await saveInstrument(
        t.store.db,
        'cairnet-demo',
        rawJson as Record<string, unknown>,
      );
      expect(instrument.version).toBe(3);
      const label = deriveCodebook(rawJson).variables.find((v) => v.name === 'clinical_activity')!.label.fr;
      expect(label).toContain('<script>');
      await checkReport(await report('fr', 'raw'), 'fr', rawJson);
    });

    it('renders the press release from a hostile template: no payload runs, the template is text', async () => {
      const out = join(dir, 'press-release.html');
      const r = await cli([
        'press-release',
        '--format',
        'html',
        '--lang',
        'en',
        '--template',
        template,
        '--plan',
        plan,
        '--out',
        out,
        '--db',
        t.location,
        '--instrument',
        'cairnet-demo',
      ]);
      expect(r.stderr).toContain('wrote');
      expect(r.code).toBe(0);
      const html = readFileSync(out, 'utf8');
      expect(html).not.toMatch(/<(script|iframe|img|svg|object|embed)[\s/>]/i);
      expect(html).not.toContain(HOSTILE_ASSOCIATION);
      const { page, ran, errors } = await load(out);
      expect(ran).toEqual([]);
      expect(errors).toEqual([]);
      expect(await activeContent(page)).toEqual([]);
      expect(await page.title()).toBe(`Press ${hostile('heading')}`);
      expect(await page.locator('h1').textContent()).toBe(`Press ${hostile('heading')}`);
      expect(await page.locator('main > p').nth(1).textContent()).toContain(hostile('paragraph'));
      expect(await page.locator('span[data-indicator="F7"]').textContent()).toBe(
        `<svg onload="cairnetPwned('define')"> and <script>cairnetPwned('define')</script>`,
      );
      expect(await page.locator('li').allTextContents()).toEqual([hostile('list'), hostile('emphasis')]);
      expect(await page.locator('li em').textContent()).toBe(hostile('emphasis'));
      expect(await page.locator('blockquote').textContent()).toBe(hostile('quote'));
      await page.close();
    });
  },
);
