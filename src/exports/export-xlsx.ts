import ExcelJS from 'exceljs';
import type { ExportOptions } from './export-csv.js';
import { exportCells } from './export-csv.js';
import type { ExportTable } from './export-table.js';
import { syntheticNote } from './export-table.js';
import { neutraliseFormula } from './neutralise-formula.js';

/** The sheets of an XLSX export, in order. */
export const XLSX_SHEETS = ['data', 'codebook', 'value labels', 'notes'] as const;

/**
 * The responses as an XLSX workbook: `data` (one row per response, as in the CSV export, codes
 * or labels), `codebook` (one row per variable), `value labels` (one row per code) and `notes`
 * (instrument, version, export time and whether the data are synthetic; the same sentence is the
 * workbook's subject). Every text cell that a spreadsheet would run as a formula is neutralised.
 *
 * @example writeFileSync('out.xlsx', await exportXlsx(table));
 */
export async function exportXlsx(table: ExportTable, options: ExportOptions = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const note = syntheticNote(table);
  wb.creator = 'Cairnet';
  wb.title = safe(`${table.instrument.name} v${table.instrument.version}`);
  wb.subject = safe(note);
  wb.created = new Date(table.exportedAt);

  const { header, rows } = exportCells(table, options);
  const data = wb.addWorksheet('data', { views: [{ state: 'frozen', ySplit: 1 }] });
  if (table.syntheticCount > 0) data.properties.tabColor = { argb: 'FFC00000' };
  data.addRow(header);
  data.getRow(1).font = { bold: true };
  for (const row of rows) data.addRow(row);

  const codebook = wb.addWorksheet('codebook', { views: [{ state: 'frozen', ySplit: 1 }] });
  codebook.addRow(['name', 'question', 'type', 'label_fr', 'label_en', 'section', 'visible_if', 'levels']);
  codebook.getRow(1).font = { bold: true };
  for (const v of table.codebook.variables) {
    codebook.addRow(
      [v.name, v.question, v.type, v.label.fr, v.label.en, v.section, v.visibleIf ?? '', v.levels.length].map(
        cell,
      ),
    );
  }

  const labels = wb.addWorksheet('value labels', { views: [{ state: 'frozen', ySplit: 1 }] });
  labels.addRow(['variable', 'value', 'label_fr', 'label_en']);
  labels.getRow(1).font = { bold: true };
  for (const v of table.codebook.variables) {
    for (const l of v.levels) labels.addRow([v.name, l.value, l.label.fr, l.label.en].map(cell));
  }

  const notes = wb.addWorksheet('notes');
  notes.addRows(
    [
      ['synthetic', note],
      ['instrument', table.instrument.name],
      ['title', table.instrument.title],
      ['version', table.instrument.version],
      ['instrument_hash', table.instrument.hash],
      ['responses', table.rows.length],
      ['synthetic_responses', table.syntheticCount],
      ['values', options.labels ? `labels (${options.lang ?? 'fr'})` : 'codes'],
      ['exported_at', table.exportedAt],
    ].map((r) => r.map(cell)),
  );
  notes.getColumn(1).font = { bold: true };
  if (table.syntheticCount > 0) notes.getCell('B1').font = { bold: true, color: { argb: 'FFC00000' } };

  return Buffer.from(await wb.xlsx.writeBuffer());
}

function cell(v: string | number | null): string | number | null {
  return neutraliseFormula(v);
}

function safe(s: string): string {
  return String(neutraliseFormula(s));
}
