import type { FlatValue } from '../instrument/flatten-answers.js';
import { LIST_SEPARATOR } from '../instrument/flatten-answers.js';
import type { CodebookVariable } from '../instrument/types.js';

export type ExportLanguage = 'fr' | 'en';

/**
 * The label of a code in one language: a level's label, or for a `multiple` variable the labels
 * of its joined codes, joined the same way. Values without a level (free text, numbers) are
 * returned as they are.
 *
 * @example labelOf(genderVariable, 'woman', 'fr') // 'Une femme'
 */
export function labelOf(variable: CodebookVariable, value: FlatValue, lang: ExportLanguage): FlatValue {
  if (value === null || variable.levels.length === 0) return value;
  const byCode = new Map(variable.levels.map((l) => [String(l.value), l.label[lang]]));
  if (variable.type === 'multiple' && typeof value === 'string') {
    return value
      .split(LIST_SEPARATOR)
      .map((code) => byCode.get(code) ?? code)
      .join(LIST_SEPARATOR);
  }
  return byCode.get(String(value)) ?? value;
}
