import { randomBytes } from 'node:crypto';
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { cairnetSurvey } from '../helpers/cairnet-answers.js';

type Lang = 'fr' | 'en';
type Localized = string | { default?: string; fr?: string };
interface Choice {
  value: string;
  text: Localized;
}
interface QuestionJson {
  type: string;
  name: string;
  choices?: Choice[];
  rows?: Choice[];
  columns?: Choice[];
}

const survey = cairnetSurvey() as { pages: { name: string; elements: QuestionJson[] }[] };
const questions = new Map<string, QuestionJson>(
  survey.pages.flatMap((p) => p.elements.map((q) => [q.name, q] as const)),
);

async function retry<T>(fn: () => Promise<T> | T, check: (v: T) => void, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    try {
      check(v);
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Polls `fn` until the assertion holds (10 s at most), then fails with the last value. Unlike
 * `expect.poll`, it works in concurrent tests.
 */
export function eventually<T>(fn: () => Promise<T> | T, timeoutMs = 10_000) {
  return {
    toBe: (x: T) => retry(fn, (v) => expect(v).toBe(x), timeoutMs),
    toContain: (x: string) => retry(fn, (v) => expect(v).toContain(x), timeoutMs),
    toMatch: (x: RegExp) => retry(fn, (v) => expect(v).toMatch(x), timeoutMs),
    not: { toBe: (x: T) => retry(fn, (v) => expect(v).not.toBe(x), timeoutMs) },
  };
}

/** The visible text of an element, whitespace collapsed. */
export async function text(loc: Locator): Promise<string> {
  return ((await loc.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

function localized(t: Localized, lang: Lang): string {
  if (typeof t === 'string') return t;
  return (lang === 'fr' ? t.fr : t.default) ?? t.default ?? '';
}

/** A fresh resume token in the form the page accepts. */
export function newResumeToken(): string {
  return randomBytes(18).toString('base64url');
}

export const NEXT = /^(Suivant|Next)$/;
export const PREV = /^(Précédent|Previous)$/;
export const COMPLETE = /^(Terminer|Complete)$/;

/** The title of the page the respondent sees. */
export function pageTitle(page: Page) {
  return page.locator('.sd-page__title').first();
}

/** Presses a navigation button and waits for the draft the page change saves. */
export async function go(page: Page, button: RegExp): Promise<void> {
  const saved = page
    .waitForResponse((r) => r.url().includes('/drafts/') && r.request().method() === 'PUT', {
      timeout: 20_000,
    })
    .catch(async (e: Error) => {
      // Say why the page did not change (usually an answer the form refused).
      const errors = await page
        .locator('.sd-question')
        .filter({ has: page.locator('.sd-question__erbox') })
        .evaluateAll((els) =>
          els.map(
            (el) =>
              `${el.getAttribute('data-name')}: ${el.querySelector('.sd-question__erbox')?.textContent}`,
          ),
        );
      throw new Error(
        `no draft saved after pressing ${button}; errors shown: ${JSON.stringify(errors)}; ${e.message}`,
      );
    });
  await page.getByRole('button', { name: button }).click();
  const res = await saved;
  expect(res.status()).toBe(200);
}

/** Answers one question as a person would: clicking labels, picking from lists, typing. */
export async function answer(page: Page, name: string, value: unknown, lang: Lang): Promise<void> {
  const q = questions.get(name);
  if (!q) throw new Error(`no question ${name} in the Cairnet questionnaire`);
  const box = page.locator(`.sd-question[data-name="${name}"]`).first();
  switch (q.type) {
    case 'radiogroup':
    case 'checkbox': {
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) {
        // SurveyJS hides the real input: click the label that holds it.
        await box
          .locator('label')
          .filter({ has: page.locator(`input[value="${v}"]`) })
          .click();
        await eventually(() => box.locator(`input[value="${v}"]`).isChecked()).toBe(true);
      }
      return;
    }
    case 'dropdown': {
      const choice = q.choices?.find((c) => c.value === value);
      if (!choice) throw new Error(`${name} has no choice ${String(value)}`);
      // Clicking an option of a list near the bottom of the page is flaky (the popup moves while
      // it opens), so pick it as a keyboard user does: arrows until it is active, then Enter.
      const combo = box.getByRole('combobox');
      const list = await combo.getAttribute('aria-controls');
      const wanted = `${list}${String(value)}`;
      for (let attempt = 0; attempt < 3; attempt++) {
        await combo.focus();
        // Type the start of the choice to filter the list (SurveyJS's search), then move to it.
        await page.keyboard.type(localized(choice.text, lang).slice(0, 6));
        for (let i = 0; i <= (q.choices?.length ?? 0); i++) {
          if ((await combo.getAttribute('aria-activedescendant')) === wanted) break;
          await page.keyboard.press('ArrowDown');
        }
        await page.keyboard.press('Enter');
        // Leave the list as a keyboard user does: the choice must still be there afterwards.
        await page.keyboard.press('Tab');
        const shown = (await box.locator('.sd-dropdown__value').textContent()) ?? '';
        if (shown.includes(localized(choice.text, lang))) break;
      }
      await eventually(() => box.locator('.sd-dropdown__value').textContent()).toContain(
        localized(choice.text, lang),
      );
      return;
    }
    case 'matrix': {
      for (const [row, col] of Object.entries(value as Record<string, string>)) {
        const rowJson = q.rows?.find((r) => r.value === row);
        if (!rowJson) throw new Error(`${name} has no row ${row}`);
        const tr = box.locator('tr').filter({ hasText: localized(rowJson.text, lang) });
        await tr
          .locator('label')
          .filter({ has: page.locator(`input[value="${col}"]`) })
          .click();
        await eventually(() => tr.locator(`input[value="${col}"]`).isChecked()).toBe(true);
      }
      return;
    }
    case 'paneldynamic': {
      const items = value as { name: string }[];
      const inputs = box.locator('.sd-question[data-name="name"] input');
      for (const [i, item] of items.entries()) {
        if ((await inputs.count()) <= i) {
          await box.getByRole('button', { name: /Ajouter une association|Add an association/ }).click();
        }
        await inputs.nth(i).fill(item.name);
        await inputs.nth(i).blur();
      }
      await eventually(() => inputs.count()).toBe(items.length);
      return;
    }
    default:
      throw new Error(`the driver cannot answer a ${q.type} question (${name})`);
  }
}

/** Answers the given questions, in order, on the current page. */
export async function answerAll(page: Page, answers: Record<string, unknown>, lang: Lang): Promise<void> {
  for (const [name, value] of Object.entries(answers)) await answer(page, name, value, lang);
}

/** Runs axe on the page as it is and fails on any serious or critical violation. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  // Judge the page as a person sees it once it settles, not halfway through a CSS transition
  // (colours measured mid-fade fail contrast at random).
  await page.evaluate(() => {
    for (const a of document.getAnimations()) {
      try {
        a.finish();
      } catch {
        // an endless animation (a spinner) cannot finish: leave it
      }
    }
  });
  await page.waitForTimeout(300);
  await page.evaluate(() => {
    for (const a of document.getAnimations()) {
      try {
        a.finish();
      } catch {
        // an endless animation (a spinner) cannot finish: leave it
      }
    }
  });
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n${v.nodes
        .slice(0, 5)
        .map((n) => `  ${n.target.join(' ')}: ${n.failureSummary?.replaceAll('\n', ' ')}`)
        .join('\n')}`,
  );
  expect(report, `axe on ${where}`).toEqual([]);
}

/** The names of the questions on one page of the Cairnet questionnaire. */
export function questionsOn(pageName: string): string[] {
  const p = survey.pages.find((x) => x.name === pageName);
  if (!p) throw new Error(`no page ${pageName}`);
  return p.elements.filter((q) => q.type !== 'html').map((q) => q.name);
}

/** The title of a page of the questionnaire in a language. */
export function titleOf(pageName: string, lang: Lang): string {
  const p = survey.pages.find((x) => x.name === pageName) as { title?: Localized } | undefined;
  if (!p?.title) throw new Error(`no page ${pageName}`);
  return localized(p.title, lang);
}

/** Checks the page shown is `pageName`, then answers its questions found in `answers`. */
export async function fillPage(
  page: Page,
  pageName: string,
  answers: Record<string, unknown>,
  lang: Lang,
): Promise<void> {
  await eventually(() => text(pageTitle(page))).toBe(titleOf(pageName, lang));
  for (const name of questionsOn(pageName)) {
    if (name in answers) await answer(page, name, answers[name], lang);
  }
  // Under load, a dropdown's popup may still be closing when the next question is answered and
  // lose its value; a person would see the empty box and pick again, and so does the driver.
  for (let attempt = 0; attempt < 3; attempt++) {
    const lost: string[] = [];
    for (const name of questionsOn(pageName)) {
      const q = questions.get(name);
      if (q?.type !== 'dropdown' || !(name in answers)) continue;
      const choice = q.choices?.find((c) => c.value === answers[name]);
      const shown = await page
        .locator(`.sd-question[data-name="${name}"] .sd-dropdown__value`)
        .first()
        .textContent();
      if (choice && !(shown ?? '').includes(localized(choice.text, lang))) lost.push(name);
    }
    if (lost.length === 0) return;
    for (const name of lost) await answer(page, name, answers[name], lang);
  }
}

/**
 * Presses Tab (at most `max` times) until the focused element matches `selector`; fails
 * otherwise. Only the keyboard moves the focus.
 */
export async function tabTo(page: Page, selector: string, max = 40): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate((sel) => {
      const el = document.activeElement;
      if (!el) return { hit: false, what: 'nothing' };
      return { hit: el.matches(sel), what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` };
    }, selector);
    if (here.hit) return;
    seen.push(here.what);
  }
  throw new Error(`Tab never reached ${selector}; focus went through ${seen.join(', ')}`);
}

/** Whether the focused element matches `selector`. */
export function focusIs(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector);
}
