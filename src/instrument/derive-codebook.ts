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
        const items = (element.templateElements ?? []).filter(
          (t) => t.type === 'text' || t.type === 'comment',
        );
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
    }
  }
  return { instrumentHash: instrumentHash(json), variables };
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
