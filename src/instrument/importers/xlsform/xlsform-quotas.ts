import { cairnetError } from '../../../errors.js';
import { QUOTA_COLUMNS, QUOTA_SHEET, splitQuotaValues } from '../../quota-sheet.js';
import type { InstrumentQuota, QuotaMember } from '../../quotas.js';
import type { ElementJson, InstrumentJson, LocalisableString } from '../../types.js';
import { walkElements } from '../../walk-elements.js';
import type { ImportProblems } from '../import-problems.js';
import type { ImportError } from '../import-report.js';
import type { XlsformSheet } from './read-xlsform.js';

/** What the quotas' sheet is read against: the instrument the survey sheet became. */
export interface QuotaSheetContext {
  json: InstrumentJson;
  /** Every name of the survey sheet (questions, groups, repeats), with its row. */
  names: Map<string, number>;
  /** Names the import dropped, each reported on its question. */
  dropped: Set<string>;
  /** Questions of a `table-list` group that became rows of a matrix: `q_r` → `q.r`. */
  rowNames: Map<string, string>;
  label: (cells: Record<string, string>, base: string, where: string) => LocalisableString | undefined;
}

type SheetRow = XlsformSheet['rows'][number];

const CHOICE_TYPES = new Set(['radiogroup', 'dropdown', 'checkbox', 'tagbox', 'ranking']);

/**
 * Reads the `cairnet_quotas` sheet (src/instrument/quota-sheet.ts) into the instrument's quotas.
 * A quota naming a question the import dropped is not carried (reported, like any loss: a quota
 * without one of its members would count more responses than its author meant). Anything else
 * wrong in the sheet — a missing column, a row without a quota or question, a limit that is not
 * a whole number, an action other than `end` or `change`, a question the form does not have or
 * that is not a top-level question, a value that is not one of the question's choices, a quote
 * left open, two different limits for one quota — is `CAIRNET_IMPORT_QUOTA_INVALID`, every
 * such row listed in `details` with its cell (`cairnet_quotas!7`): nothing is imported.
 */
export function readQuotaSheet(
  sheet: XlsformSheet,
  ctx: QuotaSheetContext,
  problems: ImportProblems,
): InstrumentQuota[] {
  if (sheet.rows.length === 0) return [];
  const errors: ImportError[] = [];
  for (const column of ['quota', 'question', 'values']) {
    if (!sheet.columns.includes(column))
      errors.push({ where: `${QUOTA_SHEET}!1`, message: `the sheet has no "${column}" column` });
  }
  if (errors.length > 0) throwQuotaErrors(errors);
  for (const column of sheet.columns) {
    const base = column.split('::')[0]!;
    if (column !== '' && base !== 'message' && !(QUOTA_COLUMNS as readonly string[]).includes(column))
      problems.lose(QUOTA_SHEET, column, `column ${column} not carried`);
  }
  const questions = topLevel(ctx.json);
  const quotas: InstrumentQuota[] = [];
  for (const [name, rows] of groupByQuota(sheet.rows, errors)) {
    const quota = readQuota(name, rows, sheet.columns, { ...ctx, questions }, errors, problems);
    if (quota) quotas.push(quota);
  }
  if (errors.length > 0) throwQuotaErrors(errors);
  return quotas;
}

function throwQuotaErrors(errors: ImportError[]): never {
  const first = errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  throw cairnetError(
    'CAIRNET_IMPORT_QUOTA_INVALID',
    `${first.where}${first.attribute ? ` ${first.attribute}` : ''}: ${first.message}${more}`,
    errors,
  );
}

/** The elements a quota may count: top-level questions (not in a repeat, not a group or a note). */
function topLevel(json: InstrumentJson): Map<string, ElementJson> {
  return new Map(
    walkElements(json)
      .filter((s) => s.template === null && s.element.type !== 'panel' && s.element.type !== 'html')
      .map((s) => [s.element.name, s.element]),
  );
}

/** The rows of each quota, by name, in the order the quotas first appear. */
function groupByQuota(rows: SheetRow[], errors: ImportError[]): Map<string, SheetRow[]> {
  const groups = new Map<string, SheetRow[]>();
  for (const r of rows) {
    const name = r.cells.quota;
    if (name === undefined) {
      errors.push({
        where: `${QUOTA_SHEET}!${r.row}`,
        attribute: 'quota',
        message: 'the row names no quota',
      });
      continue;
    }
    groups.set(name, [...(groups.get(name) ?? []), r]);
  }
  return groups;
}

/**
 * The one value of a quota-wide column (`limit`, `action`, a message) over the quota's rows:
 * blank on some rows is fine, two different values is an error.
 */
function quotaWide(column: string, rows: SheetRow[], errors: ImportError[]): string | undefined {
  let found: { value: string; row: number } | undefined;
  for (const r of rows) {
    const v = r.cells[column];
    if (v === undefined) continue;
    if (found && found.value !== v) {
      errors.push({
        where: `${QUOTA_SHEET}!${r.row}`,
        attribute: column,
        message: `"${v.slice(0, 60)}" differs from "${found.value.slice(0, 60)}" on row ${found.row} of the same quota`,
      });
      continue;
    }
    found ??= { value: v, row: r.row };
  }
  return found?.value;
}

function readQuota(
  name: string,
  rows: SheetRow[],
  columns: string[],
  ctx: QuotaSheetContext & { questions: Map<string, ElementJson> },
  errors: ImportError[],
  problems: ImportProblems,
): InstrumentQuota | null {
  const first = `${QUOTA_SHEET}!${rows[0]!.row}`;
  const before = errors.length;
  const limitCell = quotaWide('limit', rows, errors);
  const limit = Number(limitCell);
  if (limitCell === undefined)
    errors.push({ where: first, attribute: 'limit', message: `the quota "${name}" has no limit` });
  else if (!/^\d{1,15}$/.test(limitCell))
    errors.push({
      where: first,
      attribute: 'limit',
      message: `the limit of "${name}" is "${limitCell.slice(0, 40)}": a whole number ≥ 0 is needed`,
    });
  const actionCell = (quotaWide('action', rows, errors) ?? 'end').toLowerCase();
  if (actionCell !== 'end' && actionCell !== 'change')
    errors.push({
      where: first,
      attribute: 'action',
      message: `the action of "${name}" is "${actionCell.slice(0, 40)}": end or change`,
    });
  const messageCells: Record<string, string> = {};
  for (const column of columns.filter((c) => c === 'message' || c.startsWith('message::'))) {
    const v = quotaWide(column, rows, errors);
    if (v !== undefined) messageCells[column] = v;
  }
  const members: QuotaMember[] = [];
  let lost = false;
  for (const r of rows) {
    const m = readMember(name, r, ctx, errors, problems);
    if (m === 'lost') lost = true;
    else if (m) members.push(m);
  }
  if (lost || errors.length > before) return null;
  const message = ctx.label(messageCells, 'message', `quota ${name} message`);
  return {
    name,
    limit,
    action: actionCell as 'end' | 'change',
    members,
    ...(message !== undefined ? { message } : {}),
  };
}

function readMember(
  quota: string,
  r: SheetRow,
  ctx: QuotaSheetContext & { questions: Map<string, ElementJson> },
  errors: ImportError[],
  problems: ImportProblems,
): QuotaMember | 'lost' | null {
  const where = `${QUOTA_SHEET}!${r.row}`;
  const fail = (attribute: string, message: string): null => {
    errors.push({ where, attribute, message });
    return null;
  };
  const question = r.cells.question;
  if (question === undefined) return fail('question', `the row of "${quota}" names no question`);
  const element = ctx.questions.get(question);
  if (!element) {
    const row = ctx.rowNames.get(question);
    if (row) {
      const dot = row.indexOf('.');
      return fail(
        'question',
        `"${question}" became the row "${row.slice(dot + 1)}" of the matrix "${row.slice(0, dot)}": a quota counts the answer of a whole question`,
      );
    }
    if (ctx.dropped.has(question)) {
      problems.lose(
        `quota ${quota}`,
        'question',
        `${where}: "${question}" is not imported (see its question): quota "${quota}" not carried`,
      );
      return 'lost';
    }
    return fail(
      'question',
      ctx.names.has(question)
        ? `"${question}" (survey!${ctx.names.get(question)}) is not a top-level question: a group, or a question in a repeat or a loop`
        : `the survey sheet has no question "${question.slice(0, 64)}"`,
    );
  }
  const values = splitQuotaValues(r.cells.values ?? '');
  if ('error' in values) return fail('values', values.error);
  if (values.length === 0) return fail('values', `the row of "${quota}" lists no values`);
  const allowed = choiceValues(element);
  const unknown = allowed ? values.filter((v) => !allowed.has(v)) : [];
  if (unknown.length > 0)
    return fail(
      'values',
      `${unknown
        .slice(0, 5)
        .map((v) => `"${v.slice(0, 40)}"`)
        .join(', ')} not among the choices of "${question}" (${[...allowed!].slice(0, 10).join(', ')})`,
    );
  return { question, values };
}

/** The values a choice question's answer can hold, or null for a question without choices. */
function choiceValues(e: ElementJson): Set<string> | null {
  if (!CHOICE_TYPES.has(e.type) || !Array.isArray(e.choices)) return null;
  const values = new Set(
    e.choices.map((c) =>
      c !== null && typeof c === 'object' ? String((c as { value?: unknown }).value) : String(c),
    ),
  );
  if (e.showOtherItem === true) values.add('other');
  if (e.showNoneItem === true) values.add('none');
  return values;
}
