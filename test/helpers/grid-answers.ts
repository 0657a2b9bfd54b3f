import fc from 'fast-check';

/**
 * A questionnaire of grids whose cells take their choices every way SurveyJS gives them: a
 * column's own `choices`, the grid's `choices` when the column has none (a default dropdown
 * column, a checkbox column), a grid whose `cellType` is text with one dropdown column; text and
 * number cells are free. (A `matrixdynamic` is no Cairnet question type: the instrument check
 * refuses it; the validator's test checks its cells on its own.)
 */
export const GRID_SURVEY = {
  pages: [
    {
      name: 'grids',
      elements: [
        {
          type: 'matrixdropdown',
          name: 'tools',
          rows: ['r1', { value: 'r2', text: { default: 'Row 2', fr: 'Ligne 2' } }],
          choices: [1, 2, 3],
          columns: [
            { name: 'freq' },
            { name: 'kind', cellType: 'radiogroup', choices: ['a', 'b'], showOtherItem: true },
            { name: 'uses', cellType: 'checkbox', choices: ['x', { value: 'y', text: 'Y' }] },
            { name: 'inherit_cb', cellType: 'checkbox' },
            { name: 'note', cellType: 'text' },
            { name: 'count', cellType: 'text', inputType: 'number' },
          ],
        },
        {
          type: 'matrixdropdown',
          name: 'plain',
          cellType: 'text',
          rows: ['r1'],
          columns: [{ name: 'a' }, { name: 'b', cellType: 'dropdown', choices: ['u'] }],
        },
      ],
    },
  ],
};

type Cell = { kind: 'single' | 'multiple'; values: Set<string> } | { kind: 'free' };

/** What each cell may hold, written out by hand from SurveyJS's rules (the oracle). */
const CELLS: Record<string, Record<string, Cell>> = {
  tools: {
    freq: { kind: 'single', values: new Set(['1', '2', '3']) },
    kind: { kind: 'single', values: new Set(['a', 'b', 'other']) },
    'kind-Comment': { kind: 'free' },
    uses: { kind: 'multiple', values: new Set(['x', 'y']) },
    inherit_cb: { kind: 'multiple', values: new Set(['1', '2', '3']) },
    note: { kind: 'free' },
    count: { kind: 'free' },
  },
  plain: { a: { kind: 'free' }, b: { kind: 'single', values: new Set(['u']) } },
};
const ROWS: Record<string, string[]> = { tools: ['r1', 'r2'], plain: ['r1'] };

/** The cells of an answer that break their column's choices (or name no row or column), as `row/column`. */
export function badGridCells(data: Record<string, unknown>): string[] {
  const bad: string[] = [];
  for (const [question, answer] of Object.entries(data)) {
    for (const [row, cells] of Object.entries(answer as object)) {
      if (!ROWS[question]!.includes(row)) {
        bad.push(`${question}:${row}`);
        continue;
      }
      for (const [column, v] of Object.entries(cells as object)) {
        const cell = CELLS[question]![column];
        if (!cell) bad.push(`${question}:${row}/${column}`);
        else if (v === null || v === undefined || cell.kind === 'free') continue;
        else if (cell.kind === 'single') {
          if (!((typeof v === 'string' || typeof v === 'number') && cell.values.has(String(v))))
            bad.push(`${question}:${row}/${column}`);
        } else if (
          !Array.isArray(v) ||
          v.some((x) => !cell.values.has(String(x))) ||
          new Set(v.map(String)).size !== v.length
        )
          bad.push(`${question}:${row}/${column}`);
      }
    }
  }
  return bad;
}

/** A cell value: mostly one of the choices of some column, sometimes anything else. */
const cellValue = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('1', '2', '3', 1, 2, 3, 'a', 'b', 'x', 'y', 'u') },
  { weight: 2, arbitrary: fc.constantFrom('4', 0, 'A', 'other', 'none', '', ' a', 'x y', true, null) },
  {
    weight: 3,
    arbitrary: fc.array(fc.constantFrom('x', 'y', '1', '2', 3, 'z', '4'), { maxLength: 3 }),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const cellsOf = (columns: string[]) =>
  fc.dictionary(fc.constantFrom(...columns), cellValue, { minKeys: 1, maxKeys: 4, noNullPrototype: true });
const TOOLS_COLUMNS = ['freq', 'kind', 'uses', 'inherit_cb', 'note', 'freq', 'uses', 'nope'];

/** Answers to the grids: known rows and columns mostly, any value; an unknown row or column now and then. */
export const gridAnswers: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      tools: fc.dictionary(fc.constantFrom('r1', 'r2', 'r1', 'r2', 'r9'), cellsOf(TOOLS_COLUMNS), {
        minKeys: 1,
        maxKeys: 2,
        noNullPrototype: true,
      }),
      plain: fc.dictionary(fc.constant('r1'), cellsOf(['a', 'b', 'b']), {
        minKeys: 1,
        maxKeys: 1,
        noNullPrototype: true,
      }),
    },
    { requiredKeys: [], noNullPrototype: true },
  )
  .map((data) => {
    // a number cell takes numbers; the text cells hold text (survey-core's own checks stay out)
    const tools = data.tools as Record<string, Record<string, unknown>> | undefined;
    for (const cells of Object.values(tools ?? {})) {
      if ('note' in cells) cells.note = typeof cells.note === 'string' ? cells.note : 'text';
    }
    const plain = data.plain as Record<string, Record<string, unknown>> | undefined;
    if (plain?.r1 && 'a' in plain.r1) plain.r1.a = 'free text';
    return data as Record<string, unknown>;
  });
