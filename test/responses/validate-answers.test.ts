import { Model, type Question } from 'survey-core';
import { describe, expect, it } from 'vitest';
import { generatePanel } from '../../src/demo/index.js';
import { compileValidator } from '../../src/responses/compiled-validator.js';
import { validateAnswers } from '../../src/responses/validate-answers.js';
import { cairnetSurvey, neverMetAnswers, ongoingFundedAnswers } from '../helpers/cairnet-answers.js';

const json = cairnetSurvey();
const KEY = 'test-instrument';

function outcome(data: Record<string, unknown>, engine: 'compiled' | 'model' = 'compiled') {
  try {
    return { ok: true as const, data: validateAnswers(json, KEY, data, { complete: true, engine }).data };
  } catch (e) {
    return {
      ok: false as const,
      questions: ((e as { details: { question: string }[] }).details ?? []).map((d) => d.question).sort(),
    };
  }
}

/** What a fresh survey-core Model says of the same answers: the reference for the cached path. */
function freshOutcome(data: Record<string, unknown>) {
  const m = new Model(json);
  m.data = data;
  m.validate(true);
  const bad = (m.getAllQuestions(false) as Question[])
    .filter((q) => q.isVisibleInSurvey && q.errors.length > 0)
    .map((q) => q.getValueName())
    .sort();
  if (bad.length) return { ok: false as const, questions: bad };
  const kept: Record<string, unknown> = {};
  for (const q of m.getAllQuestions(false) as Question[]) {
    const n = q.getValueName();
    if (n in data && q.isVisibleInSurvey) kept[n] = data[n];
  }
  return { ok: true as const, data: kept };
}

describe('server-side validation with survey-core', () => {
  it('compiles the Cairnet questionnaire (no construct needs the slow path)', () => {
    expect(compileValidator(json)).not.toHaveProperty('unsupported');
    expect(compileValidator({ ...json, triggers: [] })).toEqual({
      unsupported: 'survey property "triggers"',
    });
  });

  it.each(['compiled', 'model'] as const)(
    'carries nothing from one validation to the next (%s)',
    (engine) => {
      const { gender: _g, ...noGender } = neverMetAnswers();
      const sequence = [
        ongoingFundedAnswers(),
        noGender,
        neverMetAnswers(),
        ongoingFundedAnswers(),
        noGender,
      ];
      const results = sequence.map((d) => outcome(d, engine));
      expect(results.map((r) => r.ok)).toEqual([true, false, true, true, false]);
      expect(results[2]).toEqual({ ok: true, data: neverMetAnswers() });
      expect(results[3]).toEqual({ ok: true, data: ongoingFundedAnswers() });
    },
  );

  it('agrees with a fresh survey-core model on the demo panel with answers removed at random', () => {
    const panel = generatePanel({ respondents: 40, seed: 99 }).map((r) => r.data);
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let invalid = 0;
    for (const data of panel) {
      const damaged = { ...data };
      for (const k of Object.keys(damaged)) if (rand() < 0.08) delete damaged[k];
      if (rand() < 0.3) damaged.funding_amount = 'gt2_5m';
      const got = outcome(damaged);
      expect(got).toEqual(freshOutcome(damaged));
      expect(outcome(damaged, 'model')).toEqual(got);
      if (!got.ok) invalid++;
    }
    expect(invalid).toBeGreaterThan(3);
  });

  it('gives French messages when asked for French', () => {
    const { gender: _g, ...noGender } = neverMetAnswers();
    try {
      validateAnswers(json, KEY, noGender, { complete: true, locale: 'fr' });
      expect.unreachable();
    } catch (e) {
      const details = (e as { details: { question: string; messages: string[] }[] }).details;
      expect(details[0]?.question).toBe('gender');
      expect(details[0]?.messages[0]).toMatch(/obligatoire/);
    }
  });
});
