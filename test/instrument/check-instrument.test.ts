import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCairnetError } from '../../src/errors.js';
import {
  CAIRNET_SURVEY_PATH,
  checkInstrument,
  instrumentProblems,
  loadCairnetInstrument,
  loadInstrument,
} from '../../src/instrument/index.js';

const cairnet = JSON.parse(readFileSync(CAIRNET_SURVEY_PATH, 'utf8'));

function rejection(json: unknown): { code: string; details: { path: string; message: string }[] } {
  try {
    checkInstrument(json);
  } catch (e) {
    if (isCairnetError(e)) return { code: e.code, details: e.details as { path: string; message: string }[] };
    throw e;
  }
  throw new Error('the instrument was accepted');
}

const page = (elements: unknown[], extra: object = {}) => ({ pages: [{ name: 'p1', elements, ...extra }] });

describe('checkInstrument', () => {
  it('accepts the bundled Cairnet questionnaire', () => {
    expect(instrumentProblems(cairnet)).toEqual([]);
    const { hash, codebook } = loadCairnetInstrument();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(codebook.instrumentHash).toBe(hash);
  });

  it('keeps the stable variable names and choice codes others rely on', () => {
    const names = loadCairnetInstrument().codebook.variables.map((v) => v.name);
    for (const n of [
      'gender',
      'age_band',
      'status',
      'permanent',
      'responsibility',
      'research_kind',
      'clinical_activity',
      'field',
      'relation',
      'associations',
      'ongoing_since',
      'relation_origin',
      'funding',
      'funding_amount',
      'funding_use',
      'activities',
      'benefit_motivation',
      'benefit_funding',
      'opinion_best_placed',
      'opinion_no_reason',
      'want_more_contact',
      'want_inserm_help',
      'press_contact_optin',
    ]) {
      expect(names).toContain(n);
    }
  });

  it('lists every problem of a broken instrument together, with paths', () => {
    const broken = page([
      { type: 'radiogroup', name: 'q1', choices: ['a', 'b', 'a'] },
      { type: 'text', name: 'q1' },
      { type: 'slider3d', name: 'q3' },
      { type: 'text', name: 'q4', visibleIf: "{ghost} = 'x'" },
      { type: 'text', name: 'q5', enableIf: '{q1} = ' },
      { type: 'text', name: 'q6', bogusProperty: 1 },
    ]);
    const { code, details } = rejection(broken);
    expect(code).toBe('CAIRNET_INSTRUMENT_INVALID');
    const text = details.map((d) => `${d.path} ${d.message}`);
    expect(text.some((t) => t.startsWith('/pages/0/elements/1 ') && t.includes('"q1" is already used'))).toBe(
      true,
    );
    expect(
      text.some((t) => t.includes('/pages/0/elements/0/choices') && t.includes('"a" appears twice')),
    ).toBe(true);
    expect(
      text.some((t) => t.startsWith('/pages/0/elements/2 ') && t.includes('Unknown element type "slider3d"')),
    ).toBe(true);
    expect(text.some((t) => t.startsWith('/pages/0/elements/3/visibleIf') && t.includes('"ghost"'))).toBe(
      true,
    );
    expect(
      text.some((t) => t.startsWith('/pages/0/elements/4/enableIf') && t.includes('not a valid expression')),
    ).toBe(true);
    expect(text.some((t) => t.includes('survey-core') && t.includes('bogusProperty'))).toBe(true);
  });

  it('finds duplicates and bad references inside panels and dynamic panels', () => {
    const { details } = rejection(
      page([
        { type: 'panel', name: 'box', elements: [{ type: 'text', name: 'a' }] },
        { type: 'text', name: 'a' },
        {
          type: 'paneldynamic',
          name: 'list',
          templateElements: [
            { type: 'text', name: 'x' },
            { type: 'text', name: 'x' },
            { type: 'text', name: 'y', visibleIf: '{panel.nope} notempty' },
          ],
        },
        { type: 'matrix', name: 'm', columns: ['1', '2'], rows: ['r', 'r'] },
      ]),
    );
    const text = details.map((d) => `${d.path} ${d.message}`);
    expect(text.some((t) => t.startsWith('/pages/0/elements/1 ') && t.includes('"a" is already used'))).toBe(
      true,
    );
    expect(text.some((t) => t.includes('templateElements/1') && t.includes('"x" is already used'))).toBe(
      true,
    );
    expect(text.some((t) => t.includes('templateElements/2/visibleIf') && t.includes('"nope"'))).toBe(true);
    expect(text.some((t) => t.includes('elements/3/rows') && t.includes('"r" appears twice'))).toBe(true);
  });

  it('checks the conditions of pages and accepts {panel.x} and matrix-row references that exist', () => {
    expect(
      instrumentProblems({
        pages: [
          { name: 'a', elements: [{ type: 'matrix', name: 'm', columns: ['1', '2', '3'], rows: ['r'] }] },
          {
            name: 'b',
            visibleIf: "{m.r} = '2'",
            elements: [
              {
                type: 'paneldynamic',
                name: 'list',
                templateElements: [
                  { type: 'text', name: 'x' },
                  { type: 'text', name: 'y', visibleIf: '{panel.x} notempty' },
                ],
              },
            ],
          },
        ],
      }),
    ).toEqual([]);
    const { details } = rejection({
      pages: [{ name: 'a', visibleIf: '{missing} = 1', elements: [{ type: 'text', name: 'q' }] }],
    });
    expect(details).toEqual([{ path: '/pages/0/visibleIf', message: expect.stringContaining('"missing"') }]);
  });

  it('rejects what is not an instrument at all', () => {
    expect(rejection([]).details[0]?.message).toMatch(/JSON object/);
    expect(rejection({ pages: [] }).details[0]?.message).toMatch(/no questions/);
  });

  it('reports an unreadable file and a file that is not JSON with their own errors', () => {
    expect(() => loadInstrument('/nonexistent/survey.json')).toThrow(
      expect.objectContaining({ code: 'CAIRNET_FILE_UNREADABLE' }),
    );
    expect(() => loadInstrument(new URL(import.meta.url).pathname)).toThrow(
      expect.objectContaining({ code: 'CAIRNET_INSTRUMENT_INVALID' }),
    );
  });
});
