/**
 * The `cairnet_quotas` sheet: how an XLSForm workbook carries an instrument's quotas (XLSForm
 * itself has none; pyxform and the other XLSForm tools skip a sheet whose name they do not know).
 * `cairnet instrument export --format xlsform` writes it and `cairnet instrument import` reads it
 * back, so that quotas survive the round trip; an author may also write it by hand.
 *
 * One row per member of a quota:
 *
 * | column | holds |
 * |---|---|
 * | `quota` | the quota's name (every row of the quota repeats it) |
 * | `limit` | how many completed responses may enter it (a whole number ≥ 0) |
 * | `action` | `end` (end the questionnaire, the default) or `change` (let the respondent change an answer) |
 * | `question` | the name of a question (a top-level one: not in a repeat or a loop) |
 * | `values` | the answers of that question that count, separated by spaces; a value holding a space or a `"` is written in double quotes, a `"` inside doubled |
 * | `message`, `message::French (fr)`… | what a respondent entering the full quota reads, per language |
 *
 * `limit`, `action` and the messages may be written on one row of the quota only (the export
 * writes them on its first row) or repeated alike on each.
 */
export const QUOTA_SHEET = 'cairnet_quotas';

/** The columns of the sheet, in the order the export writes them (then the message columns). */
export const QUOTA_COLUMNS = ['quota', 'limit', 'action', 'question', 'values'] as const;

/** A quota's values as one cell: separated by spaces, quoted when a value needs it. */
export function joinQuotaValues(values: string[]): string {
  return values.map((v) => (v === '' || /[\s"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(' ');
}

/**
 * The values of a `values` cell: words separated by spaces, a quoted value taken whole (`""`
 * inside it is one `"`). A quote left open, or a quote inside an unquoted word, is an error
 * (returned as text).
 */
export function splitQuotaValues(cell: string): string[] | { error: string } {
  const values: string[] = [];
  let i = 0;
  while (i < cell.length) {
    if (/\s/.test(cell[i]!)) {
      i++;
      continue;
    }
    if (cell[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= cell.length) return { error: `a quote opened at character ${i + 1} is never closed` };
        if (cell[j] === '"') {
          if (cell[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          break;
        }
        value += cell[j];
        j++;
      }
      if (j + 1 < cell.length && !/\s/.test(cell[j + 1]!))
        return { error: `a quoted value is followed by "${cell[j + 1]}" without a space` };
      values.push(value);
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < cell.length && !/\s/.test(cell[j]!)) j++;
    const word = cell.slice(i, j);
    if (word.includes('"'))
      return { error: `"${word.slice(0, 40)}" holds a quote: quote the whole value ("a ""b""")` };
    values.push(word);
    i = j;
  }
  return values;
}
