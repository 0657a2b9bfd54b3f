import { ConditionRunner } from 'survey-core';
import type { FlatValue } from '../../instrument/flatten-answers.js';
import type { CodebookVariable } from '../../instrument/types.js';
import type { ExportTable } from '../export-table.js';
import { syntheticNote } from '../export-table.js';
import type { ExportLanguage } from '../value-labels.js';
import { savNames } from './sav-names.js';
import { MAX_STRING_WIDTH, type SavVariable, truncateUtf8, writeSav } from './sav-writer.js';

/** Code of a categorical answer left empty because the skip logic hid the question. */
export const NOT_ASKED = -1;

/** How one codebook variable is stored in the .sav file, for the export's documentation. */
export interface SavColumn {
  variable: string;
  savName: string;
  type: 'numeric' | 'string';
  /** For a recoded categorical variable: code → original value. */
  codes?: { code: number; value: string | number }[];
}

export interface SavExport {
  buffer: Buffer;
  columns: SavColumn[];
  /** Things the file could not hold exactly (strings cut at 32,767 bytes). */
  warnings: string[];
}

/**
 * The responses as an SPSS system file. The coding, chosen for SPSS users:
 * - categorical variables (`single`, `ordinal`, `matrix_row`) are numeric: their levels' own
 *   values when those are all numbers, otherwise codes 1..k in the questionnaire's level order;
 *   each code has a value label (in `lang`); `boolean` (and the `__<choice>` indicators) are 0/1
 *   labelled No/Yes;
 * - `numeric` variables are numbers with no value labels;
 * - `text`, `text_list` and `multiple` (the chosen codes joined by ` | `) are strings as wide as
 *   their longest answer (over 255 bytes: SPSS "very long strings"; beyond 32,767 bytes answers
 *   are cut and listed in `warnings`); empty means no answer;
 * - missing values: an unanswered numeric or categorical question is system-missing; a
 *   categorical question the skip logic hid (its `visibleIf` false for that response) is
 *   {@link NOT_ASKED} (-1, labelled "Not asked"), declared user-missing;
 * - `synthetic` is 1 for the demonstration panel, and the file label says so.
 * Variable labels are the questions' labels in `lang`.
 */
export function exportSav(table: ExportTable, options: { lang?: ExportLanguage } = {}): SavExport {
  const lang = options.lang ?? 'fr';
  const warnings: string[] = [];
  const vars = table.codebook.variables;
  const names = savNames([
    'response_id',
    'synthetic',
    'instrument_version',
    'completed_at',
    ...vars.map((v) => v.name),
  ]);
  const meta: SavVariable[] = [
    { ...names[0]!, label: 'Response id', type: 'string', width: 36, measure: 'nominal' },
    {
      ...names[1]!,
      label: 'Synthetic (demonstration panel)',
      type: 'numeric',
      measure: 'nominal',
      valueLabels: [
        { value: 0, label: 'Real response' },
        { value: 1, label: 'Synthetic (demonstration panel)' },
      ],
    },
    { ...names[2]!, label: 'Instrument version', type: 'numeric', measure: 'scale' },
    { ...names[3]!, label: 'Completed at (UTC, ISO 8601)', type: 'string', width: 24, measure: 'nominal' },
  ];
  const plans = vars.map((v, i) => planFor(v, names[i + 4]!, lang, table));
  const file = {
    label: truncateUtf8(
      `${table.syntheticCount > 0 ? 'SYNTHETIC DATA (demonstration panel): ' : ''}${table.instrument.name} v${table.instrument.version}`,
      64,
    ),
    documents: [
      syntheticNote(table),
      `Instrument ${table.instrument.name}, version ${table.instrument.version}, hash ${table.instrument.hash}; exported ${table.exportedAt} by Cairnet.`,
      'Categorical variables are numeric codes with value labels (1..k in questionnaire order unless the levels are numbers); 0/1 indicators are No/Yes. System-missing: no answer. -1 (user-missing, "Not asked"): hidden by the skip logic.',
    ],
    variables: [...meta, ...plans.map((p) => p.sav)],
    cases: table.rows.map((r) => [
      r.responseId,
      r.synthetic ? 1 : 0,
      r.instrumentVersion,
      r.completedAt,
      ...plans.map((p) => p.encode(r.values[p.variable.name] ?? null, r.answers)),
    ]),
  };
  for (const p of plans) {
    if (p.cut > 0) {
      warnings.push(`${p.variable.name}: ${p.cut} answer(s) longer than ${MAX_STRING_WIDTH} bytes were cut.`);
    }
  }
  return {
    buffer: writeSav(file),
    columns: plans.map((p) => p.column),
    warnings,
  };
}

interface Plan {
  variable: CodebookVariable;
  sav: SavVariable;
  column: SavColumn;
  cut: number;
  encode(value: FlatValue, answers: Record<string, unknown>): number | string | null;
}

function planFor(
  v: CodebookVariable,
  name: { name: string; shortName: string },
  lang: ExportLanguage,
  table: ExportTable,
): Plan {
  const label = v.label[lang];
  if (v.type === 'numeric') {
    const decimals = Math.min(
      16,
      table.rows.reduce((m, r) => Math.max(m, decimalsOf(r.values[v.name] ?? null)), 0),
    );
    return {
      variable: v,
      sav: { ...name, label, type: 'numeric', decimals, measure: 'scale' },
      column: { variable: v.name, savName: name.name, type: 'numeric' },
      cut: 0,
      encode: (value) => (typeof value === 'number' ? value : null),
    };
  }
  if (v.levels.length > 0 && v.type !== 'multiple') {
    const numericLevels = v.levels.every((l) => typeof l.value === 'number');
    const codes = v.levels.map((l, i) => ({
      code: numericLevels ? (l.value as number) : i + 1,
      value: l.value,
    }));
    const byValue = new Map(codes.map((c) => [String(c.value), c.code]));
    const notAsked = Math.min(NOT_ASKED, ...codes.map((c) => c.code - 1));
    const hidden = hiddenTest(v.visibleIf);
    return {
      variable: v,
      sav: {
        ...name,
        label,
        type: 'numeric',
        measure: v.type === 'ordinal' ? 'ordinal' : 'nominal',
        valueLabels: [
          ...codes.map((c, i) => ({ value: c.code, label: v.levels[i]!.label[lang] })),
          ...(hidden ? [{ value: notAsked, label: lang === 'fr' ? 'Non posée' : 'Not asked' }] : []),
        ],
        ...(hidden ? { missing: [notAsked] } : {}),
      },
      column: { variable: v.name, savName: name.name, type: 'numeric', codes },
      cut: 0,
      encode: (value, answers) => {
        if (value === null) return hidden?.(answers) ? notAsked : null;
        return byValue.get(String(value)) ?? null;
      },
    };
  }
  const longest = table.rows.reduce(
    (m, r) => Math.max(m, Buffer.byteLength(String(r.values[v.name] ?? ''))),
    1,
  );
  const width = Math.min(MAX_STRING_WIDTH, longest);
  const plan: Plan = {
    variable: v,
    sav: { ...name, label, type: 'string', width, measure: 'nominal' },
    column: { variable: v.name, savName: name.name, type: 'string' },
    cut: 0,
    encode: (value) => {
      const s = value === null ? '' : String(value);
      if (Buffer.byteLength(s) > MAX_STRING_WIDTH) plan.cut++;
      return s;
    },
  };
  return plan;
}

/** A test of "the skip logic hid this question" for one response, or undefined when always shown. */
function hiddenTest(visibleIf: string | null): ((answers: Record<string, unknown>) => boolean) | undefined {
  if (visibleIf === null) return undefined;
  const runner = new ConditionRunner(visibleIf);
  if (!runner.canRun()) return undefined;
  return (answers) => !runner.runValues(answers);
}

function decimalsOf(v: FlatValue): number {
  if (typeof v !== 'number' || Number.isInteger(v)) return 0;
  const s = String(v);
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}
