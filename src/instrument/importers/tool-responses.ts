import { parse } from 'csv-parse/sync';
import { cairnetError } from '../../errors.js';
import { type FlatValue, flattenAnswers } from '../flatten-answers.js';
import type { Codebook, CodebookVariable } from '../types.js';

/** What loading another tool's response export found. */
export interface ToolResponsesReport {
  tool: 'limesurvey' | 'xlsform';
  rows: number;
  /** Each used column and the question it fed. */
  mapped: { column: string; question: string }[];
  /** Columns that fed no question (metadata, "other" texts, unknown names). */
  unmapped: string[];
  /** Questions of the codebook that no column fed. */
  missing: string[];
  /** Values that are not admissible for their question (set to no answer); the first 200. */
  invalid: { row: number; column: string; value: string; message: string }[];
  invalidCount: number;
}

export interface ToolResponses {
  /** One flat record per response, keyed by codebook variable names (as `flattenAnswers` gives). */
  records: Record<string, FlatValue>[];
  report: ToolResponsesReport;
}

interface QuestionInfo {
  kind: 'single' | 'multiple' | 'numeric' | 'text' | 'boolean' | 'matrix' | 'text_list';
  levels: Set<string>;
  numericLevels: boolean;
}

const TRUE = new Set(['y', 'yes', '1', 'true', 'oui']);
const FALSE = new Set(['n', 'no', '0', 'false', 'non']);

/**
 * Loads a response export of LimeSurvey (CSV with question codes as headings: `Q1`, `Q2[SQ001]`
 * or `Q2_SQ001`, "Y" for a ticked box) or of an XLSForm tool (ODK, KoBoToolbox: `group/q`
 * headings, `select_multiple` as space-separated codes or `q/choice` 0/1 columns) for analysis
 * against the codebook of the imported instrument. Each row becomes SurveyJS answers, then a
 * flat record by `flattenAnswers`; values outside a question's levels become no answer and are
 * reported. Text answers stay as given (exports neutralise formulas).
 *
 * @example const { records, report } = loadToolResponses(instrument.codebook, readFileSync('ls.csv'));
 */
export function loadToolResponses(
  codebook: Codebook,
  csv: string | Buffer,
  options: { tool?: 'limesurvey' | 'xlsform' } = {},
): ToolResponses {
  const text = (typeof csv === 'string' ? csv : csv.toString('utf8')).replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const delimiter = [',', ';', '\t'].sort((a, b) => count(firstLine, b) - count(firstLine, a))[0]!;
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw cairnetError(
      'CAIRNET_CSV_INVALID',
      `The response file cannot be read as CSV: ${(e as Error).message}`,
    );
  }
  const header = rows.shift();
  if (!header) throw cairnetError('CAIRNET_CSV_INVALID', 'The response file is empty');
  const tool = options.tool ?? (header.some((h) => /\[.*\]$/.test(h)) ? 'limesurvey' : 'xlsform');

  const questions = questionInfo(codebook.variables);
  const targets = header.map((column) => target(column, tool, questions));
  const report: ToolResponsesReport = {
    tool,
    rows: rows.length,
    mapped: [],
    unmapped: [],
    missing: [],
    invalid: [],
    invalidCount: 0,
  };
  const fed = new Set<string>();
  header.forEach((column, i) => {
    const t = targets[i];
    if (t) {
      report.mapped.push({ column, question: t.question });
      fed.add(t.question);
    } else report.unmapped.push(column);
  });
  report.missing = [...questions.keys()].filter((q) => !fed.has(q));

  const records = rows.map((cells, r) => {
    const data: Record<string, unknown> = {};
    const bad = (column: string, value: string, message: string) => {
      report.invalidCount++;
      if (report.invalid.length < 200)
        report.invalid.push({ row: r + 2, column, value: value.slice(0, 80), message });
    };
    targets.forEach((t, i) => {
      const raw = (cells[i] ?? '').trim();
      if (!t || raw === '') return;
      const info = questions.get(t.question)!;
      const column = header[i]!;
      if (t.part !== undefined && info.kind === 'multiple') {
        const list = (data[t.question] as string[] | undefined) ?? [];
        if (TRUE.has(raw.toLowerCase())) list.push(t.part);
        else if (!FALSE.has(raw.toLowerCase())) bad(column, raw, 'not a ticked (Y/1) or unticked box');
        data[t.question] = list;
      } else if (t.part !== undefined && info.kind === 'matrix') {
        const object = (data[t.question] as Record<string, string> | undefined) ?? {};
        object[t.part] = raw;
        data[t.question] = object;
      } else if (info.kind === 'multiple') {
        const codes = raw.split(/\s+/);
        const wrong = codes.filter((c) => !info.levels.has(c));
        if (wrong.length > 0) bad(column, raw, `not choices of ${t.question}: ${wrong.join(' ')}`);
        data[t.question] = codes.filter((c) => info.levels.has(c));
      } else if (info.kind === 'single') {
        if (!info.levels.has(raw)) bad(column, raw, `not a choice of ${t.question}`);
        else data[t.question] = info.numericLevels ? Number(raw) : raw;
      } else if (info.kind === 'numeric') {
        const n = Number(raw.replace(',', '.'));
        if (Number.isFinite(n)) data[t.question] = n;
        else bad(column, raw, 'not a number');
      } else if (info.kind === 'boolean') {
        if (TRUE.has(raw.toLowerCase())) data[t.question] = true;
        else if (FALSE.has(raw.toLowerCase())) data[t.question] = false;
        else bad(column, raw, 'not yes or no');
      } else if (info.kind === 'text') {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are dropped from answers
        data[t.question] = raw.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
      }
    });
    return flattenAnswers(codebook, data);
  });
  return { records, report };
}

function questionInfo(variables: CodebookVariable[]): Map<string, QuestionInfo> {
  const map = new Map<string, QuestionInfo>();
  for (const v of variables) {
    if (v.choice !== undefined) continue;
    const existing = map.get(v.question);
    const levels = new Set(v.levels.map((l) => String(l.value)));
    const numericLevels = v.levels.length > 0 && v.levels.every((l) => typeof l.value === 'number');
    if (v.row !== undefined) {
      if (!existing) map.set(v.question, { kind: 'matrix', levels, numericLevels });
      continue;
    }
    const kind: QuestionInfo['kind'] =
      v.type === 'multiple'
        ? 'multiple'
        : v.type === 'numeric'
          ? 'numeric'
          : v.type === 'boolean'
            ? 'boolean'
            : v.type === 'text'
              ? 'text'
              : v.type === 'text_list'
                ? 'text_list'
                : 'single';
    // A repeat (text_list) is exported by these tools in a file of its own: it stays unfed.
    map.set(v.question, { kind, levels, numericLevels });
  }
  return map;
}

/** The question (and choice or row) a column feeds, or null. */
function target(
  column: string,
  tool: 'limesurvey' | 'xlsform',
  questions: Map<string, QuestionInfo>,
): { question: string; part?: string } | null {
  const c = column.trim();
  const direct = questions.get(c);
  if (direct) return direct.kind === 'text_list' ? null : { question: c };
  if (tool === 'limesurvey') {
    const bracket = /^([A-Za-z_][A-Za-z0-9_]*)\[([A-Za-z0-9_]+)\]$/.exec(c);
    const underscore = /^([A-Za-z_][A-Za-z0-9]*)_([A-Za-z0-9_]+)$/.exec(c);
    for (const m of [bracket, underscore]) {
      if (!m) continue;
      const info = questions.get(m[1]!);
      if (
        info &&
        (info.kind === 'multiple' || info.kind === 'matrix') &&
        m[2] !== 'other' &&
        m[2] !== 'comment'
      ) {
        return { question: m[1]!, part: m[2]! };
      }
    }
    return null;
  }
  const segments = c.split('/');
  const last = segments.at(-1)!;
  if (questions.has(last)) return questions.get(last)!.kind === 'text_list' ? null : { question: last };
  const parent = segments.at(-2);
  if (
    parent !== undefined &&
    questions.get(parent)?.kind === 'multiple' &&
    questions.get(parent)!.levels.has(last)
  ) {
    return { question: parent, part: last };
  }
  const dash = c.split('-').at(-1)!;
  return questions.has(dash) && questions.get(dash)!.kind !== 'text_list' ? { question: dash } : null;
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}
