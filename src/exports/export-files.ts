import { cairnetError } from '../errors.js';
import { deriveCodebook } from '../instrument/derive-codebook.js';
import type { InstrumentJson } from '../instrument/types.js';
import type { Store } from '../store/open-store.js';
import { currentInstrument } from '../store/repositories/instruments.js';
import { codebookJson, codebookMarkdown } from './codebook-document.js';
import { exportCsv } from './export-csv.js';
import type { ExportTable } from './export-table.js';
import { exportXlsx } from './export-xlsx.js';
import { exportSav } from './sav/export-sav.js';
import type { ExportLanguage } from './value-labels.js';

/** A file an export produces: its bytes, its media type and its usual extension. */
export interface ExportFile {
  content: string | Buffer;
  contentType: string;
  extension: string;
}

export const RESPONSE_FORMATS = ['csv', 'xlsx', 'sav'] as const;
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number];
export const CODEBOOK_FORMATS = ['md', 'json'] as const;
export type CodebookFormat = (typeof CODEBOOK_FORMATS)[number];

export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  sav: 'application/x-spss-sav',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
} as const;

/**
 * Checks a requested format against the formats of one kind of export; anything else is
 * `CAIRNET_EXPORT_FORMAT_UNKNOWN` (400, exit 2), before anything is read or written.
 */
export function checkFormat<F extends string>(format: string, allowed: readonly F[], flag = 'format'): F {
  if (!(allowed as readonly string[]).includes(format)) {
    throw cairnetError(
      'CAIRNET_EXPORT_FORMAT_UNKNOWN',
      `${flag} ${JSON.stringify(format).slice(0, 40)}: use ${allowed.join(', ')}`,
    );
  }
  return format as F;
}

/** Checks a label language (`fr` or `en`). */
export function checkLanguage(lang: string, flag = 'lang'): ExportLanguage {
  if (lang !== 'fr' && lang !== 'en') {
    throw cairnetError('CAIRNET_USAGE', `${flag} ${JSON.stringify(lang).slice(0, 40)}: use fr or en`);
  }
  return lang;
}

/**
 * The responses as a CSV, XLSX or SPSS file: what `cairnet export` writes and
 * `GET /api/admin/export` sends. `warnings` are for the person exporting (the `.sav` format's
 * limits, an ignored `labels`).
 */
export async function responsesFile(
  table: ExportTable,
  options: { format: ResponseFormat; labels?: boolean; lang?: ExportLanguage },
): Promise<{ file: ExportFile; warnings: string[] }> {
  const labels = options.labels === true;
  const lang = options.lang ?? 'fr';
  const warnings: string[] = [];
  let content: string | Buffer;
  if (options.format === 'csv') content = exportCsv(table, { labels, lang });
  else if (options.format === 'xlsx') content = await exportXlsx(table, { labels, lang });
  else {
    const sav = exportSav(table, { lang });
    content = sav.buffer;
    warnings.push(...sav.warnings);
    if (labels) warnings.push('labels are ignored for sav: codes carry value labels.');
  }
  const format = options.format;
  return { file: { content, contentType: CONTENT_TYPES[format], extension: format }, warnings };
}

/**
 * The current codebook of an instrument as Markdown or JSON, and how many variables it holds.
 *
 * @example const { file } = await codebookFile(store, 'cairnet', { format: 'json' });
 */
export async function codebookFile(
  store: Store,
  instrumentName: string,
  options: { format: CodebookFormat; lang?: ExportLanguage },
): Promise<{ file: ExportFile; variables: number; version: number }> {
  const stored = await currentInstrument(store.db, instrumentName);
  if (!stored) throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${instrumentName}"`);
  const json = stored.json as InstrumentJson;
  const codebook = deriveCodebook(json);
  const source = { name: stored.name, version: stored.version, hash: stored.hash, title: titleOf(json) };
  const content =
    options.format === 'json'
      ? codebookJson(source, codebook)
      : codebookMarkdown(source, codebook, options.lang ?? 'fr');
  return {
    file: { content, contentType: CONTENT_TYPES[options.format], extension: options.format },
    variables: codebook.variables.length,
    version: stored.version,
  };
}

/** `NAME-KIND-YYYY-MM-DD.EXT`, the download name of an export (NAME is a checked identifier). */
export function exportFileName(name: string, kind: string, extension: string, at = new Date()): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${safe(name)}-${safe(kind)}-${at.toISOString().slice(0, 10)}.${extension}`;
}

function titleOf(json: InstrumentJson): string {
  const t = json.title;
  if (typeof t === 'string') return t;
  const v = t?.en ?? t?.default ?? t?.fr;
  return typeof v === 'string' ? v : '';
}
