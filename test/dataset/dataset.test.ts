import { describe, expect, it } from 'vitest';
import {
  addDerivedVariables,
  buildDataset,
  type CategoricalColumn,
  conditionMask,
  DatasetBuilder,
  textsAt,
} from '../../src/dataset/index.js';
import { generatePanel } from '../../src/demo/index.js';
import { flattenAnswers, loadCairnetInstrument } from '../../src/instrument/index.js';

const { codebook } = loadCairnetInstrument();
const panel = generatePanel({ respondents: 120, seed: 7 });
const rows = panel.map((r) => ({ data: r.data, synthetic: r.synthetic }));

function valueAt(col: CategoricalColumn, i: number): string | null {
  const k = col.codes[i]!;
  return k < 0 ? null : col.levels[k]!;
}

describe('dataset columns', async () => {
  const dataset = await buildDataset(codebook, rows);

  it('reads every variable as flattenAnswers does, one typed column each', () => {
    expect(dataset.n).toBe(120);
    panel.forEach((r, i) => {
      const flat = flattenAnswers(codebook, r.data);
      for (const [name, col] of dataset.columns) {
        if (col.kind === 'categorical') {
          const v = flat[name];
          expect(valueAt(col, i), `${name} row ${i}`).toBe(v === null || v === undefined ? null : String(v));
        } else if (col.kind === 'text_list') {
          expect(textsAt(col, i)?.join(' | ') ?? null).toBe(flat[name]);
        }
      }
    });
  });

  it("keeps the instrument's level order and marks Likert items as ordered", () => {
    const age = dataset.columns.get('age_band') as CategoricalColumn;
    expect(age.levels).toEqual(['lt30', '30_34', '35_39', '40_44', '45_49', '50_54', '55_59', '60plus']);
    const freedom = dataset.columns.get('opinion_freedom') as CategoricalColumn;
    expect(freedom.levels).toEqual(['strongly_disagree', 'disagree', 'agree', 'strongly_agree']);
    expect(freedom.ordered).toBe(true);
    expect(freedom.levelLabels[0]!.fr.length).toBeGreaterThan(0);
  });

  it('turns each choice of a multi-select into a 0/1 indicator, missing when the question was not asked', () => {
    const seed = dataset.columns.get('funding_use__seed') as CategoricalColumn;
    expect(seed.levels).toEqual(['0', '1']);
    panel.forEach((r, i) => {
      const uses = r.data.funding_use as string[] | undefined;
      expect(valueAt(seed, i)).toBe(uses ? (uses.includes('seed') ? '1' : '0') : null);
    });
    expect(dataset.columns.has('funding_use')).toBe(false);
  });

  it('carries the synthetic flag of each response', () => {
    expect([...dataset.synthetic].every((s) => s === 1)).toBe(true);
  });

  it('grows while streaming, builds only the variables asked for, and reads unknown codes as missing', () => {
    const builder = new DatasetBuilder(codebook, { variables: ['relation'], keepIds: true });
    for (let k = 0; k < 3000; k++)
      builder.add({ id: `r${k}`, data: { relation: k === 5 ? 'sometimes' : 'ongoing' } });
    const d = builder.finish();
    expect(d.n).toBe(3000);
    expect([...d.columns.keys()]).toEqual(['relation']);
    expect(d.unknownValues.get('relation')).toBe(1);
    expect((d.columns.get('relation') as CategoricalColumn).codes[5]).toBe(-1);
    expect(d.ids?.[2999]).toBe('r2999');
  });

  it('rejects a variable the codebook does not have', () => {
    expect(() => new DatasetBuilder(codebook, { variables: ['relashun'] })).toThrow(/no variable "relashun"/);
  });
});

describe('derived variables and conditions', async () => {
  const dataset = await buildDataset(codebook, rows);
  const derived = addDerivedVariables(dataset, [
    { name: 'in_contact', when: { var: 'relation', in: ['short_term', 'ongoing'] } },
    {
      name: 'age_group',
      recode: 'age_band',
      map: { young: ['lt30', '30_34'], senior: ['55_59', '60plus'] },
    },
    { name: 'funded', when: { all: [{ flag: 'in_contact' }, { var: 'funding', in: ['yes'] }] } },
  ]);
  const relation = dataset.columns.get('relation') as CategoricalColumn;

  it('makes a 0/1 indicator from a condition', () => {
    const c = derived.columns.get('in_contact') as CategoricalColumn;
    for (let i = 0; i < dataset.n; i++) {
      expect(c.codes[i]).toBe(['short_term', 'ongoing'].includes(valueAt(relation, i)!) ? 1 : 0);
    }
  });

  it('recodes levels into groups in the order written, unlisted levels missing', () => {
    const g = derived.columns.get('age_group') as CategoricalColumn;
    const age = dataset.columns.get('age_band') as CategoricalColumn;
    expect(g.levels).toEqual(['young', 'senior']);
    for (let i = 0; i < dataset.n; i++) {
      const a = valueAt(age, i)!;
      expect(valueAt(g, i)).toBe(
        ['lt30', '30_34'].includes(a) ? 'young' : ['55_59', '60plus'].includes(a) ? 'senior' : null,
      );
    }
  });

  it('combines conditions with all, any, not, answered and missing', () => {
    const sum = (m: Uint8Array) => m.reduce((s, v) => s + v, 0);
    const funded = conditionMask(derived, { flag: 'funded' });
    const answered = conditionMask(derived, { answered: 'funding_amount' });
    expect(sum(funded)).toBe(sum(answered));
    const never = conditionMask(derived, { not: { flag: 'in_contact' } });
    const missing = conditionMask(derived, { missing: 'funding' });
    expect(sum(never)).toBe(sum(missing));
    const either = conditionMask(derived, {
      any: [{ flag: 'in_contact' }, { var: 'relation', in: ['never'] }],
    });
    expect(sum(either)).toBe(dataset.n);
  });

  it('refuses a level the variable does not have', () => {
    expect(() => conditionMask(derived, { var: 'relation', in: ['sometimes'] })).toThrow(/not a level/);
  });
});
