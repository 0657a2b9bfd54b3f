import ExcelJS from 'exceljs';
import { cairnetError } from '../../errors.js';
import { QUOTA_COLUMNS, QUOTA_SHEET } from '../quota-sheet.js';
import type { ElementJson, InstrumentJson, LocalisableString } from '../types.js';
import { pagesOf } from '../walk-elements.js';
import { toXlsformExpression } from './xlsform-expression-out.js';
import { type QuotaSheetSummary, quotaRows } from './xlsform-quotas-out.js';

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', fr: 'French', es: 'Spanish', de: 'German' };

type Row = Record<string, string>;

/** The language columns of a localisable text: `label` for a plain one, `label::French (fr)` … */
function localised(base: string, text: LocalisableString | undefined, out: Row): void {
  if (text === undefined) return;
  if (typeof text === 'string') {
    out[base] = text;
    return;
  }
  for (const [key, value] of Object.entries(text)) {
    if (typeof value !== 'string' || value === '') continue;
    const code = key === 'default' ? (Object.hasOwn(text, 'en') ? null : 'en') : key;
    if (code === null) continue;
    out[`${base}::${LANGUAGE_NAMES[code] ?? code} (${code})`] = value;
  }
}

function choiceValue(c: unknown): { value: string; text?: LocalisableString } {
  if (c !== null && typeof c === 'object') {
    const o = c as { value?: unknown; text?: LocalisableString };
    return { value: String(o.value), ...(o.text !== undefined ? { text: o.text } : {}) };
  }
  return { value: String(c) };
}

/** Text of an html element, without its markup (an XLSForm note holds plain text). */
function plain(html: LocalisableString): LocalisableString {
  const strip = (s: string) =>
    s
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<[^>]*>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
      .trim();
  if (typeof html === 'string') return strip(html);
  return Object.fromEntries(Object.entries(html).map(([k, v]) => [k, typeof v === 'string' ? strip(v) : v]));
}

class Writer {
  readonly survey: Row[] = [];
  readonly choices: Row[] = [];
  private readonly multiple = new Set<string>();
  private readonly matrices = new Set<string>();

  constructor(json: InstrumentJson) {
    for (const { page } of pagesOf(json)) this.collect(page.elements ?? []);
  }

  private collect(elements: ElementJson[]): void {
    for (const e of elements) {
      if (e.type === 'checkbox') this.multiple.add(e.name);
      if (e.type === 'matrix') this.matrices.add(e.name);
      this.collect(e.elements ?? []);
      this.collect(e.templateElements ?? []);
    }
  }

  expr(source: string, self?: string): string {
    return toXlsformExpression(source, {
      isMultiple: (n) => this.multiple.has(n),
      // a matrix row `{q.r}` is the question `q_r` of the matrix's table-list group
      rename: (n) => {
        const dot = n.indexOf('.');
        return dot > 0 && this.matrices.has(n.slice(0, dot)) ? `${n.slice(0, dot)}_${n.slice(dot + 1)}` : n;
      },
      ...(self !== undefined ? { self } : {}),
    });
  }

  list(name: string, choices: unknown[] | undefined): string {
    for (const c of choices ?? []) {
      const { value, text } = choiceValue(c);
      const row: Row = { list_name: name, name: value };
      localised('label', text ?? value, row);
      this.choices.push(row);
    }
    return name;
  }

  common(e: ElementJson, row: Row): Row {
    localised('label', e.title, row);
    localised('hint', e.description as LocalisableString | undefined, row);
    if (e.visibleIf) row.relevant = this.expr(e.visibleIf);
    if (e.isRequired) row.required = 'yes';
    else if (typeof e.requiredIf === 'string') row.required = this.expr(e.requiredIf);
    localised('required_message', e.requiredErrorText as LocalisableString | undefined, row);
    this.constraint(e, row);
    return row;
  }

  constraint(e: ElementJson, row: Row): void {
    const v = (
      e.validators as { type?: string; expression?: string; regex?: string; text?: LocalisableString }[]
    )?.[0];
    if (!v) return;
    if (v.type === 'regex' && v.regex !== undefined) row.constraint = `regex(., '${v.regex}')`;
    else if (v.type === 'expression' && v.expression) {
      const wrapped = new RegExp(`^\\{${e.name}\\} empty or \\((.*)\\)$`).exec(v.expression);
      row.constraint = this.expr(wrapped ? wrapped[1]! : v.expression, e.name);
    } else return;
    localised('constraint_message', v.text, row);
  }

  element(e: ElementJson): void {
    const q = (type: string, extra: Row = {}): void => {
      this.survey.push(this.common(e, { type, name: e.name, ...extra }));
    };
    switch (e.type) {
      case 'panel':
        this.survey.push(this.common(e, { type: 'begin group', name: e.name }));
        for (const c of e.elements ?? []) this.element(c);
        this.survey.push({ type: 'end group' });
        return;
      case 'paneldynamic':
        this.survey.push(this.common(e, { type: 'begin repeat', name: e.name }));
        for (const c of e.templateElements ?? []) this.element(c);
        this.survey.push({ type: 'end repeat' });
        return;
      case 'matrix':
        this.matrix(e);
        return;
      case 'radiogroup':
        q(`select_one ${this.list(e.name, e.choices)}${e.showOtherItem ? ' or_other' : ''}`);
        return;
      case 'dropdown':
        q(`select_one ${this.list(e.name, e.choices)}`, { appearance: 'minimal' });
        return;
      case 'checkbox':
        q(`select_multiple ${this.list(e.name, e.choices)}${e.showOtherItem ? ' or_other' : ''}`);
        return;
      case 'ranking':
        q(`rank ${this.list(e.name, e.choices)}`);
        return;
      case 'comment':
        q('text', { appearance: 'multiline' });
        return;
      case 'boolean':
        q('acknowledge');
        return;
      case 'rating':
        q('range', {
          parameters: `start=${e.rateMin ?? 1} end=${e.rateMax ?? 5} step=${e.rateStep ?? 1}`,
        });
        return;
      case 'html': {
        const row: Row = { type: 'note', name: e.name };
        localised('label', plain((e.html as LocalisableString | undefined) ?? ''), row);
        if (e.visibleIf) row.relevant = this.expr(e.visibleIf);
        this.survey.push(row);
        return;
      }
      case 'text': {
        const input = e.inputType ?? 'text';
        const type =
          input === 'number'
            ? e.step === 1
              ? 'integer'
              : 'decimal'
            : input === 'date'
              ? 'date'
              : input === 'time'
                ? 'time'
                : input === 'datetime-local'
                  ? 'datetime'
                  : 'text';
        q(type);
        return;
      }
      default:
        throw cairnetError(
          'CAIRNET_INSTRUMENT_EXPORT_UNSUPPORTED',
          `The question "${e.name}" is a SurveyJS "${e.type}", which XLSForm cannot hold`,
        );
    }
  }

  /** A matrix: a `table-list` group of one `select_one` per row, named `<matrix>_<row>`, on one list. */
  matrix(e: ElementJson): void {
    const group = this.common(e, { type: 'begin group', name: e.name, appearance: 'table-list' });
    delete group.required;
    this.survey.push(group);
    const list = this.list(e.name, e.columns);
    for (const r of e.rows ?? []) {
      const { value, text } = choiceValue(r);
      const row: Row = { type: `select_one ${list}`, name: `${e.name}_${value}` };
      localised('label', text ?? value, row);
      if (e.isRequired || e.eachRowRequired) row.required = 'yes';
      this.survey.push(row);
    }
    this.survey.push({ type: 'end group' });
  }
}

function sheet(wb: ExcelJS.Workbook, name: string, rows: Row[], first: string[]): void {
  const columns = [...first];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const ws = wb.addWorksheet(name);
  ws.addRow(columns);
  for (const r of rows) ws.addRow(columns.map((c) => r[c] ?? ''));
}

/** An XLSForm export: the workbook, and what it holds beyond XLSForm (the quotas' sheet). */
export interface XlsformExport {
  file: Buffer;
  /** The `cairnet_quotas` sheet, when the instrument has quotas (XLSForm has none of its own). */
  quotas: (QuotaSheetSummary & { sheet: string }) | null;
}

/**
 * A questionnaire as an XLSForm workbook (the spreadsheet survey designers edit): pages and
 * panels as groups, matrices as `table-list` groups, dynamic panels as repeats, choices by
 * question, labels, hints and messages in every language, skip logic (`relevant`), required,
 * constraints and calculations as XLSForm expressions; its quotas, which XLSForm cannot hold, in
 * a sheet of Cairnet's own, `cairnet_quotas` (other XLSForm tools skip it; see
 * src/instrument/quota-sheet.ts). `cairnet instrument import` reads it all back into the same
 * questions and quotas. What XLSForm cannot hold is `CAIRNET_INSTRUMENT_EXPORT_UNSUPPORTED`.
 */
export async function exportXlsformWorkbook(json: InstrumentJson, formId: string): Promise<XlsformExport> {
  const w = new Writer(json);
  pagesOf(json).forEach(({ page }, i) => {
    const group: Row = { type: 'begin group', name: page.name ?? `page${i + 1}` };
    localised('label', page.title, group);
    if (page.visibleIf) group.relevant = w.expr(page.visibleIf);
    w.survey.push(group);
    for (const e of page.elements ?? []) w.element(e);
    w.survey.push({ type: 'end group' });
  });
  for (const c of (json.calculatedValues as { name: string; expression: string }[] | undefined) ?? []) {
    w.survey.push({ type: 'calculate', name: c.name, calculation: w.expr(c.expression) });
  }
  const settings: Row = { form_id: formId, style: 'pages' };
  localised('form_title', json.title, settings);
  const quotas = quotaRows(json, localised);
  const wb = new ExcelJS.Workbook();
  sheet(wb, 'survey', w.survey, ['type', 'name']);
  sheet(wb, 'choices', w.choices, ['list_name', 'name']);
  sheet(wb, 'settings', [settings], ['form_title', 'form_id']);
  if (quotas.rows.length > 0) sheet(wb, QUOTA_SHEET, quotas.rows, [...QUOTA_COLUMNS]);
  return {
    file: Buffer.from(await wb.xlsx.writeBuffer()),
    quotas: quotas.rows.length > 0 ? { sheet: QUOTA_SHEET, ...quotas.summary } : null,
  };
}

/** {@link exportXlsformWorkbook}'s file alone. */
export async function exportXlsform(json: InstrumentJson, formId: string): Promise<Buffer> {
  return (await exportXlsformWorkbook(json, formId)).file;
}
