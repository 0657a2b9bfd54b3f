import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { readSettings } from '../campaign/campaign-settings.js';
import { STRATUM_FIELDS } from '../campaign/population-import.js';
import { peopleForExport, strataForExport } from '../store/repositories/population-export.js';
import type { CairnetDatabase } from '../store/schema.js';
import { CONTENT_TYPES, type ExportFile } from './export-files.js';
import { neutraliseFormula } from './neutralise-formula.js';

export const POPULATION_FORMATS = ['csv', 'xlsx'] as const;
export type PopulationFormat = (typeof POPULATION_FORMATS)[number];

type Cell = string | number | null;

/** The population with identities, as cells ready to write (formula-like text neutralised). */
export interface PopulationExport {
  anonymous: boolean;
  header: string[];
  rows: Cell[][];
  exportedAt: string;
}

/** Where a person stands, most advanced first. */
function statusOf(p: {
  invited_at: string | null;
  opened_at: string | null;
  started_at: string | null;
  completed: number;
  opted_out_at: string | null;
  undeliverable_at: string | null;
}): string {
  if (Number(p.completed) === 1) return 'completed';
  if (p.undeliverable_at) return 'undeliverable';
  if (p.opted_out_at) return 'opted_out';
  if (p.started_at) return 'started';
  if (p.opened_at) return 'opened';
  if (p.invited_at) return 'invited';
  return 'not_invited';
}

const flag = (v: unknown) => (v === null || v === undefined || v === 0 ? 0 : 1);

/**
 * A survey's population with their identities (address, name, language, strata) and where each
 * stands in the campaign: one row per person not erased, ordered by address.
 *
 * It never links a person to their answers: no pseudonym (the response's `invitation_id`) and no
 * response id, in any mode. In anonymous mode it also leaves out the times a person opened their
 * link, started and completed (a time could be matched against the responses' own times): only
 * the flags `opened`, `started`, `completed` remain, as in the store.
 *
 * Columns: `email`, `name`, `language`, the strata present (known ones first), `status`
 * (`not_invited`, `invited`, `opened`, `started`, `opted_out`, `undeliverable`, `completed`),
 * `invited_at`, `opened`, `started`, `completed`, [`opened_at`, `started_at`, `completed_at`
 * when not anonymous], `opted_out_at`, `undeliverable_at`, `undeliverable_reason`.
 */
export async function readPopulationExport(
  db: Kysely<CairnetDatabase>,
  survey: string,
): Promise<PopulationExport> {
  const { anonymous } = await readSettings(db, survey);
  const people = await peopleForExport(db, survey);
  const strata = await strataForExport(db, survey);
  const byPerson = new Map<string, Map<string, string>>();
  const fields = new Set<string>();
  for (const s of strata) {
    fields.add(s.field);
    const m = byPerson.get(s.person_id) ?? new Map<string, string>();
    m.set(s.field, s.value);
    byPerson.set(s.person_id, m);
  }
  const known = STRATUM_FIELDS.filter((f) => fields.has(f));
  const others = [...fields].filter((f) => !(STRATUM_FIELDS as readonly string[]).includes(f)).sort();
  const strataColumns = [...known, ...others];

  const header = [
    'email',
    'name',
    'language',
    ...strataColumns,
    'status',
    'invited_at',
    'opened',
    'started',
    'completed',
    ...(anonymous ? [] : ['opened_at', 'started_at', 'completed_at']),
    'opted_out_at',
    'undeliverable_at',
    'undeliverable_reason',
  ];
  const rows = people.map((p) => {
    const s = byPerson.get(p.id);
    const cells: Cell[] = [
      p.email,
      p.name,
      p.language,
      ...strataColumns.map((f) => s?.get(f) ?? null),
      statusOf(p),
      p.invited_at,
      flag(p.opened_at),
      flag(p.started_at),
      Number(p.completed) === 1 ? 1 : 0,
      ...(anonymous ? [] : [p.opened_at, p.started_at, p.completed_at]),
      p.opted_out_at,
      p.undeliverable_at,
      p.undeliverable_reason,
    ];
    return cells.map(neutraliseFormula);
  });
  return {
    anonymous,
    header: header.map((h) => String(neutraliseFormula(h))),
    rows,
    exportedAt: new Date().toISOString(),
  };
}

/**
 * The population export as a CSV file, or an XLSX workbook (sheet `population`, and `notes`
 * saying when it was exported and whether the campaign is anonymous).
 */
export async function populationFile(pop: PopulationExport, format: PopulationFormat): Promise<ExportFile> {
  if (format === 'csv') {
    return {
      content: stringify([pop.header, ...pop.rows]),
      contentType: CONTENT_TYPES.csv,
      extension: 'csv',
    };
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Cairnet';
  wb.title = 'population';
  wb.created = new Date(pop.exportedAt);
  const sheet = wb.addWorksheet('population', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(pop.header);
  sheet.getRow(1).font = { bold: true };
  for (const row of pop.rows) sheet.addRow(row);
  const notes = wb.addWorksheet('notes');
  notes.addRows([
    [
      'personal data',
      'Names and addresses of the surveyed population: keep and share as your data protection rules say.',
    ],
    ['people', pop.rows.length],
    [
      'anonymous',
      pop.anonymous ? 'yes: no link to the answers, and no opening, start or completion times' : 'no',
    ],
    ['exported_at', pop.exportedAt],
  ]);
  notes.getColumn(1).font = { bold: true };
  return {
    content: Buffer.from(await wb.xlsx.writeBuffer()),
    contentType: CONTENT_TYPES.xlsx,
    extension: 'xlsx',
  };
}
