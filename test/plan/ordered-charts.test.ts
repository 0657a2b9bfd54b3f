import { describe, expect, it } from 'vitest';
import { CairnetError } from '../../src/errors.js';
import { loadCairnetInstrument } from '../../src/instrument/index.js';
import { checkPlan } from '../../src/plan/check-plan.js';
import { type PlanProblem, parsePlan, readPlanFile } from '../../src/plan/index.js';
import { orderedCharts } from '../../src/plan/ordered-charts.js';

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

const indicators = `indicators:
  - id: young
    label: { fr: "jeunes", en: "young" }
    estimate: { proportion: { var: relation, in: [ongoing] } }
    among: { var: age_band, in: [lt30] }
  - id: old
    label: { fr: "âgés", en: "old" }
    estimate: { proportion: { var: relation, in: [ongoing] } }
    among: { all: [{ answered: relation }, { var: age_band, in: [55_59, 60plus] }] }
  - id: all
    label: { fr: "tous", en: "all" }
    estimate: { proportion: { var: relation, in: [ongoing] } }
`;

describe('ordered charts in the plan', () => {
  it("places the Cairnet plan's F7–F9 in age order, each at its band's wording", () => {
    const parsed = readPlanFile();
    const vocabulary = checkPlan(parsed, codebook);
    const [chart] = orderedCharts(parsed.plan, codebook, (v) => vocabulary.get(v)?.levels ?? []);
    expect(chart!.variable).toBe('age_band');
    expect(chart!.points.map((p) => [p.indicator, p.levels, p.label.en, p.label.fr])).toEqual([
      ['F7', ['lt30'], 'Under 30', 'Moins de 30 ans'],
      ['F8', ['50_54'], '50–54', '50 à 54 ans'],
      ['F9', ['55_59'], '55–59', '55 à 59 ans'],
    ]);
  });

  it('sorts points by the variable’s order and finds the levels inside an "all"', () => {
    const parsed = parsePlan(`version: 1
instrument: cairnet
${indicators}charts:
  - { id: by_age, label: { fr: "âge", en: "age" }, ordered: age_band, indicators: [old, young] }
`);
    const vocabulary = checkPlan(parsed, codebook);
    const [chart] = orderedCharts(parsed.plan, codebook, (v) => vocabulary.get(v)?.levels ?? []);
    expect(chart!.points.map((p) => [p.indicator, p.label.en])).toEqual([
      ['young', 'Under 30'],
      ['old', '55–59, 60 and over'],
    ]);
  });

  it('refuses an unknown indicator, one not placed on the variable, one in two charts, with their line', () => {
    const found = problems(`version: 1
instrument: cairnet
${indicators}charts:
  - { id: a, label: { fr: "a", en: "a" }, ordered: age_band, indicators: [young, nowhere] }
  - { id: b, label: { fr: "b", en: "b" }, ordered: age_band, indicators: [young, all] }
`);
    expect(found.map((p) => p.message)).toEqual([
      'no indicator "nowhere"',
      'the indicator "young" is in two charts',
      '"all" does not pick levels of "age_band" in its "among" ({var: age_band, in: […]})',
    ]);
    expect(found.every((p) => p.line !== null && p.line > 15)).toBe(true);
  });
});
