import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { cairnetError } from '../errors.js';

/** A CSV file read as named columns of strings ('' and 'NA' become '' = missing). */
export interface CsvTable {
  names: string[];
  rows: number;
  columns: Map<string, string[]>;
}

/** Reads a CSV with a header line; unreadable or ragged files get a clear error. */
export function readCsvTable(path: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw cairnetError('CAIRNET_FILE_UNREADABLE', `Cannot read ${path}: ${(e as Error).message}`);
  }
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    throw cairnetError('CAIRNET_CSV_INVALID', `${path} is not a valid CSV file: ${(e as Error).message}`);
  }
  const header = records[0];
  if (!header || header.length === 0) throw cairnetError('CAIRNET_CSV_INVALID', `${path} has no header line`);
  if (new Set(header).size !== header.length) {
    throw cairnetError('CAIRNET_CSV_INVALID', `${path} has duplicate column names`);
  }
  const columns = new Map<string, string[]>(header.map((h) => [h, []]));
  records.slice(1).forEach((record, i) => {
    if (record.length !== header.length) {
      throw cairnetError(
        'CAIRNET_CSV_INVALID',
        `${path} line ${i + 2} has ${record.length} fields, the header has ${header.length}`,
      );
    }
    header.forEach((h, k) => {
      const v = record[k]!;
      columns.get(h)!.push(v === 'NA' ? '' : v);
    });
  });
  return { names: header, rows: records.length - 1, columns };
}

/** A named column, or CAIRNET_COLUMN_UNKNOWN naming the columns there are. */
export function column(table: CsvTable, name: string): string[] {
  const col = table.columns.get(name);
  if (!col) {
    throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `No column "${name}" (columns: ${table.names.join(', ')})`);
  }
  return col;
}

/** A numeric column: '' is missing (NaN); anything else that is not a number is an error. */
export function numericColumn(table: CsvTable, name: string): number[] {
  return column(table, name).map((v, i) => {
    if (v === '') return Number.NaN;
    const x = Number(v);
    if (!Number.isFinite(x)) {
      throw cairnetError(
        'CAIRNET_STATS_INVALID',
        `Column "${name}" has a non-numeric value "${v}" on line ${i + 2}`,
      );
    }
    return x;
  });
}
