import { stringify } from 'csv-stringify/sync';
import type { ExportTable } from './export-table.js';
import { META_COLUMNS } from './export-table.js';
import { neutraliseFormula } from './neutralise-formula.js';
import { type ExportLanguage, labelOf } from './value-labels.js';

export interface ExportOptions {
  /** Write value labels instead of codes. */
  labels?: boolean;
  /** The language of labels (default French, the questionnaire's first language). */
  lang?: ExportLanguage;
}

/** The header and rows of an export, as cells (codes or labels), formula-like text neutralised. */
export function exportCells(
  table: ExportTable,
  options: ExportOptions = {},
): { header: string[]; rows: (string | number | null)[][] } {
  const lang = options.lang ?? 'fr';
  const variables = table.codebook.variables;
  const header = [...META_COLUMNS, ...variables.map((v) => v.name)];
  const rows = table.rows.map((r) => [
    r.responseId,
    r.synthetic ? 1 : 0,
    r.instrumentVersion,
    r.completedAt,
    ...variables.map((v) => {
      const code = r.values[v.name] ?? null;
      return neutraliseFormula(options.labels ? labelOf(v, code, lang) : code);
    }),
  ]);
  return { header, rows };
}

/**
 * The responses as CSV: `response_id`, `synthetic` (1 for the demonstration panel),
 * `instrument_version`, `completed_at`, then one column per codebook variable holding codes, or
 * with `labels` the value labels in `lang`. An unanswered question is an empty cell.
 *
 * @example writeFileSync('out.csv', exportCsv(table, { labels: true, lang: 'en' }));
 */
export function exportCsv(table: ExportTable, options: ExportOptions = {}): string {
  const { header, rows } = exportCells(table, options);
  return stringify([header, ...rows]);
}
