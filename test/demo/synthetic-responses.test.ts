import { Model, type Question } from 'survey-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../src/instrument/expression-functions.js';
import { type SyntheticResponse, syntheticResponses } from '../../src/demo/synthetic-responses.js';
import { isCairnetError } from '../../src/errors.js';
import { instrumentHash } from '../../src/instrument/instrument-hash.js';
import type { InstrumentJson } from '../../src/instrument/types.js';
import { compileValidator } from '../../src/responses/compiled-validator.js';
import { validateAnswers } from '../../src/responses/validate-answers.js';
import { type QuestionnaireFixture, questionnaireFixtures } from '../helpers/questionnaire-fixtures.js';

const SEEDS = [1, 2, 3];
/**
 * Responses per seed: 200 where the server validates with its compiled rules (Cairnet, about a
 * millisecond each); 30 (90 over the three seeds) where it builds a survey-core Model
 * (20–200 ms a response on this machine; more would hold the whole suite past its time budget).
 */
const perSeed = (json: InstrumentJson) => ('unsupported' in compileValidator(json) ? 30 : 200);
/** Responses of each seed also checked question by question on a survey-core Model of their own. */
const CHECKED_ON_MODEL = 15;

const fixtures = await questionnaireFixtures();

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v as object).every(isEmpty);
  return false;
}

/**
 * What survey-core itself says of a stored response, independently of the generator: the
 * questions answered though hidden, and those shown, required and left empty.
 */
function modelProblems(json: InstrumentJson, data: Record<string, unknown>): string[] {
  const model = new Model(json);
  model.data = data;
  const problems: string[] = [];
  for (const q of model.getAllQuestions(false) as Question[]) {
    const name = q.getValueName();
    const any = q as unknown as { visible: boolean; clearIfInvisible?: string };
    if (q.getType() === 'expression' || (!any.visible && any.clearIfInvisible === 'none')) continue;
    if (!q.isVisibleInSurvey && name in data) problems.push(`${name}: answered but hidden`);
    if (q.isVisibleInSurvey && q.isRequired && !q.isReadOnly && isEmpty(data[name]))
      problems.push(`${name}: shown, required, unanswered`);
  }
  return problems;
}

describe.each(fixtures.map((f) => [f.name, f] as const))(
  'synthetic responses to %s',
  (_name, fixture: QuestionnaireFixture) => {
    const byseed = new Map<number, SyntheticResponse[]>();
    const key = instrumentHash(fixture.json);

    beforeAll(() => {
      for (const seed of SEEDS)
        byseed.set(
          seed,
          syntheticResponses(fixture.json, { respondents: perSeed(fixture.json), seed, lang: 'fr' }),
        );
    }, 300_000);

    it('each passes the server validation of a completed response, and keeps every answer it sent', () => {
      for (const responses of byseed.values()) {
        expect(responses).toHaveLength(perSeed(fixture.json));
        for (const r of responses) {
          expect(r.dropped).toEqual([]);
          // what is stored validates again as it is (the same function as POST …/responses)
          const again = validateAnswers(fixture.json as Record<string, unknown>, key, r.data, {
            complete: true,
          });
          expect(again.dropped).toEqual([]);
          expect(again.data).toEqual(r.data);
        }
      }
    }, 300_000);

    it('answers every required question shown and no hidden question, as survey-core reads them', () => {
      const problems = [...byseed.values()].flatMap((responses) =>
        responses.slice(0, CHECKED_ON_MODEL).flatMap((r) => modelProblems(fixture.json, r.data)),
      );
      expect(problems).toEqual([]);
    }, 120_000);

    it('gives the same responses for the same seed, other ones for another seed', () => {
      const first = byseed.get(1)!.slice(0, 20);
      const again = syntheticResponses(fixture.json, { respondents: 20, seed: 1, lang: 'fr' });
      expect(again.map((r) => r.data)).toEqual(first.map((r) => r.data));
      expect(
        byseed
          .get(2)!
          .slice(0, 20)
          .map((r) => r.data),
      ).not.toEqual(first.map((r) => r.data));
    }, 120_000);
  },
);

describe('synthetic responses to the questionnaire of every construct', () => {
  const fixture = fixtures.find((f) => f.name === 'every-construct.json')!;
  let data: Record<string, unknown>[] = [];
  beforeAll(() => {
    data = syntheticResponses(fixture.json, { respondents: 60, seed: 9, lang: 'fr' }).map((r) => r.data);
  }, 120_000);

  it('keeps numbers, dates and texts within their bounds, patterns and lengths', () => {
    for (const d of data) {
      expect(d.age).toSatisfy((a: number) => Number.isInteger(a) && a >= 10 && a <= 90);
      if (d.income !== undefined) expect(d.income).toSatisfy((x: number) => x >= 1000 && x <= 9000);
      expect(d.ratio).toSatisfy((x: number) => x > 0.5 && x < 0.9);
      expect(String(d.born) >= '1950-01-01' && String(d.born) <= '2005-12-31').toBe(true);
      expect(d.zip).toMatch(/^[0-9]{5}$/);
      expect(d.email).toMatch(/^texte\d+@example\.org$/);
      if (d.nick !== undefined) expect(String(d.nick).length).toBeGreaterThanOrEqual(12);
      if (d.why !== undefined) expect(String(d.why).length).toBeLessThanOrEqual(6);
      expect([0, 2, 4, 6, 8, 10]).toContain(d.mood);
    }
  });

  it('respects choice filters, disabled choices and the number of choices allowed', () => {
    for (const d of data) {
      const pets = (d.pets ?? []) as string[];
      if (d.pets !== undefined && !pets.includes('none'))
        expect(pets.length >= 2 && pets.length <= 3, JSON.stringify(pets)).toBe(true);
      if (Number(d.age) <= 40) expect(pets).not.toContain('horse');
      if (d.favourite !== undefined) expect(pets).toContain(d.favourite);
      if (d.consent !== true) expect((d.colours ?? []) as string[]).not.toContain('blue');
      if (d.consent !== true) expect(d.country).toBeUndefined();
      // the page of these questions is shown to adults only (a calculated value)
      if (Number(d.age) >= 18)
        expect([...((d.priorities ?? []) as string[])].sort()).toEqual(['health', 'money', 'time']);
      else expect(d.priorities ?? d.pets).toBeUndefined();
    }
    // "Other" comes with its text, and "None" alone
    const withOther = data.filter((d) => ((d.pets ?? []) as string[]).includes('other'));
    for (const d of withOther) expect(d['pets-Comment']).toMatch(/^Texte \d+$/);
    for (const d of data.filter((d) => ((d.pets ?? []) as string[]).includes('none')))
      expect(d.pets).toEqual(['none']);
  });

  it('fills matrices, cells by their column and dynamic panels within their limits', () => {
    for (const d of data) {
      const agree = d.agree as Record<string, number>;
      expect(Object.keys(agree).sort()).toEqual(d.consent === true ? ['a', 'b', 'c'] : ['a', 'b']);
      for (const [device, cells] of Object.entries(
        (d.usage ?? {}) as Record<string, Record<string, unknown>>,
      )) {
        expect(['phone', 'laptop']).toContain(device);
        expect(cells.hours).toSatisfy((h: number) => h >= 0 && h <= 24);
        expect([0, 1, 2]).toContain(cells.often);
        if (cells.often === 0) expect(cells.apps).toBeUndefined();
      }
      const kids = d.kids as Record<string, unknown>[];
      expect(kids.length >= 1 && kids.length <= 3).toBe(true);
      for (const k of kids) {
        expect(k.kid_age).toSatisfy((a: number) => a >= 0 && a <= 17);
        if (Number(k.kid_age) < 6) expect(k.school).toBeUndefined();
        else expect(['primary', 'secondary']).toContain(k.school);
      }
      // a question shown by a later answer is answered too
      if (d.finale === 'yes') expect(d.late).toMatch(/^Texte \d+$/);
      else expect(d.late).toBeUndefined();
      // the equation is the server's, the hidden default is the server's
      expect(d.double_age).toBe(Number(d.age) * 2);
      expect(d.source).toBe('panel');
    }
  });

  it('leaves optional questions unanswered now and then, required ones never', () => {
    const answered = (name: string) => data.filter((d) => d[name] !== undefined).length;
    expect(answered('age')).toBe(data.length);
    expect(answered('income')).toBeLessThan(data.length);
    expect(answered('income')).toBeGreaterThan(data.length / 2);
  });
});

describe('a questionnaire no response can satisfy', () => {
  /** A required number whose rule no number meets, and a text whose length rule no text meets. */
  const impossible = (textRequired: boolean): InstrumentJson => ({
    pages: [
      {
        name: 'p',
        elements: [
          { type: 'radiogroup', name: 'ok', isRequired: true, choices: ['a', 'b'] },
          {
            type: 'text',
            name: 'never',
            isRequired: textRequired,
            validators: [{ type: 'text', minLength: 5, maxLength: 2 }],
          },
        ],
      },
    ],
  });

  it('is refused with CAIRNET_DEMO_UNSATISFIABLE naming the question and its rule', () => {
    let error: unknown;
    try {
      syntheticResponses(impossible(true), { respondents: 3, seed: 1 });
    } catch (e) {
      error = e;
    }
    expect(isCairnetError(error) && error.code).toBe('CAIRNET_DEMO_UNSATISFIABLE');
    expect((error as Error).message).toMatch(/question "never"/);
    expect((error as { details: { question: string }[] }).details.map((d) => d.question)).toEqual(['never']);
  });

  it('leaves the question unanswered when it is optional', () => {
    const responses = syntheticResponses(impossible(false), { respondents: 20, seed: 1 });
    expect(responses.every((r) => r.data.never === undefined && r.data.ok !== undefined)).toBe(true);
  });
});
