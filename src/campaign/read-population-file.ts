import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { cairnetError } from '../errors.js';

/** A population file as a table of text: its header and its rows (row numbers as in the file). */
export interface PopulationTable {
  header: string[];
  rows: { line: number; cells: string[] }[];
}

/** Reads a CSV (`,` or `;`, UTF-8, optional BOM) or an XLSX file (first worksheet, header in row 1). */
export async function readPopulationFile(path: string): Promise<PopulationTable> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    throw cairnetError('CAIRNET_FILE_UNREADABLE', `Cannot read ${path}: ${(e as Error).message}`);
  }
  return readPopulationBuffer(buf, path);
}

/** {@link readPopulationFile} for bytes already read (an upload); `path` names the file in messages. */
export async function readPopulationBuffer(buf: Buffer, path: string): Promise<PopulationTable> {
  const ext = extname(path).toLowerCase();
  const table = ext === '.xlsx' ? await readXlsx(buf, path) : readCsv(buf, path);
  if (table.header.length === 0 || table.header.every((h) => h === '')) {
    throw cairnetError('CAIRNET_POPULATION_FILE_INVALID', `${path} has no header row`);
  }
  if (table.rows.length === 0) {
    throw cairnetError('CAIRNET_POPULATION_FILE_INVALID', `${path} has a header but no rows`);
  }
  return table;
}

function readCsv(buf: Buffer, path: string): PopulationTable {
  const text = buf.toString('utf8');
  if (text.includes('\u0000')) {
    throw cairnetError(
      'CAIRNET_POPULATION_FILE_INVALID',
      `${path} is not a text file (give a .csv or .xlsx)`,
    );
  }
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = count(firstLine, ';') > count(firstLine, ',') ? ';' : ',';
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      relax_column_count: false,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch (e) {
    throw cairnetError(
      'CAIRNET_POPULATION_FILE_INVALID',
      `${path} is not a valid CSV file: ${(e as Error).message}`,
    );
  }
  const [header, ...rest] = records;
  return {
    header: (header ?? []).map((h) => h.trim()),
    rows: rest.map((cells, i) => ({ line: i + 2, cells })),
  };
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

async function readXlsx(buf: Buffer, path: string): Promise<PopulationTable> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (e) {
    throw cairnetError(
      'CAIRNET_POPULATION_FILE_INVALID',
      `${path} is not a valid XLSX file: ${(e as Error).message}`,
    );
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw cairnetError('CAIRNET_POPULATION_FILE_INVALID', `${path} has no worksheet`);
  const width = sheet.columnCount;
  const header: string[] = [];
  const rows: { line: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
    if (n === 1) header.push(...cells);
    else if (cells.some((v) => v !== '')) rows.push({ line: n, cells });
  });
  return { header, rows };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('text' in v && typeof v.text === 'string') return v.text.trim();
    if ('richText' in v)
      return v.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  }
  return String(v).trim();
}
