import { cairnetError } from '../../../errors.js';
import type { ElementJson, InstrumentJson, LocalisableString, PageJson } from '../../types.js';
import { ExpressionError, findCycle } from '../expression-error.js';
import type { ImportedInstrument, ImportNote } from '../import-report.js';
import { languageCode, localisedLabel } from '../localised-labels.js';
import type { XlsformSheet, XlsformWorkbook } from './read-xlsform.js';
import { translateXlsform } from './xlsform-expression.js';
import { XLSFORM_CARRIED, XLSFORM_METADATA, XLSFORM_UNSUPPORTED } from './xlsform-types.js';

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
]);

interface Container {
  kind: 'root' | 'group' | 'repeat';
  element: ElementJson | null;
  elements: ElementJson[];
  row: number;
  /** A `table-list` group: one question per row of a matrix. */
  table?: boolean;
}

/**
 * Turns a read XLSForm into a SurveyJS instrument: top-level groups become pages, nested groups
 * panels; `select_one` → radiogroup (dropdown with `minimal`/`autocomplete`), `select_multiple`
 * → checkbox, `text` (comment with `multiline`), `integer`/`decimal` → numeric text, `note` →
 * html holding escaped plain text, `date`/`time`/`datetime`, `range` → rating, `acknowledge` →
 * boolean, `calculate` → a calculated value, a repeat of text questions → dynamic panel;
 * `relevant` → `visibleIf`, `required` → `isRequired`/`requiredIf`, `constraint` → an
 * expression (or regex) validator. Everything else is listed in the report. Bad names, unknown
 * types and broken, unknown-question or circular relevance throw with a stable code.
 */
export function xlsformToInstrument(wb: XlsformWorkbook): ImportedInstrument {
  const notCarried: ImportNote[] = [];
  const sanitised: ImportNote[] = [];
  const settings = wb.settings?.rows[0]?.cells ?? {};
  const defaultLanguage = settings.default_language ? languageCode(settings.default_language) : null;
  const languages = new Set<string>();
  const label = (
    cells: Record<string, string>,
    base: string,
    where: string,
  ): LocalisableString | undefined => {
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

  const lists = readChoices(wb.choices, label);
  const unknownColumns = wb.survey.columns.filter((c) => c !== '' && !HANDLED_COLUMNS.has(c.split('::')[0]!));
  for (const c of unknownColumns)
    notCarried.push({ where: `survey column ${c}`, message: 'column not carried over' });
  for (const key of Object.keys(settings)) {
    if (
      !['form_title', 'form_id', 'default_language', 'version', 'style'].includes(key) &&
      !key.startsWith('form_title::')
    ) {
      notCarried.push({ where: `settings ${key}`, message: 'setting not carried over' });
    }
  }

  const names = new Map<string, number>();
  const relevance = new Map<string, { expr: string; row: number }>();
  const pending: {
    owner: Record<string, unknown>;
    key: 'visibleIf' | 'requiredIf';
    refs: string[];
    row: number;
  }[] = [];
  const calculated: { name: string; expression: string; includeIntoResult: boolean }[] = [];
  const stack: Container[] = [{ kind: 'root', element: null, elements: [], row: 0 }];
  /** Questions of a table-list group that became matrix rows: `q_r` → `q.r` in expressions. */
  const rowNames = new Map<string, string>();
  const top = (): Container => stack[stack.length - 1]!;
  let questions = 0;

  for (const { row, cells } of wb.survey.rows) {
    const where = `survey!${row}`;
    const rawType = (cells.type ?? '').replace(/\s+/g, ' ').trim();
    const [head = '', listName, orOther] = rawType.split(' ');
    const type = head.toLowerCase().replace(/_/g, head.startsWith('select_') ? '_' : ' ');
    const typeKey = ['begin', 'end'].includes(type) ? `${type} ${(listName ?? '').toLowerCase()}` : type;
    if (typeKey === 'end group' || typeKey === 'end repeat') {
      const closing = stack.pop();
      if (!closing || closing.kind === 'root' || closing.kind !== typeKey.split(' ')[1]) {
        throw cairnetError(
          'CAIRNET_IMPORT_MALFORMED',
          `${where}: "${rawType}" closes no open ${typeKey.split(' ')[1]}`,
        );
      }
      closeContainer(closing, top(), notCarried, stack.length === 1, rowNames);
      continue;
    }
    const name = cells.name ?? '';
    if (rawType === '') {
      throw cairnetError('CAIRNET_IMPORT_MALFORMED', `${where}: the row has no type`);
    }
    const known =
      XLSFORM_CARRIED.has(typeKey) ||
      XLSFORM_METADATA.has(typeKey) ||
      XLSFORM_UNSUPPORTED.has(head.toLowerCase()) ||
      type === 'select_one' ||
      type === 'select_multiple';
    if (!known) {
      throw cairnetError(
        'CAIRNET_IMPORT_QUESTION_TYPE_UNKNOWN',
        `${where}: "${rawType}" is not an XLSForm question type`,
        [{ where, type: rawType }],
      );
    }
    if (!NAME.test(name)) {
      throw cairnetError(
        'CAIRNET_IMPORT_INVALID',
        `${where}: the name "${name}" must start with a letter or _ and hold only letters, digits, _ and - (64 at most)`,
      );
    }
    if (names.has(name)) {
      throw cairnetError(
        'CAIRNET_IMPORT_INVALID',
        `${where}: the name "${name}" is already used on row ${names.get(name)}`,
      );
    }
    names.set(name, row);
    if (XLSFORM_METADATA.has(typeKey)) {
      notCarried.push({
        where: `${where} ${name}`,
        message: `metadata "${rawType}" is not collected by a web form`,
      });
      continue;
    }
    if (XLSFORM_UNSUPPORTED.has(head.toLowerCase())) {
      notCarried.push({
        where: `${where} ${name}`,
        message: `question type "${rawType}" has no Cairnet equivalent`,
      });
      continue;
    }
    if (typeKey === 'calculate') {
      const calc = cells.calculation ? tryTranslate(cells.calculation, null) : null;
      if (calc && !(calc instanceof ExpressionError)) {
        calculated.push({ name, expression: calc.expression, includeIntoResult: false });
        pending.push({ owner: {}, key: 'visibleIf', refs: calc.references, row });
      } else {
        notCarried.push({
          where: `${where} ${name}`,
          message: `calculation "${cells.calculation ?? ''}" not carried (${calc?.message ?? 'empty'})`,
        });
      }
      continue;
    }

    const element: ElementJson = { type: 'text', name };
    const title = label(cells, 'label', `${where} ${name}`);
    if (title !== undefined) element.title = title;
    const hint = label(cells, 'hint', `${where} ${name} hint`);
    if (hint !== undefined) element.description = hint;

    if (cells.relevant) {
      const t = translateOrThrow(cells.relevant, name, where, 'relevant');
      element.visibleIf = t.expression;
      relevance.set(name, { expr: cells.relevant, row });
      pending.push({ owner: element, key: 'visibleIf', refs: t.references, row });
    }

    if (typeKey === 'begin group' || typeKey === 'begin repeat') {
      const container: Container = {
        kind: typeKey === 'begin group' ? 'group' : 'repeat',
        element,
        elements: [],
        row,
        ...(typeKey === 'begin group' && cells.appearance === 'table-list' ? { table: true } : {}),
      };
      stack.push(container);
      if (cells.appearance && cells.appearance !== 'field-list' && !container.table) {
        notCarried.push({
          where: `${where} ${name}`,
          message: `appearance "${cells.appearance}" not carried`,
        });
      }
      continue;
    }

    questions++;
    applyType(element, { type, typeKey, listName, orOther, cells, where, lists, notCarried, label });
    applyRequired(element, cells, where, notCarried, label, pending, row);
    applyConstraint(element, cells, where, notCarried, label, pending, row);
    if (cells.default !== undefined) {
      element.defaultValue = type === 'select_multiple' ? cells.default.split(/\s+/) : cells.default;
    }
    if (cells.read_only && /^(yes|true|true\(\))$/i.test(cells.read_only)) element.readOnly = true;
    if (cells.calculation) {
      notCarried.push({ where: `${where} ${name}`, message: 'a calculation on a question is not carried' });
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

  // References must name imported questions; relevance must not go round in circles.
  const known = new Set([...names.keys()].filter((n) => !isDropped(n, notCarried)));
  for (const c of calculated) known.add(c.name);
  for (const p of pending) {
    for (const ref of p.refs) {
      if (!known.has(ref)) {
        throw cairnetError(
          'CAIRNET_IMPORT_EXPRESSION_INVALID',
          `survey!${p.row}: the expression names "${ref}", which is not an imported question`,
          [{ where: `survey!${p.row}`, reference: ref }],
        );
      }
    }
  }
  const graph = new Map<string, string[]>();
  for (const [name, { expr }] of relevance) {
    graph.set(name, translateXlsform(expr, name).references);
  }
  const cycle = findCycle(graph);
  if (cycle) {
    throw cairnetError(
      'CAIRNET_IMPORT_EXPRESSION_INVALID',
      `The relevance of ${cycle[0]} depends on itself: ${cycle.join(' → ')}`,
      [{ cycle }],
    );
  }

  const root = stack[0]!;
  if (rowNames.size > 0) renameReferences(root.elements, calculated, rowNames);
  const pages = paginate(root.elements);
  const json: InstrumentJson = { pages };
  const formTitle = label(settings, 'form_title', 'settings form_title');
  if (formTitle !== undefined) json.title = formTitle;
  if (calculated.length > 0) json.calculatedValues = calculated;
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
      notCarried,
      sanitised,
    },
  };
}

function isDropped(name: string, notCarried: ImportNote[]): boolean {
  return notCarried.some((n) => n.where.endsWith(` ${name}`));
}

function tryTranslate(source: string, self: string | null) {
  try {
    return translateXlsform(source, self);
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw e;
  }
}

function translateOrThrow(source: string, self: string, where: string, column: string) {
  if (source.length > 2000) {
    throw cairnetError(
      'CAIRNET_IMPORT_TOO_LARGE',
      `${where}: the ${column} expression is longer than 2000 characters`,
    );
  }
  const t = tryTranslate(source, self);
  if (t instanceof ExpressionError) {
    throw cairnetError('CAIRNET_IMPORT_EXPRESSION_INVALID', `${where}: ${column} "${source}": ${t.message}`, [
      { where, column, expression: source },
    ]);
  }
  return t;
}

type LabelFn = (cells: Record<string, string>, base: string, where: string) => LocalisableString | undefined;

function readChoices(
  sheet: XlsformSheet | null,
  label: LabelFn,
): Map<string, { value: string; text?: LocalisableString }[]> {
  const lists = new Map<string, { value: string; text?: LocalisableString }[]>();
  if (!sheet) return lists;
  const listColumn = sheet.columns.includes('list_name') ? 'list_name' : 'list name';
  for (const { row, cells } of sheet.rows) {
    const list = cells[listColumn];
    const value = cells.name;
    if (!list || value === undefined) {
      throw cairnetError('CAIRNET_IMPORT_MALFORMED', `choices!${row}: a choice needs a list_name and a name`);
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: a code must hold no control character
    if (value.length > 200 || /[\u0000-\u001f<>]/.test(value)) {
      throw cairnetError(
        'CAIRNET_IMPORT_INVALID',
        `choices!${row}: the choice name "${value.slice(0, 40)}" is not a plain code`,
      );
    }
    const choices = lists.get(list) ?? [];
    if (choices.some((c) => c.value === value)) {
      throw cairnetError(
        'CAIRNET_IMPORT_INVALID',
        `choices!${row}: "${value}" appears twice in list ${list}`,
      );
    }
    const text = label(cells, 'label', `choices!${row} ${list}/${value}`);
    choices.push(text === undefined ? { value } : { value, text });
    lists.set(list, choices);
  }
  return lists;
}

interface TypeContext {
  type: string;
  typeKey: string;
  listName: string | undefined;
  orOther: string | undefined;
  cells: Record<string, string>;
  where: string;
  lists: Map<string, { value: string; text?: LocalisableString }[]>;
  notCarried: ImportNote[];
  label: LabelFn;
}

function applyType(element: ElementJson, t: TypeContext): void {
  const appearance = (t.cells.appearance ?? '').toLowerCase();
  const note = (message: string) => t.notCarried.push({ where: `${t.where} ${element.name}`, message });
  let appearanceUsed = appearance === '';
  if (t.type === 'select_one' || t.type === 'select_multiple') {
    const list = t.listName ? t.lists.get(t.listName) : undefined;
    if (!list) {
      throw cairnetError(
        'CAIRNET_IMPORT_MALFORMED',
        `${t.where}: the choice list "${t.listName ?? ''}" is not in the choices sheet`,
      );
    }
    element.type =
      t.type === 'select_multiple'
        ? 'checkbox'
        : /minimal|autocomplete/.test(appearance)
          ? 'dropdown'
          : 'radiogroup';
    element.choices = list.map((c) => ({ ...c }));
    appearanceUsed = appearanceUsed || /minimal|autocomplete|likert/.test(appearance);
    if (t.orOther === 'or_other') note('"or_other" not carried: add an "other" choice and a text question');
    if (t.cells.choice_filter) note(`choice_filter "${t.cells.choice_filter}" not carried`);
  } else {
    switch (t.typeKey) {
      case 'text':
        if (appearance.includes('multiline')) {
          element.type = 'comment';
          appearanceUsed = true;
        }
        break;
      case 'integer':
      case 'decimal':
        element.inputType = 'number';
        if (t.typeKey === 'integer') element.step = 1;
        break;
      case 'note': {
        element.type = 'html';
        element.html = escapeLocalised(element.title ?? '');
        delete element.title;
        break;
      }
      case 'date':
        element.inputType = 'date';
        break;
      case 'time':
        element.inputType = 'time';
        break;
      case 'datetime':
        element.inputType = 'datetime-local';
        break;
      case 'range': {
        const p = Object.fromEntries(
          (t.cells.parameters ?? '')
            .split(/\s+/)
            .filter(Boolean)
            .map((kv) => kv.split('=') as [string, string]),
        );
        element.type = 'rating';
        element.rateMin = Number(p.start ?? 1);
        element.rateMax = Number(p.end ?? 10);
        element.rateStep = Number(p.step ?? 1);
        if (![element.rateMin, element.rateMax, element.rateStep].every(Number.isFinite)) {
          throw cairnetError(
            'CAIRNET_IMPORT_INVALID',
            `${t.where}: range parameters "${t.cells.parameters}" are not numbers`,
          );
        }
        break;
      }
      case 'acknowledge':
        element.type = 'boolean';
        break;
    }
  }
  if (!appearanceUsed) note(`appearance "${t.cells.appearance}" not carried`);
}

function applyRequired(
  element: ElementJson,
  cells: Record<string, string>,
  where: string,
  notCarried: ImportNote[],
  label: LabelFn,
  pending: { owner: Record<string, unknown>; key: 'visibleIf' | 'requiredIf'; refs: string[]; row: number }[],
  row: number,
): void {
  const required = cells.required?.trim() ?? '';
  if (required === '' || /^(no|false|false\(\)|0)$/i.test(required)) return;
  if (element.type === 'html') return;
  if (/^(yes|true|true\(\)|1)$/i.test(required)) element.isRequired = true;
  else {
    const t = tryTranslate(required, element.name);
    if (t instanceof ExpressionError) {
      notCarried.push({
        where: `${where} ${element.name}`,
        message: `required "${required}" not carried (${t.message})`,
      });
      return;
    }
    element.requiredIf = t.expression;
    pending.push({ owner: element, key: 'requiredIf', refs: t.references, row });
  }
  const message = label(cells, 'required_message', `${where} ${element.name} required_message`);
  if (message !== undefined) element.requiredErrorText = message;
}

function applyConstraint(
  element: ElementJson,
  cells: Record<string, string>,
  where: string,
  notCarried: ImportNote[],
  label: LabelFn,
  pending: { owner: Record<string, unknown>; key: 'visibleIf' | 'requiredIf'; refs: string[]; row: number }[],
  row: number,
): void {
  const constraint = cells.constraint?.trim();
  if (!constraint) return;
  const text = label(cells, 'constraint_message', `${where} ${element.name} constraint_message`);
  const regex = /^regex\(\s*\.\s*,\s*'([^']*)'\s*\)$/.exec(constraint);
  if (regex) {
    element.validators = [{ type: 'regex', regex: regex[1], ...(text ? { text } : {}) }];
    return;
  }
  const t = tryTranslate(constraint, element.name);
  if (t instanceof ExpressionError) {
    notCarried.push({
      where: `${where} ${element.name}`,
      message: `constraint "${constraint}" not carried (${t.message})`,
    });
    return;
  }
  // An XLSForm constraint only applies to an answer that was given.
  element.validators = [
    {
      type: 'expression',
      expression: `{${element.name}} empty or (${t.expression})`,
      ...(text ? { text } : {}),
    },
  ];
  pending.push({ owner: element, key: 'requiredIf', refs: t.references, row });
}

function closeContainer(
  closing: Container,
  parent: Container,
  notCarried: ImportNote[],
  topLevel: boolean,
  rowNames: Map<string, string>,
): void {
  const element = closing.element!;
  if (closing.table) {
    const matrix = tableMatrix(element, closing.elements);
    if (matrix) {
      for (const e of closing.elements)
        rowNames.set(e.name, `${element.name}.${e.name.slice(element.name.length + 1)}`);
      parent.elements.push(matrix);
      return;
    }
    notCarried.push({
      where: `survey!${closing.row} ${element.name}`,
      message: 'appearance "table-list" not carried: its questions are not one choice list each',
    });
  }
  if (closing.kind === 'group') {
    element.type = topLevel ? 'page' : 'panel';
    element.elements = closing.elements;
    parent.elements.push(element);
    return;
  }
  const texts = closing.elements.every((e) => e.type === 'text' || e.type === 'comment');
  if (texts && closing.elements.length > 0) {
    element.type = 'paneldynamic';
    element.templateElements = closing.elements;
    element.panelCount = 1;
    parent.elements.push(element);
  } else {
    notCarried.push({
      where: `survey!${closing.row} ${element.name}`,
      message:
        'a repeat is carried only when it holds text questions alone; this one and its questions were dropped',
    });
    for (const e of closing.elements)
      notCarried.push({ where: `survey!${closing.row} ${e.name}`, message: 'in a dropped repeat' });
  }
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

function escapeLocalised(s: LocalisableString): LocalisableString {
  const esc = (t: string) =>
    t
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/\n/g, '<br>');
  if (typeof s === 'string') return esc(s);
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === 'string' ? esc(v) : v]));
}
