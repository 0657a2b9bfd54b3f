import { describe, expect, it } from 'vitest';
import {
  deriveCodebook,
  flattenAnswers,
  instrumentHash,
  LIST_SEPARATOR,
  loadCairnetInstrument,
} from '../../src/instrument/index.js';

const { json, codebook } = loadCairnetInstrument();
const variable = (name: string) => {
  const v = codebook.variables.find((x) => x.name === name);
  if (!v) throw new Error(`no variable ${name}`);
  return v;
};

describe('deriveCodebook on the Cairnet questionnaire', () => {
  it('gives single-choice questions their levels in order with both labels', () => {
    const age = variable('age_band');
    expect(age.type).toBe('single');
    expect(age.section).toBe('about_you');
    expect(age.levels.map((l) => l.value)).toEqual([
      'lt30',
      '30_34',
      '35_39',
      '40_44',
      '45_49',
      '50_54',
      '55_59',
      '60plus',
    ]);
    expect(age.levels[0]?.label).toEqual({ en: 'Under 30', fr: 'Moins de 30 ans' });
    expect(variable('relation').label.fr).toMatch(/association de malades/);
  });

  it('turns Likert matrix rows into ordinal variables named <matrix>_<row>', () => {
    const freedom = variable('opinion_freedom');
    expect(freedom).toMatchObject({ type: 'ordinal', question: 'opinion', row: 'freedom', visibleIf: null });
    expect(freedom.levels.map((l) => l.value)).toEqual([
      'strongly_disagree',
      'disagree',
      'agree',
      'strongly_agree',
    ]);
    expect(freedom.label.en).toMatch(/scientific freedom/);
    const motivation = variable('benefit_motivation');
    expect(motivation.levels.map((l) => l.value)).toEqual(['none', 'marginal', 'useful', 'determining']);
    expect(motivation.visibleIf).toBe("{relation} anyof ['short_term', 'ongoing']");
    expect(codebook.variables.filter((v) => v.question === 'opinion')).toHaveLength(6);
  });

  it('gives a checkbox a multiple variable and one 0/1 indicator per choice', () => {
    expect(variable('funding_use').type).toBe('multiple');
    const seed = variable('funding_use__seed');
    expect(seed).toMatchObject({ type: 'boolean', choice: 'seed', question: 'funding_use' });
    expect(seed.levels.map((l) => l.value)).toEqual([0, 1]);
    expect(codebook.variables.filter((v) => v.name.startsWith('activities__'))).toHaveLength(7);
  });

  it('combines page and question conditions into visibleIf', () => {
    expect(variable('funding_amount').visibleIf).toBe(
      "({relation} anyof ['short_term', 'ongoing']) and ({funding} = 'yes')",
    );
    expect(variable('ongoing_since').visibleIf).toBe("{relation} = 'ongoing'");
  });

  it('makes the panel of association names one text_list variable and leaves out html', () => {
    expect(variable('associations')).toMatchObject({ type: 'text_list', levels: [] });
    expect(codebook.variables.some((v) => v.question === 'consent_text' || v.name === 'name')).toBe(false);
    expect(new Set(codebook.variables.map((v) => v.name)).size).toBe(codebook.variables.length);
  });

  it('maps other question types too', () => {
    const cb = deriveCodebook({
      elements: [
        { type: 'boolean', name: 'b' },
        { type: 'text', name: 'n', inputType: 'number' },
        { type: 'rating', name: 'r', rateMax: 3 },
        { type: 'matrix', name: 'm', columns: ['y', 'n'], rows: ['a'] },
        {
          type: 'paneldynamic',
          name: 'p',
          templateElements: [
            { type: 'text', name: 'x' },
            { type: 'comment', name: 'y' },
          ],
        },
      ],
    });
    expect(cb.variables.map((v) => [v.name, v.type])).toEqual([
      ['b', 'boolean'],
      ['n', 'numeric'],
      ['r', 'ordinal'],
      ['m_a', 'matrix_row'],
      ['p_x', 'text_list'],
      ['p_y', 'text_list'],
    ]);
    expect(cb.variables[2]?.levels.map((l) => l.value)).toEqual([1, 2, 3]);
  });
});

describe('flattenAnswers', () => {
  it('gives one value per codebook variable, null where unanswered, unknown keys ignored', () => {
    const flat = flattenAnswers(codebook, {
      relation: 'ongoing',
      funding: 'yes',
      funding_use: ['postdoc', 'seed'],
      opinion: { freedom: 'disagree', best_placed: 'strongly_agree' },
      associations: [{ name: ' AFM ' }, { name: '' }, {}, { name: 'Vaincre la mucoviscidose' }],
      hacker: 'x',
    });
    expect(Object.keys(flat)).toEqual(codebook.variables.map((v) => v.name));
    expect(flat.relation).toBe('ongoing');
    expect(flat.funding_use).toBe(['seed', 'postdoc'].join(LIST_SEPARATOR));
    expect(flat.funding_use__seed).toBe(1);
    expect(flat.funding_use__equipment).toBe(0);
    expect(flat.activities__outreach).toBeNull();
    expect(flat.opinion_freedom).toBe('disagree');
    expect(flat.opinion_time).toBeNull();
    expect(flat.associations).toBe(`AFM${LIST_SEPARATOR}Vaincre la mucoviscidose`);
    expect(flat.gender).toBeNull();
    expect('hacker' in flat).toBe(false);
  });
});

describe('instrumentHash', () => {
  it('ignores key order and formatting but not content', () => {
    const copy = JSON.parse(JSON.stringify(json));
    const reordered = Object.fromEntries(Object.entries(copy).reverse());
    expect(instrumentHash(reordered)).toBe(instrumentHash(json));
    copy.pages[1].elements[0].isRequired = false;
    expect(instrumentHash(copy)).not.toBe(instrumentHash(json));
  });
});
