import fc from 'fast-check';
import { Model, type Question } from 'survey-core';
import { describe, expect, it } from 'vitest';
import { generatePanel } from '../../src/demo/index.js';
import { compileValidator } from '../../src/responses/compiled-validator.js';
import { validateAnswers } from '../../src/responses/validate-answers.js';
import { cairnetSurvey, neverMetAnswers, ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { badGridCells, GRID_SURVEY, gridAnswers } from '../helpers/grid-answers.js';

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

describe('grid cells outside their column’s choices', () => {
  const GRID_KEY = 'grid-instrument';
  const run = (data: Record<string, unknown>, engine: 'compiled' | 'model') => {
    try {
      return {
        ok: true as const,
        data: validateAnswers(GRID_SURVEY, GRID_KEY, data, { complete: true, engine }).data,
      };
    } catch (e) {
      const err = e as { code: string; details: { question: string; messages: string[] }[] };
      return { ok: false as const, code: err.code, details: err.details };
    }
  };

  it('needs the Model for grids: the compiled rules do not cover them, so both engines give one answer', () => {
    expect(compileValidator(GRID_SURVEY)).toEqual({ unsupported: 'element type "matrixdropdown"' });
  });

  it.each(['compiled', 'model'] as const)(
    'refuses a cell outside its column’s own choices, the grid’s choices it inherits, or a checkbox cell’s, naming question, row and column (%s)',
    (engine) => {
      const ok = {
        tools: {
          r1: {
            freq: 2,
            kind: 'other',
            'kind-Comment': 'mine',
            uses: ['x', 'y'],
            inherit_cb: ['3'],
            note: 'n',
            count: 7,
          },
          r2: { freq: '1', kind: 'b' },
        },
        plain: { r1: { a: 'anything at all', b: 'u' } },
      };
      expect(run(ok, engine)).toEqual({ ok: true, data: ok });
      const cases: [Record<string, unknown>, string, string][] = [
        [{ tools: { r1: { freq: 9 } } }, 'tools', 'Row r1, column freq: "9" is not one of the choices'],
        [{ tools: { r2: { kind: 'c' } } }, 'tools', 'Row r2, column kind: "c" is not one of the choices'],
        [{ tools: { r1: { uses: ['x', 'z'] } } }, 'tools', 'Row r1, column uses: Not among the choices: z'],
        [
          { tools: { r1: { inherit_cb: ['4'] } } },
          'tools',
          'Row r1, column inherit_cb: Not among the choices: 4',
        ],
        [{ tools: { r1: { uses: 'x' } } }, 'tools', 'Row r1, column uses: Expected a list of choices'],
        [{ tools: { r1: { freq: ['1'] } } }, 'tools', 'Row r1, column freq: Expected one choice'],
        [{ tools: { r9: { freq: 1 } } }, 'tools', 'No row "r9"'],
        [{ tools: { r1: { nope: 1 } } }, 'tools', 'Row r1: no column "nope"'],
        [{ plain: { r1: { b: 'v' } } }, 'plain', 'Row r1, column b: "v" is not one of the choices'],
      ];
      for (const [data, question, message] of cases) {
        expect(run(data, engine), message).toEqual({
          ok: false,
          code: 'CAIRNET_RESPONSE_INVALID',
          details: [{ question, messages: [message] }],
        });
      }
    },
  );

  it.each(['compiled', 'model'] as const)(
    'checks a dynamic grid’s cells the same way, row by row, should an instrument hold one (%s)',
    (engine) => {
      // Cairnet's instrument check refuses matrixdynamic; the validator does not rely on it.
      const json = {
        pages: [
          {
            elements: [
              {
                type: 'matrixdynamic',
                name: 'staff',
                rowCount: 0,
                maxRowCount: 3,
                columns: [
                  { name: 'role', choices: ['pi', 'postdoc'] },
                  { name: 'who', cellType: 'text' },
                ],
              },
            ],
          },
        ],
      };
      const check = (data: unknown) => {
        try {
          return validateAnswers(json, 'dynamic-grid', { staff: data }, { complete: true, engine }).data;
        } catch (e) {
          return (e as { details: unknown }).details;
        }
      };
      const ok = [{ role: 'pi', who: 'Ann' }, {}, { role: 'postdoc' }];
      expect(check(ok)).toEqual({ staff: ok });
      const refused = (messages: string[]) => [{ question: 'staff', messages }];
      expect(check([{ role: 'pi' }, { role: 'boss' }])).toEqual(
        refused(['Row 2, column role: "boss" is not one of the choices']),
      );
      expect(check([{ chief: 'x' }])).toEqual(refused(['Row 1: no column "chief"']));
      expect(check({ role: 'pi' })).toEqual(refused(['Expected a list of rows']));
      expect(check([{}, {}, {}, {}])).toEqual(refused(['At most 3 rows']));
    },
  );

  it('agrees across engines on the Cairnet matrix (compiled there): a value outside its columns is refused by both', () => {
    const json = cairnetSurvey();
    expect(compileValidator(json)).not.toHaveProperty('unsupported');
    const data = { ...ongoingFundedAnswers(), opinion: { best_placed: 'nonsense' } };
    const compiled = outcome(data, 'compiled');
    expect(compiled).toEqual({ ok: false, questions: ['opinion'] });
    expect(outcome(data, 'model')).toEqual(compiled);
  });

  it('accepts exactly the answers whose every cell is among its column’s choices, the same with both engines (property)', () => {
    let refused = 0;
    fc.assert(
      fc.property(gridAnswers, (data) => {
        const compiled = run(data, 'compiled');
        const model = run(data, 'model');
        expect(model).toEqual(compiled);
        const bad = badGridCells(data);
        expect(compiled.ok, JSON.stringify(data)).toBe(bad.length === 0);
        if (!compiled.ok) {
          refused++;
          expect(compiled.code).toBe('CAIRNET_RESPONSE_INVALID');
          expect(compiled.details.map((d) => d.question).sort()).toEqual(
            [...new Set(bad.map((b) => b.split(':')[0]!))].sort(),
          );
        }
      }),
      { numRuns: 400, seed: 20261203 },
    );
    expect(refused).toBeGreaterThan(50);
  });
});
