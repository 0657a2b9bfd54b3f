import { cairnetError } from '../../../errors.js';
import type { LocalisableString } from '../../types.js';
import type { ImportProblems } from '../import-problems.js';
import type { XlsformSheet } from './read-xlsform.js';

/** One choice of a list, with the other columns of its row (read by `choice_filter`). */
export interface XlsformChoice {
  value: string;
  text?: LocalisableString;
  columns: Record<string, string>;
}

type LabelFn = (cells: Record<string, string>, base: string, where: string) => LocalisableString | undefined;

/**
 * Reads the choices sheet: lists by name, choices in order. A choice whose name repeats one of
 * its list is dropped and reported (pyxform accepts it with `allow_choice_duplicates`; a
 * SurveyJS value cannot repeat). A choice name holding markup or control characters is
 * `CAIRNET_IMPORT_INVALID`.
 */
export function readChoices(
  sheet: XlsformSheet | null,
  label: LabelFn,
  problems: ImportProblems,
): Map<string, XlsformChoice[]> {
  const lists = new Map<string, XlsformChoice[]>();
  if (!sheet) return lists;
  const listColumn = sheet.columns.includes('list_name') ? 'list_name' : 'list name';
  for (const { row, cells } of sheet.rows) {
    const list = cells[listColumn];
    const value = cells.name ?? cells.value;
    if (!list || value === undefined) {
      problems.lose(`choices!${row}`, 'name', 'a choice without a list_name or a name is dropped');
      continue;
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
      problems.lose(
        `list ${list}`,
        'name',
        `choices!${row}: "${value}" appears twice in the list; the second one is dropped`,
      );
      continue;
    }
    const text = label(cells, 'label', `choices!${row} ${list}/${value}`);
    choices.push(text === undefined ? { value, columns: cells } : { value, text, columns: cells });
    lists.set(list, choices);
  }
  return lists;
}
