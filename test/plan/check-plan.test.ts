import { describe, expect, it } from 'vitest';
import { CairnetError } from '../../src/errors.js';
import { loadCairnetInstrument } from '../../src/instrument/index.js';
import { checkPlan } from '../../src/plan/check-plan.js';
import { type PlanProblem, parsePlan, readPlanFile } from '../../src/plan/index.js';

const { codebook } = loadCairnetInstrument();

function problems(text: string): PlanProblem[] {
  try {
    checkPlan(parsePlan(text, 'plan.yaml'), codebook);
  } catch (e) {
    if (e instanceof CairnetError && e.code === 'CAIRNET_PLAN_INVALID') return e.details as PlanProblem[];
    throw e;
  }
  return [];
}

const head = `version: 1
instrument: cairnet
derived:
  - name: in_contact
    when: { var: relation, in: [short_term, ongoing] }
indicators:
`;
const indicator = (id: string, body: string) =>
  `  - id: ${id}\n    label: { fr: "x", en: "x" }\n${body
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n`;

describe('checking a plan', () => {
  it('accepts the Cairnet plan', () => {
    expect(() => checkPlan(readPlanFile(), codebook)).not.toThrow();
  });

  it('names the line and indicator of a level the variable does not have', () => {
    const text =
      head +
      indicator('A', 'estimate: { proportion: { flag: in_contact } }') +
      indicator('B', 'estimate:\n  proportion: { var: relation, in: [never, sometimes] }');
    expect(problems(text)).toEqual([
      {
        line: 13,
        indicator: 'B',
        message: '"sometimes" is not a level of "relation" (never, short_term, ongoing)',
      },
    ]);
  });

  it('lists every problem: a duplicate id, a breakdown that is not categorical, a test without breakdown', () => {
    const text =
      head +
      indicator('A', 'estimate: { proportion: { flag: in_contact } }\ntest: chisq') +
      indicator('A', 'estimate: { proportion: { flag: in_contact } }\nby: associations');
    const found = problems(text);
    expect(found.map((p) => [p.line, p.indicator])).toEqual([
      [10, 'A'],
      [11, 'A'],
      [14, 'A'],
    ]);
    expect(found.map((p) => p.message)).toEqual([
      'a test compares groups: give a breakdown ("by")',
      'the id "A" is used twice',
      '"associations" is text_list, not categorical',
    ]);
  });

  it('names the line of a derived variable that recodes an unknown level', () => {
    const text =
      head.replace(
        'indicators:',
        '  - name: age_group\n    recode: age_band\n    map:\n      young: [lt30, lt25]\nindicators:',
      ) + indicator('A', 'estimate: { distribution: age_group }');
    expect(problems(text)).toEqual([
      { line: 9, indicator: null, message: expect.stringMatching(/"lt25" is not a level of "age_band"/) },
    ]);
  });

  it('reports schema problems with their path: a missing label, an unknown estimate, a bad figure number', () => {
    const text = `${head}  - id: A\n    estimate: { median: relation }\n    published: { figure: "2", text: "x" }\n`;
    const found = problems(text);
    expect(found.map((p) => p.indicator)).toEqual(['A', 'A', 'A']);
    expect(found.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^indicators\.0\.label: /),
        'indicators.0.estimate: not one of the forms this field accepts',
        expect.stringMatching(/^indicators\.0\.published\.figure: a figure number/),
      ]),
    );
  });

  it('asks for weights before a Rao-Scott test, and for as many profiles as clusters', () => {
    const text =
      head + indicator('A', 'estimate: { proportion: { flag: in_contact } }\nby: gender\ntest: rao_scott');
    expect(problems(text).map((p) => p.message)).toEqual(['rao_scott is for weighted data: give "weights"']);
  });
});
