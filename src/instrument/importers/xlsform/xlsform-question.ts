import type { ElementJson, LocalisableString } from '../../types.js';
import type { ImportProblems } from '../import-problems.js';
import type { XlsformChoice } from './xlsform-choices.js';

export type LabelFn = (
  cells: Record<string, string>,
  base: string,
  where: string,
) => LocalisableString | undefined;

export interface TypeContext {
  type: string;
  list: string | undefined;
  orOther: boolean;
  cells: Record<string, string>;
  where: string;
  lists: Map<string, XlsformChoice[]>;
  problems: ImportProblems;
  label: LabelFn;
}

/** Appearances that change nothing a web form needs to know. */
const HARMLESS_APPEARANCES =
  /^(|field-list|horizontal|horizontal-compact|compact|quick|no-calendar|numbers|w\d+)$/;

/**
 * Sets a question's SurveyJS type from its XLSForm type: `select_one` → radiogroup (dropdown with
 * `minimal`/`autocomplete`), `select_multiple` → checkbox, `rank` → ranking, `or_other` → an
 * "Other" item with its text, `text` (comment with `multiline`), `integer`/`decimal` → numbers,
 * `note` → html holding escaped plain text, dates and times, `range` → rating, `acknowledge` →
 * boolean. A select whose list is missing becomes a text question (reported).
 */
export function applyType(element: ElementJson, t: TypeContext): void {
  const appearance = (t.cells.appearance ?? '').toLowerCase().trim();
  const lose = (attribute: string, message: string) => t.problems.lose(t.where, attribute, message);
  let appearanceUsed = HARMLESS_APPEARANCES.test(appearance);
  if (t.type === 'select_one' || t.type === 'select_multiple' || t.type === 'rank') {
    const list = t.list ? t.lists.get(t.list) : undefined;
    if (!list) {
      lose('type', `the choice list "${t.list ?? ''}" is not in the choices sheet: asked as a text question`);
      return;
    }
    element.type =
      t.type === 'rank'
        ? 'ranking'
        : t.type === 'select_multiple'
          ? 'checkbox'
          : /minimal|autocomplete/.test(appearance)
            ? 'dropdown'
            : 'radiogroup';
    element.choices = list.map((c) =>
      c.text === undefined ? { value: c.value } : { value: c.value, text: c.text },
    );
    appearanceUsed = appearanceUsed || /minimal|autocomplete|likert|columns/.test(appearance);
    if (t.orOther) {
      if (element.type === 'ranking') lose('type', '"or_other" on a rank is not carried');
      else element.showOtherItem = true;
    }
    const params = parameters(t.cells.parameters);
    if (params.randomize === 'true' || params.randomize === 'yes') element.choicesOrder = 'random';
  } else {
    if (t.orOther) lose('type', '"or_other" only applies to selects');
    switch (t.type) {
      case 'text':
        if (appearance.includes('multiline')) {
          element.type = 'comment';
          appearanceUsed = true;
        }
        break;
      case 'integer':
      case 'decimal':
        element.inputType = 'number';
        if (t.type === 'integer') element.step = 1;
        break;
      case 'note':
        element.type = 'html';
        element.html = escapeLocalised(element.title ?? '');
        delete element.title;
        break;
      case 'date':
        element.inputType = 'date';
        break;
      case 'time':
        element.inputType = 'time';
        break;
      case 'datetime':
        element.inputType = 'datetime-local';
        break;
      case 'range':
        range(element, t);
        appearanceUsed = appearanceUsed || appearance === 'rating';
        break;
      case 'acknowledge':
        element.type = 'boolean';
        break;
    }
  }
  if (!appearanceUsed) lose('appearance', `appearance "${t.cells.appearance}" not carried`);
}

/** `start=1 end=10 step=1`, also written with `;` or `,` between them. */
export function parameters(cell: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of (cell ?? '').split(/[\s;,]+/).filter(Boolean)) {
    const [k, v] = kv.split('=');
    if (k && v !== undefined) out[k.trim().toLowerCase()] = v.trim();
  }
  return out;
}

function range(element: ElementJson, t: TypeContext): void {
  const p = parameters(t.cells.parameters);
  const min = Number(p.start ?? 1);
  const max = Number(p.end ?? 10);
  const step = Number(p.step ?? 1);
  if (![min, max, step].every(Number.isFinite) || step <= 0 || (max - min) / step > 1000 || max < min) {
    t.problems.lose(
      t.where,
      'parameters',
      `range parameters "${t.cells.parameters}" are not usable: asked as a number`,
    );
    element.inputType = 'number';
    return;
  }
  element.type = 'rating';
  element.rateMin = min;
  element.rateMax = max;
  element.rateStep = step;
}

function escapeLocalised(s: LocalisableString): LocalisableString {
  const esc = (x: string) =>
    x
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/\n/g, '<br>');
  if (typeof s === 'string') return esc(s);
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === 'string' ? esc(v) : v]));
}
