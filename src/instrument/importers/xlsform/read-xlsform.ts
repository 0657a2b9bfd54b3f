import ExcelJS from 'exceljs';
import { cairnetError } from '../../../errors.js';
import { QUOTA_SHEET } from '../../quota-sheet.js';

/** One sheet of an XLSForm: lower-cased column names and rows keyed by them, with their row numbers. */
export interface XlsformSheet {
  columns: string[];
  rows: { row: number; cells: Record<string, string> }[];
}

export interface XlsformWorkbook {
  survey: XlsformSheet;
  choices: XlsformSheet | null;
  settings: XlsformSheet | null;
  /** Cairnet's own `cairnet_quotas` sheet (src/instrument/quota-sheet.ts), when there is one. */
  quotas?: XlsformSheet | null;
}

/** Largest number of rows read from one sheet. */
export const MAX_SHEET_ROWS = 20_000;

/**
 * Reads the survey, choices and settings sheets of an XLSForm workbook as text, and Cairnet's
 * own `cairnet_quotas` sheet. A buffer that is
 * not a workbook, or a workbook without a `survey` sheet or its `type` and `name` columns, is
 * `CAIRNET_IMPORT_MALFORMED`; a sheet of more than {@link MAX_SHEET_ROWS} rows is
 * `CAIRNET_IMPORT_TOO_LARGE`.
 */
export async function readXlsform(buffer: Buffer): Promise<XlsformWorkbook> {
  checkZipBudget(buffer);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (e) {
    throw cairnetError(
      'CAIRNET_IMPORT_MALFORMED',
      `The file is not a readable XLSX workbook: ${(e as Error).message}`,
    );
  }
  const sheet = (name: string): ExcelJS.Worksheet | undefined =>
    wb.worksheets.find((w) => w.name.trim().toLowerCase() === name);
  const survey = sheet('survey');
  if (!survey) {
    throw cairnetError(
      'CAIRNET_IMPORT_MALFORMED',
      `The XLSForm has no "survey" sheet (sheets: ${wb.worksheets.map((w) => w.name).join(', ') || 'none'})`,
    );
  }
  const result: XlsformWorkbook = {
    survey: readSheet(survey),
    choices: sheet('choices') ? readSheet(sheet('choices')!) : null,
    settings: sheet('settings') ? readSheet(sheet('settings')!) : null,
    quotas: sheet(QUOTA_SHEET) ? readSheet(sheet(QUOTA_SHEET)!) : null,
  };
  for (const column of ['type', 'name']) {
    if (!result.survey.columns.includes(column)) {
      throw cairnetError('CAIRNET_IMPORT_MALFORMED', `The "survey" sheet has no "${column}" column`);
    }
  }
  return result;
}

function readSheet(ws: ExcelJS.Worksheet): XlsformSheet {
  // The used range a spreadsheet reports (often 1,048,576 rows after a formatted column) is not
  // the number of rows: only rows holding a value count.
  let columns: string[] = [];
  const rows: XlsformSheet['rows'] = [];
  let tooMany = false;
  ws.eachRow({ includeEmpty: false }, (row, number) => {
    if (tooMany) return;
    const values = (row.values as unknown[]).slice(1).map(cellText);
    if (columns.length === 0) {
      if (values.every((v) => v.trim() === '')) return;
      // `label::English (en)`, and the older `label:English` pyxform still reads.
      columns = values.map((v) =>
        v
          .trim()
          .toLowerCase()
          .replace(/\s*::\s*/, '::')
          .replace(
            /^(label|hint|constraint_message|required_message|guidance_hint|image|audio|video)\s*:\s*(?!:)/,
            '$1::',
          ),
      );
      return;
    }
    const cells: Record<string, string> = {};
    columns.forEach((c, i) => {
      const v = values[i];
      if (c !== '' && v !== undefined && v.trim() !== '' && !Object.hasOwn(cells, c)) cells[c] = v.trim();
    });
    if (Object.keys(cells).length > 0) {
      rows.push({ row: number, cells });
      if (rows.length > MAX_SHEET_ROWS) tooMany = true;
    }
  });
  if (tooMany) {
    throw cairnetError(
      'CAIRNET_IMPORT_TOO_LARGE',
      `The "${ws.name}" sheet has more than ${MAX_SHEET_ROWS} rows holding values; at most ${MAX_SHEET_ROWS} are read`,
    );
  }
  return { columns, rows };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  // A boolean cell (TRUE/FALSE typed in a spreadsheet) is read as XLSForm's yes/no.
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; formula?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return cellText(o.text);
    if (o.formula !== undefined) return cellText(o.result);
  }
  return '';
}

/** Most bytes the workbook's parts may expand to, and most parts it may hold. */
export const MAX_UNZIPPED_BYTES = 100 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 2000;

/**
 * Reads the sizes a ZIP (an XLSX) declares in its central directory before anything is
 * decompressed, so that a small file that would expand to gigabytes (a zip bomb) is refused
 * with `CAIRNET_IMPORT_TOO_LARGE`. A file without a readable central directory is left to the
 * workbook reader, which reports it as malformed.
 */
function checkZipBudget(buffer: Buffer): void {
  const from = Math.max(0, buffer.length - 65_557);
  const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < from || end + 22 > buffer.length) return;
  const entries = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  if (entries > MAX_ZIP_ENTRIES) {
    throw cairnetError(
      'CAIRNET_IMPORT_TOO_LARGE',
      `The workbook holds ${entries} parts; at most ${MAX_ZIP_ENTRIES}`,
    );
  }
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > buffer.length || buffer.readUInt32LE(offset) !== 0x02014b50) return;
    const size = buffer.readUInt32LE(offset + 24);
    total += size === 0xffffffff ? Number.POSITIVE_INFINITY : size;
    if (total > MAX_UNZIPPED_BYTES) {
      throw cairnetError(
        'CAIRNET_IMPORT_TOO_LARGE',
        `The workbook would expand to more than ${MAX_UNZIPPED_BYTES} bytes; it is refused unread`,
      );
    }
    offset +=
      46 +
      buffer.readUInt16LE(offset + 28) +
      buffer.readUInt16LE(offset + 30) +
      buffer.readUInt16LE(offset + 32);
  }
}
