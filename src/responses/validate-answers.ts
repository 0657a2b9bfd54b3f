import { Model, type Question } from 'survey-core';
import 'survey-core/i18n';
import { cairnetError } from '../errors.js';
import '../instrument/expression-functions.js';
import { type CompiledValidator, compileValidator } from './compiled-validator.js';

/** What a respondent may send for one question, read once from the questionnaire. */
interface AnswerShape {
  type: string;
  choices?: Set<string>;
  rows?: Set<string>;
  columns?: Set<string>;
  template?: Map<string, AnswerShape>;
  maxPanels?: number;
  /** A grid's columns (and detail questions): what each cell may hold. */
  cells?: Map<string, AnswerShape>;
  maxLength: number;
  numeric?: boolean;
}

export interface QuestionError {
  question: string;
  messages: string[];
}

export interface ValidatedAnswers {
  /** The answers to keep: known questions only, hidden questions' answers dropped. */
  data: Record<string, unknown>;
  /** Names of questions whose answers were dropped because the questionnaire hides them. */
  dropped: string[];
}

/** Longest free text kept for a question that sets no `maxLength` of its own. */
export const DEFAULT_MAX_TEXT = 2000;

const shapesCache = new Map<string, Map<string, AnswerShape>>();
const modelCache = new Map<string, Model>();
const compiledCache = new Map<string, CompiledValidator | null>();

/** The compiled rules of an instrument version, or null when it needs the full Model. */
function compiledFor(json: Record<string, unknown>, cacheKey: string): CompiledValidator | null {
  let compiled = compiledCache.get(cacheKey);
  if (compiled === undefined) {
    const c = compileValidator(json);
    compiled = 'unsupported' in c ? null : c;
    if (compiledCache.size > 100) compiledCache.clear();
    compiledCache.set(cacheKey, compiled);
  }
  return compiled;
}

/**
 * Building a survey-core Model costs far more than validating with one, so each instrument
 * version (and locale) keeps one Model, cleared before each use. Validation is synchronous, so
 * no two requests ever share it at the same time.
 */
function modelFor(json: Record<string, unknown>, cacheKey: string, locale: string): Model {
  const key = `${cacheKey}\u0000${locale}`;
  let model = modelCache.get(key);
  if (!model) {
    model = new Model(json);
    if (locale) model.locale = locale;
    if (modelCache.size > 50) modelCache.clear();
    modelCache.set(key, model);
  }
  return model;
}

/**
 * Validates answers against a questionnaire with survey-core, the same engine the browser runs.
 *
 * Unknown fields are refused (CAIRNET_RESPONSE_UNKNOWN_FIELD); values outside a question's
 * choices, rows or columns (a grid's cell outside its column's choices too), or too long, are
 * refused, before either engine runs; answers to questions hidden by the skip logic are
 * dropped. With `complete: true` every rule of the questionnaire (required, ranges,
 * validators) must hold, otherwise CAIRNET_RESPONSE_INVALID lists the messages per question.
 * Questionnaires built from the constructs the compiled rules cover are checked by those rules
 * (survey-core's expression engine, compiled once); any other goes through a survey-core Model.
 *
 * @example
 * const { data } = validateAnswers(json, 'v3', body.data, { complete: true, locale: 'fr' });
 */
export function validateAnswers(
  json: Record<string, unknown>,
  cacheKey: string,
  input: unknown,
  opts: { complete: boolean; locale?: string; engine?: 'compiled' | 'model' },
): ValidatedAnswers {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw cairnetError('CAIRNET_BAD_REQUEST', '"data" must be an object of answers keyed by question name');
  }
  const answers = input as Record<string, unknown>;
  const shapes = shapesFor(json, cacheKey);
  const unknown = Object.keys(answers).filter((k) => !shapes.has(k));
  if (unknown.length) {
    throw cairnetError(
      'CAIRNET_RESPONSE_UNKNOWN_FIELD',
      `Unknown question${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 10).join(', ')}`,
      unknown
        .slice(0, 50)
        .map((question) => ({ question, messages: ['This questionnaire has no such question'] })),
    );
  }
  const shapeErrors: QuestionError[] = [];
  for (const [name, value] of Object.entries(answers)) {
    // No text can hold U+0000 or a lone surrogate: PostgreSQL refuses both in text and jsonb
    // (a 500 before).
    const messages = holdsUnstorableText(value)
      ? ['An answer may not hold the NUL character (U+0000) or a lone UTF-16 surrogate']
      : checkShape(shapes.get(name)!, value);
    if (messages.length) shapeErrors.push({ question: name, messages });
  }
  if (shapeErrors.length) {
    throw cairnetError('CAIRNET_RESPONSE_INVALID', describe(shapeErrors), shapeErrors);
  }

  const compiled = opts.engine === 'model' ? undefined : compiledFor(json, cacheKey);
  if (compiled) {
    const result = compiled.run(answers, opts.locale ?? 'en');
    if (opts.complete && result.errors.length) {
      throw cairnetError('CAIRNET_RESPONSE_INVALID', describe(result.errors), result.errors);
    }
    return { data: result.data, dropped: result.dropped };
  }
  const model = modelFor(json, cacheKey, opts.locale ?? '');
  model.clear(true, true);
  model.data = answers;
  const data: Record<string, unknown> = {};
  const dropped: string[] = [];
  const errors: QuestionError[] = [];
  if (opts.complete) model.validate(true);
  for (const q of model.getAllQuestions(false) as Question[]) {
    const name = q.getValueName();
    if (serverValue(q, data)) continue;
    if (!(name in answers)) {
      if (opts.complete && q.isVisibleInSurvey) collectErrors(q, errors);
      continue;
    }
    if (!q.isVisibleInSurvey) {
      dropped.push(name);
      continue;
    }
    const kept = visiblePart(q, answers[name]);
    if (kept === undefined) dropped.push(name);
    else {
      if (kept !== answers[name]) dropped.push(name);
      data[name] = kept;
    }
    const comment = `${name}${q.commentSuffix ?? '-Comment'}`;
    if (comment in answers) data[comment] = answers[comment];
    if (opts.complete) collectErrors(q, errors);
  }
  if (errors.length) throw cairnetError('CAIRNET_RESPONSE_INVALID', describe(errors), errors);
  return { data, dropped };
}

/**
 * Values the server sets itself, whatever was sent: an equation (`expression` question) is
 * computed from the answers; a question hidden for good (`visible: false`) that keeps its value
 * (`clearIfInvisible: none`) stores its default. Returns true when the question was handled.
 */
function serverValue(q: Question, data: Record<string, unknown>): boolean {
  const name = q.getValueName();
  if (q.getType() === 'expression') {
    const v = q.value;
    if (v !== undefined && v !== null && v !== '') data[name] = v;
    return true;
  }
  const any = q as unknown as { visible: boolean; clearIfInvisible?: string; defaultValue?: unknown };
  if (!any.visible && any.clearIfInvisible === 'none') {
    if (any.defaultValue !== undefined && any.defaultValue !== null && q.isParentVisible !== false)
      data[name] = any.defaultValue;
    return true;
  }
  return false;
}

/**
 * The part of an answer the respondent could give: choices hidden by a filter
 * (`choicesVisibleIf`, a choice's `visibleIf`) and hidden matrix rows are removed; undefined
 * when nothing is left.
 */
function visiblePart(q: Question, value: unknown): unknown {
  const any = q as unknown as {
    visibleChoices?: { value: unknown }[];
    visibleRows?: { rowName?: unknown; value?: unknown; name?: unknown }[];
    isOtherSelected?: boolean;
    showOtherItem?: boolean;
  };
  const type = q.getType();
  if (['radiogroup', 'dropdown', 'checkbox', 'tagbox', 'ranking'].includes(type) && any.visibleChoices) {
    const visible = new Set(any.visibleChoices.map((c) => String(c.value)));
    if (Array.isArray(value)) {
      const kept = value.filter((v) => visible.has(String(v)));
      if (kept.length === value.length) return value;
      return kept.length > 0 ? kept : undefined;
    }
    return value === null || value === undefined || visible.has(String(value)) ? value : undefined;
  }
  if ((type === 'matrix' || type === 'matrixdropdown') && value && typeof value === 'object') {
    const rows =
      (q as unknown as { visibleRows?: { rowName?: unknown; name?: unknown; value?: unknown }[] })
        .visibleRows ?? [];
    const visible = new Set(rows.map((r) => String(r.rowName ?? r.name ?? r.value)));
    const entries = Object.entries(value as Record<string, unknown>);
    const kept = entries.filter(([row]) => visible.has(row));
    if (kept.length === entries.length) return value;
    return kept.length > 0 ? Object.fromEntries(kept) : undefined;
  }
  return value;
}

function collectErrors(q: Question, out: QuestionError[]): void {
  const messages = q.errors.map((e) => e.getText() || e.getErrorType());
  const panels = (q as unknown as { panels?: { questions: Question[] }[] }).panels;
  if (q.getType() === 'paneldynamic' && panels) {
    panels.forEach((panel, i) => {
      for (const inner of panel.questions) {
        for (const e of inner.errors)
          messages.push(`#${i + 1} ${inner.name}: ${e.getText() || e.getErrorType()}`);
      }
    });
  }
  if (messages.length) out.push({ question: q.getValueName(), messages });
}

function describe(errors: QuestionError[]): string {
  const first = errors[0];
  const more =
    errors.length > 1 ? ` (and ${errors.length - 1} more question${errors.length > 2 ? 's' : ''})` : '';
  return `${first?.question}: ${first?.messages.join('; ')}${more}`;
}

function shapesFor(json: Record<string, unknown>, cacheKey: string): Map<string, AnswerShape> {
  const cached = shapesCache.get(cacheKey);
  if (cached) return cached;
  const model = new Model(json);
  const shapes = new Map<string, AnswerShape>();
  for (const q of model.getAllQuestions(false) as Question[]) {
    if (q.getType() === 'html' || q.getType() === 'image') continue;
    shapes.set(q.getValueName(), shapeOf(q));
    const any = q as unknown as { showOtherItem?: boolean; showCommentArea?: boolean; hasComment?: boolean };
    if (any.showOtherItem || any.showCommentArea || any.hasComment)
      shapes.set(`${q.getValueName()}${q.commentSuffix ?? '-Comment'}`, {
        type: 'comment',
        maxLength: DEFAULT_MAX_TEXT,
      });
  }
  if (shapesCache.size > 100) shapesCache.clear();
  shapesCache.set(cacheKey, shapes);
  return shapes;
}

function values(items: unknown): Set<string> {
  return new Set(((items as { value: unknown }[] | undefined) ?? []).map((c) => String(c.value)));
}

function shapeOf(q: Question): AnswerShape {
  const any = q as unknown as Record<string, unknown>;
  const type = q.getType();
  const maxLength = typeof any.maxLength === 'number' && any.maxLength > 0 ? any.maxLength : DEFAULT_MAX_TEXT;
  const shape: AnswerShape = { type, maxLength };
  if (['radiogroup', 'dropdown', 'checkbox', 'tagbox', 'ranking', 'imagepicker'].includes(type)) {
    shape.choices = values(any.choices);
    if (any.showOtherItem === true)
      shape.choices.add(String(any.otherItem ? (any.otherItem as { value: unknown }).value : 'other'));
    if (any.showNoneItem === true) shape.choices.add('none');
  }
  if (type === 'matrixdropdown' || type === 'matrixdynamic') {
    if (type === 'matrixdropdown') shape.rows = values(any.rows);
    else shape.maxPanels = typeof any.maxRowCount === 'number' ? any.maxRowCount : 1000;
    shape.cells = gridCells(q);
  }
  if (type === 'matrix') {
    shape.rows = values(any.rows);
    shape.columns = values(any.columns);
  }
  if (type === 'text') shape.numeric = ['number', 'range'].includes(String(any.inputType));
  if (type === 'paneldynamic') {
    const template = (any.template as { questions: Question[] } | undefined)?.questions ?? [];
    shape.template = new Map(template.map((t) => [t.getValueName(), shapeOf(t)]));
    shape.maxPanels = typeof any.maxPanelCount === 'number' ? any.maxPanelCount : 100;
  }
  return shape;
}

const CHOICE_CELLS = new Set(['dropdown', 'radiogroup', 'checkbox', 'tagbox']);

/**
 * What each cell of a grid (`matrixdropdown`, `matrixdynamic`) may hold, by column, as SurveyJS
 * builds its cells: the column's cell type, else the grid's (`cellType`); a choice cell
 * (dropdown, radiogroup, checkbox, tagbox) takes the column's `choices`, else the grid's, with
 * its Other and None items; its Other text or comment is `<column>-Comment`. Other cells (text,
 * number, boolean, rating…), cells whose choices come from elsewhere (`choicesByUrl`,
 * `choicesFromQuestion`) and detail-panel questions are only kept to a size.
 */
function gridCells(q: Question): Map<string, AnswerShape> {
  const any = q as unknown as {
    choices?: unknown;
    columns?: { name: string; templateQuestion: Record<string, unknown> & Question }[];
    detailElements?: { name: string }[];
  };
  const cells = new Map<string, AnswerShape>();
  const free: AnswerShape = { type: 'cell', maxLength: DEFAULT_MAX_TEXT };
  for (const d of any.detailElements ?? []) cells.set(d.name, free);
  for (const column of any.columns ?? []) {
    const cell = column.templateQuestion;
    const cellType = cell.getType();
    const elsewhere = (cell.choicesByUrl as { url?: string } | undefined)?.url || cell.choicesFromQuestion;
    if (cell.showOtherItem === true || cell.showCommentArea === true)
      cells.set(`${column.name}${cell.commentSuffix ?? '-Comment'}`, {
        type: 'comment',
        maxLength: DEFAULT_MAX_TEXT,
      });
    if (!CHOICE_CELLS.has(cellType) || elsewhere) {
      cells.set(column.name, free);
      continue;
    }
    const own = (cell.choices as unknown[] | undefined) ?? [];
    const choices = values(own.length > 0 ? own : any.choices);
    if (cell.showOtherItem === true)
      choices.add(String((cell.otherItem as { value?: unknown })?.value ?? 'other'));
    if (cell.showNoneItem === true)
      choices.add(String((cell.noneItem as { value?: unknown })?.value ?? 'none'));
    const single = cellType === 'dropdown' || cellType === 'radiogroup';
    cells.set(column.name, {
      type: single ? 'radiogroup' : 'checkbox',
      choices,
      maxLength: DEFAULT_MAX_TEXT,
    });
  }
  return cells;
}

/** Messages for a value that cannot belong to the question at all (before any skip logic). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string, or any key or string nested in an answer, holds U+0000 or a lone surrogate. */
function holdsUnstorableText(value: unknown, depth = 0): boolean {
  const bad = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);
  if (typeof value === 'string') return bad(value);
  if (value === null || typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) return value.some((v) => holdsUnstorableText(v, depth + 1));
  return Object.entries(value).some(([k, v]) => bad(k) || holdsUnstorableText(v, depth + 1));
}

function checkShape(shape: AnswerShape, value: unknown): string[] {
  if (value === null || value === undefined) return [];
  switch (shape.type) {
    case 'radiogroup':
    case 'dropdown':
      return typeof value === 'string' || typeof value === 'number'
        ? shape.choices!.has(String(value))
          ? []
          : [`"${clip(String(value))}" is not one of the choices`]
        : ['Expected one choice'];
    case 'checkbox':
    case 'tagbox':
    case 'ranking': {
      if (!Array.isArray(value)) return ['Expected a list of choices'];
      const bad = value.filter((v) => !shape.choices!.has(String(v)));
      if (bad.length)
        return [
          `Not among the choices: ${bad
            .slice(0, 5)
            .map((v) => clip(String(v)))
            .join(', ')}`,
        ];
      return new Set(value.map(String)).size === value.length ? [] : ['A choice is given twice'];
    }
    case 'matrix': {
      if (typeof value !== 'object' || Array.isArray(value)) return ['Expected an answer per row'];
      const out: string[] = [];
      for (const [row, col] of Object.entries(value as Record<string, unknown>)) {
        if (!shape.rows!.has(row)) out.push(`No row "${clip(row)}"`);
        else if (!shape.columns!.has(String(col)))
          out.push(`Row ${row}: "${clip(String(col))}" is not a column`);
      }
      return out;
    }
    case 'paneldynamic': {
      if (!Array.isArray(value)) return ['Expected a list of entries'];
      if (value.length > shape.maxPanels!) return [`At most ${shape.maxPanels} entries`];
      const out: string[] = [];
      value.forEach((entry, i) => {
        if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
          out.push(`#${i + 1}: expected an object`);
          return;
        }
        for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
          const inner = shape.template!.get(k);
          if (!inner) out.push(`#${i + 1}: unknown field "${clip(k)}"`);
          else for (const m of checkShape(inner, v)) out.push(`#${i + 1} ${k}: ${m}`);
        }
      });
      return out;
    }
    case 'matrixdropdown': {
      if (typeof value !== 'object' || Array.isArray(value)) return ['Expected an answer per row'];
      const out: string[] = [];
      for (const [row, cells] of Object.entries(value as Record<string, unknown>)) {
        if (!shape.rows!.has(row)) out.push(`No row "${clip(row)}"`);
        else out.push(...checkGridRow(shape, `Row ${clip(row)}`, cells));
      }
      return out.length > 0 || JSON.stringify(value).length <= 64 * 1024 ? out : ['Answer too large'];
    }
    case 'matrixdynamic': {
      if (!Array.isArray(value)) return ['Expected a list of rows'];
      if (value.length > shape.maxPanels!) return [`At most ${shape.maxPanels} rows`];
      const out = value.flatMap((cells, i) => checkGridRow(shape, `Row ${i + 1}`, cells));
      return out.length > 0 || JSON.stringify(value).length <= 64 * 1024 ? out : ['Answer too large'];
    }
    case 'expression':
      return JSON.stringify(value).length > 2000 ? ['Answer too large'] : [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : ['Expected true or false'];
    case 'text':
    case 'comment':
      if (shape.numeric)
        return typeof value === 'number' && Number.isFinite(value) ? [] : ['Expected a number'];
      if (typeof value !== 'string') return ['Expected text'];
      return value.length > shape.maxLength ? [`At most ${shape.maxLength} characters`] : [];
    default:
      return JSON.stringify(value).length > 64 * 1024 ? ['Answer too large'] : [];
  }
}

/** Messages for one row of a grid: an object of cells, each one its column's (see {@link gridCells}). */
function checkGridRow(shape: AnswerShape, row: string, cells: unknown): string[] {
  if (cells === null || typeof cells !== 'object' || Array.isArray(cells)) return [`${row}: expected cells`];
  const out: string[] = [];
  for (const [col, v] of Object.entries(cells as Record<string, unknown>)) {
    const cell = shape.cells!.get(col);
    if (!cell) out.push(`${row}: no column "${clip(col)}"`);
    else for (const m of checkShape(cell, v)) out.push(`${row}, column ${clip(col)}: ${m}`);
  }
  return out;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
