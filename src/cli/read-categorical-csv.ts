import { parse } from 'csv-parse/sync';
import { cairnetError } from '../errors.js';

/** A CSV file read as text columns; empty cells and `NA` (R's missing value) become `null`. */
export interface CategoricalCsv {
  readonly header: readonly string[];
  readonly rowCount: number;
  /** The values of a column; throws CAIRNET_COLUMN_UNKNOWN when the file has no such column. */
  column(name: string): (string | null)[];
}

/**
 * Reads a CSV (first line = column names) for categorical analysis.
 *
 * @example
 * readCategoricalCsv('a,b\nx,\n').column('b') // [null]
 */
export function readCategoricalCsv(text: string): CategoricalCsv {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true });
  } catch (e) {
    throw cairnetError('CAIRNET_CSV_INVALID', `The CSV cannot be read: ${(e as Error).message}`);
  }
  const header = records[0];
  if (!header || header.length === 0) throw cairnetError('CAIRNET_CSV_INVALID', 'The CSV file is empty.');
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw cairnetError('CAIRNET_CSV_INVALID', `The CSV has two columns named "${h}".`);
    seen.add(h);
  }
  const body = records.slice(1);
  return {
    header,
    rowCount: body.length,
    column(name: string) {
      const k = header.indexOf(name);
      if (k < 0) {
        throw cairnetError(
          'CAIRNET_COLUMN_UNKNOWN',
          `No column "${name}" in the CSV (columns: ${header.join(', ')}).`,
        );
      }
      return body.map((r) => {
        const v = r[k];
        return v === undefined || v === '' || v === 'NA' ? null : v;
      });
    },
  };
}
