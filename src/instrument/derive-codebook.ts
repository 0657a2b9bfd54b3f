import { instrumentHash } from './instrument-hash.js';
import { localisedText } from './localised-text.js';
import { isQuestionType, QUESTION_TYPES } from './question-types.js';
import type {
  Codebook,
  CodebookLevel,
  CodebookVariable,
  ElementJson,
  InstrumentJson,
  LocalisableString,
} from './types.js';
import { walkElements } from './walk-elements.js';

const NO_YES: CodebookLevel[] = [
  { value: 0, label: { en: 'No', fr: 'Non' } },
  { value: 1, label: { en: 'Yes', fr: 'Oui' } },
];

/**
 * Derives the codebook of a (checked) instrument: one variable per answer column, in
 * questionnaire order. Radio groups and dropdowns are `single`; a checkbox is a `multiple`
 * variable followed by one 0/1 indicator per choice named `<question>__<choice>`; each row of a
 * `matrix` with three or more columns is an `ordinal` variable `<matrix>_<row>` (a
 * `matrix_row` with fewer); a dynamic panel of one text question is a `text_list` named after
 * the panel (`<panel>_<question>` when the template has several).
 *
 * @example
 * const codebook = deriveCodebook(json);
 * codebook.variables.find((v) => v.name === 'opinion_freedom')?.levels.map((l) => l.value);
 * // ['strongly_disagree', 'disagree', 'agree', 'strongly_agree']
 */
export function deriveCodebook(json: InstrumentJson): Codebook {
  const variables: CodebookVariable[] = [];
  for (const { element, pageName, conditions, template } of walkElements(json)) {
    if (template !== null || !isQuestionType(element.type)) continue;
    const conds = typeof element.visibleIf === 'string' ? [...conditions, element.visibleIf] : conditions;
    const base = {
      question: element.name,
      label: localisedText(element.title, element.name),
      section: pageName,
      visibleIf: joinConditions(conds),
    };
    const kind = QUESTION_TYPES[element.type];
    switch (kind) {
      case 'single':
        variables.push({ ...base, name: element.name, type: 'single', levels: levelsOf(element.choices) });
        break;
      case 'multiple': {
        const levels = levelsOf(element.choices);
        variables.push({ ...base, name: element.name, type: 'multiple', levels });
        for (const level of levels) {
          variables.push({
            ...base,
            name: `${element.name}__${level.value}`,
            choice: String(level.value),
            label: { en: `${base.label.en}: ${level.label.en}`, fr: `${base.label.fr} : ${level.label.fr}` },
            type: 'boolean',
            levels: NO_YES,
          });
        }
        break;
      }
      case 'text': {
        const numeric =
          element.type === 'text' && (element.inputType === 'number' || element.inputType === 'range');
        variables.push({ ...base, name: element.name, type: numeric ? 'numeric' : 'text', levels: [] });
        break;
      }
      case 'boolean':
        variables.push({ ...base, name: element.name, type: 'boolean', levels: NO_YES });
        break;
      case 'ordinal':
        variables.push({ ...base, name: element.name, type: 'ordinal', levels: ratingLevels(element) });
        break;
      case 'matrix': {
        const levels = levelsOf(element.columns);
        for (const row of levelsOf(element.rows)) {
          variables.push({
            ...base,
            name: `${element.name}_${row.value}`,
            row: String(row.value),
            label: row.label,
            type: levels.length >= 3 ? 'ordinal' : 'matrix_row',
            levels,
          });
        }
        break;
      }
      case 'text_list': {
        const items = (element.templateElements ?? []).filter((t) => t.type !== 'html');
        for (const item of items) {
          variables.push({
            ...base,
            name: items.length === 1 ? element.name : `${element.name}_${item.name}`,
            item: String(item.name),
            type: 'text_list',
            levels: [],
          });
        }
        break;
      }
      case 'ranking':
        for (const level of levelsOf(element.choices)) {
          variables.push({
            ...base,
            name: `${element.name}__${level.value}`,
            rankOf: String(level.value),
            label: { en: `${base.label.en}: ${level.label.en}`, fr: `${base.label.fr} : ${level.label.fr}` },
            type: 'numeric',
            levels: [],
          });
        }
        break;
      case 'matrixdropdown':
        variables.push(...matrixDropdownVariables(element, base));
        break;
      case 'expression':
        variables.push({ ...base, name: element.name, type: 'text', levels: [] });
        break;
    }
    if (element.showOtherItem === true || element.showCommentArea === true) {
      const suffix = element.showOtherItem === true ? 'other' : 'comment';
      variables.push({
        ...base,
        name: `${element.name}_${suffix}`,
        question: `${element.name}-Comment`,
        label: {
          en: `${base.label.en}: ${suffix === 'other' ? 'other' : 'comment'}`,
          fr: `${base.label.fr} : ${suffix === 'other' ? 'autre' : 'commentaire'}`,
        },
        type: 'text',
        levels: [],
      });
    }
  }
  return { instrumentHash: instrumentHash(json), variables };
}

type Base = Pick<CodebookVariable, 'question' | 'label' | 'section' | 'visibleIf'>;

/** One variable per cell of a `matrixdropdown`: `<matrix>_<row>_<column>`. */
function matrixDropdownVariables(element: ElementJson, base: Base): CodebookVariable[] {
  const out: CodebookVariable[] = [];
  const columns = Array.isArray(element.columns) ? (element.columns as Record<string, unknown>[]) : [];
  for (const row of levelsOf(element.rows)) {
    for (const column of columns) {
      const name = String(column.name);
      const cellType = String(column.cellType ?? element.cellType ?? 'dropdown');
      const choices = column.choices ?? element.choices;
      const title = localisedText(column.title as LocalisableString | undefined, name);
      const label = { en: `${row.label.en}: ${title.en}`, fr: `${row.label.fr} : ${title.fr}` };
      const v = {
        ...base,
        name: `${element.name}_${row.value}_${name}`,
        path: [String(row.value), name],
        label,
      };
      if (cellType === 'boolean') out.push({ ...v, type: 'boolean', levels: NO_YES });
      else if (cellType === 'checkbox' || cellType === 'tagbox') out.push({ ...v, type: 'text', levels: [] });
      else if (cellType === 'text' || cellType === 'comment' || cellType === 'expression') {
        const numeric = column.inputType === 'number';
        out.push({ ...v, type: numeric ? 'numeric' : 'text', levels: [] });
      } else out.push({ ...v, type: 'single', levels: levelsOf(choices) });
    }
  }
  return out;
}

function joinConditions(conds: string[]): string | null {
  if (conds.length === 0) return null;
  if (conds.length === 1) return conds[0]!;
  return conds.map((c) => `(${c})`).join(' and ');
}

function levelsOf(list: unknown): CodebookLevel[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => {
    if (item !== null && typeof item === 'object') {
      const { value, text } = item as { value?: unknown; text?: LocalisableString };
      const v = typeof value === 'number' ? value : String(value);
      return { value: v, label: localisedText(text, String(value)) };
    }
    const v = typeof item === 'number' ? item : String(item);
    return { value: v, label: { en: String(item), fr: String(item) } };
  });
}

function ratingLevels(element: ElementJson): CodebookLevel[] {
  if (Array.isArray(element.rateValues) && element.rateValues.length > 0) return levelsOf(element.rateValues);
  const min = typeof element.rateMin === 'number' ? element.rateMin : 1;
  const max = typeof element.rateMax === 'number' ? element.rateMax : 5;
  const step = typeof element.rateStep === 'number' && element.rateStep > 0 ? element.rateStep : 1;
  const levels: CodebookLevel[] = [];
  for (let v = min; v <= max; v += step) levels.push({ value: v, label: { en: String(v), fr: String(v) } });
  return levels;
}
