import { cairnetError } from '../../../errors.js';
import { QUOTAS_KEY } from '../../quotas.js';
import type { ElementJson, InstrumentJson, LocalisableString, PageJson } from '../../types.js';
import { ExpressionError, findCycle, surveyString, type Translation } from '../expression-error.js';
import { ImportProblems } from '../import-problems.js';
import type { ImportedInstrument, ImportNote } from '../import-report.js';
import { languageCode, localisedLabel } from '../localised-labels.js';
import type { XlsformWorkbook } from './read-xlsform.js';
import { readChoices, type XlsformChoice } from './xlsform-choices.js';
import { translateXlsform, type XlsformScope } from './xlsform-expression.js';
import { applyType, type LabelFn } from './xlsform-question.js';
import { readQuotaSheet } from './xlsform-quotas.js';
import { parseXlsformType, XLSFORM_CARRIED, XLSFORM_METADATA, XLSFORM_UNSUPPORTED } from './xlsform-types.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const HANDLED_COLUMNS = new Set([
  'type',
  'name',
  'label',
  'hint',
  'required',
  'required_message',
  'relevant',
  'constraint',
  'constraint_message',
  'appearance',
  'default',
  'read_only',
  'calculation',
  'parameters',
  'choice_filter',
  'repeat_count',
]);
/** Columns that never change what a respondent sees or answers. */
const SILENT_COLUMNS = new Set([
  'guidance_hint',
  'note',
  'notes',
  'comment',
  'comments',
  'instance::',
  'tag',
]);
const SILENT_SETTINGS = new Set([
  'form_title',
  'form_id',
  'id_string',
  'default_language',
  'version',
  'style',
  'allow_choice_duplicates',
  'instance_name',
  'public_key',
  'submission_url',
  'namespaces',
]);

interface Container {
  kind: 'root' | 'group' | 'repeat' | 'loop';
  element: ElementJson | null;
  /** A loop: the choices its questions are asked for. */
  over?: XlsformChoice[];
  elements: ElementJson[];
  row: number;
  /** A `table-list` group: one question per row of a matrix. */
  table?: boolean;
}

/** A translated expression waiting for every question to be known. */
interface Pending {
  apply: (t: Translation) => void;
  source: string;
  self: string | null;
  scope: XlsformScope;
  where: string;
  attribute: string;
  otherwise: string;
  /** The question whose relevance this is (for cycles). */
  relevanceOf?: string;
}

/**
 * Turns a read XLSForm into a SurveyJS instrument: top-level groups become pages, nested groups
 * panels, repeats dynamic panels; selects (old spellings, `or_other`, `choice_filter`), ranks,
 * texts, numbers, dates, ranges, notes, calculations, defaults, relevance, constraints and
 * `${x}` piping are carried, and quotas from Cairnet's own `cairnet_quotas` sheet. What cannot
 * be is dropped or simplified and reported per question and attribute; a broken expression (an unbalanced quote) is an error naming its cell, and every
 * such error of the file is listed at once.
 */
export function xlsformToInstrument(wb: XlsformWorkbook): ImportedInstrument {
  const problems = new ImportProblems();
  const sanitised: ImportNote[] = [];
  const settings = wb.settings?.rows[0]?.cells ?? {};
  const defaultLanguage = settings.default_language ? languageCode(settings.default_language) : null;
  const languages = new Set<string>();
  const label: LabelFn = (cells, base, where) => {
    const texts = new Map<string, unknown>();
    for (const [column, value] of Object.entries(cells)) {
      if (column === base) texts.set('default', value);
      else if (column.startsWith(`${base}::`)) {
        const lang = languageCode(column.slice(base.length + 2));
        languages.add(lang);
        texts.set(lang, value);
      }
    }
    return localisedLabel(texts, defaultLanguage, where, sanitised);
  };
  const lists = readChoices(wb.choices, label, problems);
  for (const key of Object.keys(settings)) {
    if (!SILENT_SETTINGS.has(key) && !key.startsWith('form_title::'))
      problems.lose('settings', key, `setting ${key} = "${settings[key]}" not carried`);
  }

  // Which repeat each question sits in: references to siblings read `{panel.x}`; which
  // questions hold one choice.
  const repeatOf = new Map<string, Set<string>>();
  const single = new Set<string>();
  {
    const open: Set<string>[] = [];
    for (const { cells } of wb.survey.rows) {
      const t = parseXlsformType(cells.type ?? '').type;
      if (t === 'select_one' && cells.name) single.add(cells.name);
      if (t === 'begin repeat') open.push(new Set());
      else if (t === 'end repeat') open.pop();
      else if (open.length > 0 && cells.name) {
        open.at(-1)!.add(cells.name);
        repeatOf.set(cells.name, open.at(-1)!);
      }
    }
  }

  const names = new Map<string, number>();
  const dropped = new Set<string>();
  const pending: Pending[] = [];
  const calculated: { name: string; expression: string; includeIntoResult: boolean }[] = [];
  const stack: Container[] = [{ kind: 'root', element: null, elements: [], row: 0 }];
  /** Questions of a table-list group that became matrix rows: `q_r` → `q.r` in expressions. */
  const rowNames = new Map<string, string>();
  const top = (): Container => stack[stack.length - 1]!;
  let questions = 0;
  const later: Later = (p) => {
    const siblings = p.self ? repeatOf.get(p.self) : undefined;
    pending.push({ ...p, scope: { single, ...(siblings ? { siblings } : {}), ...p.scope } });
  };

  for (const { row, cells } of wb.survey.rows) {
    const cell = `survey!${row}`;
    const rawType = (cells.type ?? '').replace(/\s+/g, ' ').trim();
    const { type, list, orOther } = parseXlsformType(rawType);
    if (type === 'end group' || type === 'end repeat' || type === 'end loop') {
      const closing = stack.pop();
      if (!closing || closing.kind === 'root' || closing.kind !== type.split(' ')[1]) {
        throw cairnetError(
          'CAIRNET_IMPORT_MALFORMED',
          `${cell}: "${rawType}" closes no open ${type.split(' ')[1]}`,
        );
      }
      questions -= closeContainer(closing, top(), problems, stack.length === 1, dropped, {
        rowNames,
        deferred: (n) => pending.some((p) => p.self === n),
      });
      continue;
    }
    const name = cells.name ?? '';
    if (rawType === '') {
      if (!name) continue;
      throw cairnetError('CAIRNET_IMPORT_MALFORMED', `${cell}: the row "${name}" has no type`);
    }
    if (!NAME.test(name)) {
      throw cairnetError(
        'CAIRNET_IMPORT_INVALID',
        `${cell}: the name "${name.slice(0, 40)}" must start with a letter or _ and hold only letters, digits, _ and - (64 at most)`,
      );
    }
    if (names.has(name)) {
      throw cairnetError(
        'CAIRNET_IMPORT_INVALID',
        `${cell}: the name "${name}" is already used on row ${names.get(name)}`,
      );
    }
    names.set(name, row);
    const where = `question ${name}`;
    const known =
      XLSFORM_CARRIED.has(type) || ['select_one', 'select_multiple', 'rank', 'begin loop'].includes(type);
    if (XLSFORM_METADATA.has(type)) {
      problems.lose(where, 'type', `metadata "${rawType}" is not collected by a web form`);
      dropped.add(name);
      continue;
    }
    if (!known) {
      const why = XLSFORM_UNSUPPORTED.has(type)
        ? 'has no Cairnet equivalent'
        : 'is not an XLSForm question type';
      problems.lose(where, 'type', `${cell}: question type "${rawType}" ${why}; dropped`);
      dropped.add(name);
      if (type.startsWith('begin ')) {
        throw cairnetError(
          'CAIRNET_IMPORT_MALFORMED',
          `${cell}: "${rawType}" cannot be skipped: its contents follow`,
        );
      }
      continue;
    }
    if (type === 'calculate') {
      if (!cells.calculation) {
        problems.lose(where, 'calculation', 'a calculate without a calculation is dropped');
        dropped.add(name);
        continue;
      }
      const c = { name, expression: "''", includeIntoResult: false };
      calculated.push(c);
      later({
        apply: (t) => {
          c.expression = t.expression;
        },
        source: cells.calculation,
        self: name,
        where,
        attribute: 'calculation',
        otherwise: 'its value stays empty',
      });
      continue;
    }

    const element: ElementJson = { type: 'text', name };
    const title = label(cells, 'label', where);
    if (title !== undefined) element.title = title;
    const hint = label(cells, 'hint', `${where} hint`);
    if (hint !== undefined) element.description = hint;
    relevance(element, cells.relevant, where, later);

    if (type === 'begin loop') {
      const over = lists.get(list ?? '');
      if (!over) {
        throw cairnetError(
          'CAIRNET_IMPORT_INVALID',
          `${cell}: "${rawType}" loops over the list "${list}", which the choices sheet does not hold`,
        );
      }
      stack.push({ kind: 'loop', element, elements: [], row, over });
      continue;
    }
    if (type === 'begin group' || type === 'begin repeat') {
      const container: Container = {
        kind: type === 'begin group' ? 'group' : 'repeat',
        element,
        elements: [],
        row,
        ...(type === 'begin group' && cells.appearance === 'table-list' ? { table: true } : {}),
      };
      stack.push(container);
      if (cells.appearance && cells.appearance !== 'field-list' && !container.table)
        problems.lose(where, 'appearance', `appearance "${cells.appearance}" not carried`);
      if (type === 'begin repeat') repeatCount(element, cells.repeat_count, where, problems);
      continue;
    }

    questions++;
    applyType(element, { type, list, orOther, cells, where, lists, problems, label });
    choiceFilter(element, cells.choice_filter, lists.get(list ?? '') ?? [], where, later);
    required(element, cells, where, label, later);
    constraint(element, cells, where, label, later);
    defaultValue(element, cells.default, type, where, later);
    const readOnly = (cells.read_only ?? '').trim();
    if (/^(yes|true|true\(\))$/i.test(readOnly)) element.readOnly = true;
    else if (readOnly !== '' && !/^(no|false|false\(\))$/i.test(readOnly))
      problems.lose(where, 'read_only', `read_only "${readOnly}" not carried: the question can be answered`);
    if (cells.calculation) problems.lose(where, 'calculation', 'a calculation on a question is not carried');
    for (const [column, value] of Object.entries(cells)) {
      const baseColumn = column.split('::')[0]!;
      if (!HANDLED_COLUMNS.has(baseColumn) && !SILENT_COLUMNS.has(baseColumn) && value.trim() !== '')
        problems.lose(where, column, `column ${column} = "${value.slice(0, 60)}" not carried`);
    }
    top().elements.push(element);
  }
  if (stack.length > 1) {
    const open = top();
    throw cairnetError(
      'CAIRNET_IMPORT_MALFORMED',
      `survey!${open.row}: the ${open.kind} "${open.element?.name}" is never closed`,
    );
  }

  // Expressions, once every question is known: a reference to a dropped question drops the
  // expression (reported); a broken one is an error.
  const known = new Set([...names.keys()].filter((n) => !dropped.has(n)));
  const graph = new Map<string, string[]>();
  const undo = new Map<string, () => void>();
  for (const p of pending) {
    const t = translateAt(p, problems);
    if (!t) continue;
    const missing = t.references.find((r) => !known.has(r));
    if (missing) {
      problems.lose(
        p.where,
        p.attribute,
        `"${p.source}" names "${missing}", which is not an imported question: ${p.otherwise}`,
      );
      continue;
    }
    p.apply(t);
    if (p.relevanceOf) {
      graph.set(p.relevanceOf, t.references);
      undo.set(p.relevanceOf, () => p.apply({ expression: '', references: [] }));
    }
  }
  let cycle = findCycle(graph);
  while (cycle) {
    const first = cycle[0]!;
    problems.lose(
      `question ${first}`,
      'relevant',
      `the relevance depends on itself (${cycle.join(' → ')}): dropped`,
    );
    undo.get(first)?.();
    graph.delete(first);
    cycle = findCycle(graph);
  }

  const root = stack[0]!;
  if (rowNames.size > 0) renameReferences(root.elements, calculated, rowNames);
  pipe(root.elements, repeatOf);
  const json: InstrumentJson = { pages: paginate(root.elements) };
  const formTitle = label(settings, 'form_title', 'settings form_title');
  if (formTitle !== undefined) json.title = formTitle;
  if (calculated.length > 0) json.calculatedValues = calculated;
  if (
    defaultLanguage &&
    defaultLanguage !== 'en' &&
    /^[a-z]{2}$/.test(defaultLanguage) &&
    languages.size <= 1
  )
    json.locale = defaultLanguage;
  problems.throwIfErrors();
  if (wb.quotas) {
    const quotas = readQuotaSheet(wb.quotas, { json, names, dropped, rowNames, label }, problems);
    if (quotas.length > 0) json[QUOTAS_KEY] = quotas;
  }
  const titleText =
    typeof formTitle === 'string'
      ? formTitle
      : ((formTitle?.default as string | undefined) ?? settings.form_id ?? '');
  return {
    json,
    report: {
      format: 'xlsform',
      title: titleText,
      languages: [...languages].sort(),
      questions,
      notCarried: problems.notCarried,
      sanitised,
    },
  };
}

function translateAt(p: Pending, problems: ImportProblems): Translation | null {
  if (p.source.length > 2000) {
    problems.lose(
      p.where,
      p.attribute,
      `an expression longer than 2000 characters is not carried: ${p.otherwise}`,
    );
    return null;
  }
  try {
    return translateXlsform(p.source, p.self, p.scope);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    if (e.kind === 'syntax') problems.fail(p.where, p.attribute, `"${p.source}": ${e.message}`);
    else problems.lose(p.where, p.attribute, `"${p.source}" not carried (${e.message}): ${p.otherwise}`);
    return null;
  }
}

type Later = (p: Omit<Pending, 'scope'> & { scope?: XlsformScope }) => void;

function relevance(element: ElementJson, source: string | undefined, where: string, later: Later): void {
  const s = (source ?? '').trim();
  if (s === '' || /^(yes|true|true\(\))$/i.test(s)) return;
  if (/^(no|false|false\(\))$/i.test(s)) {
    element.visible = false;
    return;
  }
  later({
    apply: (t) => {
      if (t.expression === '') delete element.visibleIf;
      else element.visibleIf = t.expression;
    },
    source: s,
    self: element.name,
    where,
    attribute: 'relevant',
    otherwise: 'the question is always shown',
    relevanceOf: element.name,
  });
}

function required(
  element: ElementJson,
  cells: Record<string, string>,
  where: string,
  label: LabelFn,
  later: Later,
): void {
  const value = cells.required?.trim() ?? '';
  if (value === '' || /^(no|false|false\(\)|0)$/i.test(value) || element.type === 'html') return;
  if (/^(yes|true|true\(\)|1)$/i.test(value)) element.isRequired = true;
  else
    later({
      apply: (t) => {
        element.requiredIf = t.expression;
      },
      source: value,
      self: element.name,
      where,
      attribute: 'required',
      otherwise: 'the question is optional',
    });
  const message = label(cells, 'required_message', `${where} required_message`);
  if (message !== undefined) element.requiredErrorText = message;
}

function constraint(
  element: ElementJson,
  cells: Record<string, string>,
  where: string,
  label: LabelFn,
  later: Later,
): void {
  const source = cells.constraint?.trim();
  if (!source) return;
  const text = label(cells, 'constraint_message', `${where} constraint_message`);
  const regex = /^regex\(\s*\.\s*,\s*'([^']*)'\s*\)$/.exec(source);
  if (regex) {
    element.validators = [{ type: 'regex', regex: regex[1], ...(text ? { text } : {}) }];
    return;
  }
  later({
    // An XLSForm constraint only applies to an answer that was given.
    apply: (t) => {
      element.validators = [
        ...((element.validators as unknown[]) ?? []),
        {
          type: 'expression',
          expression: `{${element.name}} empty or (${t.expression})`,
          ...(text ? { text } : {}),
        },
      ];
    },
    source,
    self: element.name,
    where,
    attribute: 'constraint',
    otherwise: 'the answer is not checked',
  });
}

function defaultValue(
  element: ElementJson,
  source: string | undefined,
  type: string,
  where: string,
  later: Later,
): void {
  const s = (source ?? '').trim();
  if (s === '') return;
  if (/\$\{|\(\)|\(/.test(s)) {
    later({
      apply: (t) => {
        element.defaultValueExpression = t.expression;
      },
      source: s,
      self: null,
      where,
      attribute: 'default',
      otherwise: 'no default',
    });
    return;
  }
  if (type === 'select_multiple') element.defaultValue = s.split(/\s+/);
  else if (element.inputType === 'number' && Number.isFinite(Number(s))) element.defaultValue = Number(s);
  else element.defaultValue = s;
}

/**
 * `choice_filter`: each choice gets the filter as its own `visibleIf`, the choices sheet's
 * columns (`country`, `name`) read as that choice's values.
 */
function choiceFilter(
  element: ElementJson,
  source: string | undefined,
  list: XlsformChoice[],
  where: string,
  later: Later,
): void {
  const s = (source ?? '').trim();
  if (s === '' || !Array.isArray(element.choices)) return;
  const items = element.choices as Record<string, unknown>[];
  list.forEach((choice, i) => {
    const item = items.find((c) => c.value === choice.value) ?? items[i];
    if (!item) return;
    // The columns of this choice's row are literals in this choice's copy of the filter.
    const column = (col: string) => {
      const v = col === 'name' ? choice.value : choice.columns[col];
      if (v === undefined) return undefined;
      try {
        return Number.isFinite(Number(v)) && v.trim() !== '' ? v : surveyString(v);
      } catch {
        return undefined;
      }
    };
    later({
      apply: (t) => {
        item.visibleIf = t.expression;
      },
      source: s,
      self: element.name,
      where,
      attribute: 'choice_filter',
      otherwise: 'every choice is shown',
      scope: { column },
    });
  });
}

function repeatCount(
  element: ElementJson,
  source: string | undefined,
  where: string,
  problems: ImportProblems,
): void {
  const s = (source ?? '').trim();
  if (s === '') return;
  const n = Number(s);
  if (Number.isInteger(n) && n >= 0 && n <= 100) {
    element.panelCount = n;
    element.minPanelCount = n;
    element.maxPanelCount = n;
  } else
    problems.lose(
      where,
      'repeat_count',
      `repeat_count "${s}" not carried: respondents add entries themselves`,
    );
}

/** Labels and hints: `${x}` becomes SurveyJS text processing `{x}` (`{panel.x}` within a repeat). */
function pipe(elements: ElementJson[], repeatOf: Map<string, Set<string>>): void {
  const rewrite = (s: string, self: string) =>
    s.replace(/\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g, (_m, n: string) =>
      repeatOf.get(self)?.has(n) ? `{panel.${n}}` : `{${n}}`,
    );
  const visit = (els: ElementJson[]) => {
    for (const e of els) {
      for (const key of ['title', 'description', 'html'] as const) {
        const v = e[key] as LocalisableString | undefined;
        if (typeof v === 'string') e[key] = rewrite(v, e.name);
        else if (v && typeof v === 'object')
          for (const [lang, t] of Object.entries(v)) if (typeof t === 'string') v[lang] = rewrite(t, e.name);
      }
      if (Array.isArray(e.elements)) visit(e.elements as ElementJson[]);
      if (Array.isArray(e.templateElements)) visit(e.templateElements as ElementJson[]);
    }
  };
  visit(elements);
}

/** Closes a group or repeat; returns how many of its questions were dropped with it. */
function closeContainer(
  closing: Container,
  parent: Container,
  problems: ImportProblems,
  topLevel: boolean,
  dropped: Set<string>,
  table: { rowNames: Map<string, string>; deferred: (name: string) => boolean },
): number {
  const element = closing.element!;
  if (closing.kind === 'loop') return closeLoop(closing, parent, problems, dropped);
  if (closing.table) {
    const matrix = closing.elements.some((e) => table.deferred(e.name))
      ? undefined
      : tableMatrix(element, closing.elements);
    if (matrix) {
      for (const e of closing.elements)
        table.rowNames.set(e.name, `${element.name}.${e.name.slice(element.name.length + 1)}`);
      parent.elements.push(matrix);
      return 0;
    }
    problems.lose(
      `question ${element.name}`,
      'appearance',
      'appearance "table-list" not carried: its questions are not one choice list each, without conditions',
    );
  }
  if (closing.kind === 'group') {
    element.type = topLevel ? 'page' : 'panel';
    element.elements = closing.elements;
    parent.elements.push(element);
    return 0;
  }
  // A repeat: its questions become the dynamic panel's template; groups inside are flattened.
  const template: ElementJson[] = [];
  const flatten = (els: ElementJson[]) => {
    for (const e of els) {
      if (e.type === 'panel') flatten((e.elements as ElementJson[]) ?? []);
      else if (e.type === 'paneldynamic' || e.type === 'matrix' || e.type === 'matrixdropdown') {
        problems.lose(
          `question ${e.name}`,
          'type',
          `a ${e.type === 'matrix' ? 'matrix' : 'repeat'} inside a repeat is not carried; dropped`,
        );
        dropped.add(e.name);
      } else template.push(e);
    }
  };
  flatten(closing.elements);
  if (template.length === 0) {
    problems.lose(`question ${element.name}`, 'type', 'a repeat with no question it can carry is dropped');
    dropped.add(element.name);
    return 0;
  }
  element.type = 'paneldynamic';
  element.templateElements = template;
  if (element.panelCount === undefined) element.panelCount = 1;
  parent.elements.push(element);
  return 0;
}

/** The matrix cell types a loop's questions become. */
const CELL_TYPES: Record<string, string> = {
  text: 'text',
  comment: 'comment',
  radiogroup: 'radiogroup',
  dropdown: 'dropdown',
  checkbox: 'checkbox',
  boolean: 'boolean',
};

/**
 * pyxform's `begin loop over LIST` as a SurveyJS matrix of dropdowns: one row per choice of LIST,
 * one column per question of the loop (asked for each row). `%(label)s` in a question's label
 * (the row's label in pyxform) is left out of the column's title, which stands above every row;
 * a question a cell cannot hold (a group, a note, a repeat) is dropped and reported.
 */
function closeLoop(
  closing: Container,
  parent: Container,
  problems: ImportProblems,
  dropped: Set<string>,
): number {
  const element = closing.element!;
  const where = `question ${element.name}`;
  const columns: Record<string, unknown>[] = [];
  let lost = 0;
  for (const e of closing.elements) {
    const cellType = CELL_TYPES[e.type];
    if (!cellType || e.visibleIf !== undefined) {
      problems.lose(
        `question ${e.name}`,
        'type',
        `a ${e.type}${e.visibleIf !== undefined ? ' with a condition' : ''} inside a loop is not carried; dropped`,
      );
      dropped.add(e.name);
      lost++;
      continue;
    }
    const { type: _, visibleIf: __, ...rest } = e;
    const title = rest.title;
    const piped = (t: unknown) => typeof t === 'string' && t.includes('%(label)s');
    if (piped(title) || (title && typeof title === 'object' && Object.values(title).some(piped))) {
      const strip = (t: string) => t.replace(/\s*%\(label\)s\s*/g, ' ').trim();
      rest.title =
        typeof title === 'string'
          ? strip(title)
          : Object.fromEntries(Object.entries(title as object).map(([k, v]) => [k, strip(String(v))]));
      problems.lose(
        `question ${e.name}`,
        'label',
        "the row's label (%(label)s) is left out of the title: it stands above every row of the loop",
      );
    }
    columns.push({ ...rest, cellType });
  }
  if (columns.length === 0) {
    problems.lose(where, 'type', 'a loop with no question it can carry is dropped');
    dropped.add(element.name);
    return lost;
  }
  parent.elements.push({
    ...element,
    type: 'matrixdropdown',
    rows: (closing.over ?? []).map((c) =>
      c.text === undefined ? c.value : { value: c.value, text: c.text },
    ),
    columns,
  });
  return lost;
}

/** Expressions naming a question that became a matrix row name the row (`{q_r}` → `{q.r}`). */
function renameReferences(
  elements: ElementJson[],
  calculated: { expression: string }[],
  rowNames: Map<string, string>,
): void {
  const rename = (s: string) =>
    s.replace(/\{([^{}]+)\}/g, (m, n: string) => (rowNames.has(n) ? `{${rowNames.get(n)}}` : m));
  const visit = (list: ElementJson[] | undefined) => {
    for (const e of list ?? []) {
      for (const key of ['visibleIf', 'requiredIf', 'enableIf'] as const)
        if (typeof e[key] === 'string') e[key] = rename(e[key] as string);
      for (const v of (e.validators as { expression?: string }[] | undefined) ?? [])
        if (typeof v.expression === 'string') v.expression = rename(v.expression);
      visit(e.elements);
      visit(e.templateElements);
    }
  };
  visit(elements);
  for (const c of calculated) c.expression = rename(c.expression);
}

/**
 * A `table-list` group as a SurveyJS matrix: each question a row (its name the group's name, "_",
 * the row's value), the shared choice list the columns. Undefined when the questions are not
 * single choices on one list named so.
 */
function tableMatrix(group: ElementJson, elements: ElementJson[]): ElementJson | undefined {
  const prefix = `${group.name}_`;
  const first = elements[0];
  if (!first) return undefined;
  const same = JSON.stringify(first.choices);
  const rows = elements.every(
    (e) =>
      e.type === 'radiogroup' &&
      e.name.startsWith(prefix) &&
      e.name.length > prefix.length &&
      JSON.stringify(e.choices) === same &&
      e.visibleIf === undefined,
  );
  if (!rows) return undefined;
  const required = elements.every((e) => e.isRequired === true);
  return {
    ...group,
    type: 'matrix',
    columns: first.choices ?? [],
    rows: elements.map((e) => {
      const value = e.name.slice(prefix.length);
      return e.title === undefined ? value : { value, text: e.title };
    }),
    ...(required ? { isRequired: true, eachRowRequired: true } : {}),
  };
}

/** Top-level groups become pages; runs of top-level questions between them, pages of their own. */
function paginate(elements: ElementJson[]): PageJson[] {
  const pages: PageJson[] = [];
  let loose: ElementJson[] = [];
  const flush = () => {
    if (loose.length > 0) pages.push({ name: `page${pages.length + 1}`, elements: loose });
    loose = [];
  };
  for (const e of elements) {
    if (e.type === 'page') {
      flush();
      const { type: _type, ...page } = e;
      pages.push(page as PageJson);
    } else loose.push(e);
  }
  flush();
  return pages;
}
