import { cairnetError } from '../errors.js';
import { deriveCodebook } from '../instrument/derive-codebook.js';
import { type FlatValue, flattenAnswers } from '../instrument/flatten-answers.js';
import type { Codebook, InstrumentJson } from '../instrument/types.js';
import type { Store } from '../store/open-store.js';
import { currentInstrument } from '../store/repositories/instruments.js';
import { iterateResponses } from '../store/repositories/responses.js';
import { RESPONSE_META_COLUMNS } from './responses-csv.js';

/** One exported response: the meta columns, the flat answers, and the raw answers (for skip logic). */
export interface ExportRow {
  responseId: string;
  synthetic: boolean;
  instrumentVersion: number;
  completedAt: string;
  values: Record<string, FlatValue>;
  answers: Record<string, unknown>;
}

/** Everything an export needs: the instrument, its codebook and the completed responses. */
export interface ExportTable {
  instrument: { name: string; version: number; hash: string; title: string };
  codebook: Codebook;
  rows: ExportRow[];
  /** How many rows come from the synthetic demonstration panel. */
  syntheticCount: number;
  exportedAt: string;
}

export const META_COLUMNS = RESPONSE_META_COLUMNS;

/**
 * Reads an instrument's current version, its codebook and every completed response, flattened to
 * codebook variables (codes, not labels), in the store's stable order.
 *
 * @example const table = await readExportTable(store, 'cairnet');
 */
export async function readExportTable(store: Store, instrumentName: string): Promise<ExportTable> {
  const instrument = await currentInstrument(store.db, instrumentName);
  if (!instrument)
    throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${instrumentName}"`);
  const json = instrument.json as InstrumentJson;
  const codebook = deriveCodebook(json);
  const rows: ExportRow[] = [];
  let syntheticCount = 0;
  for await (const r of iterateResponses(store.db, instrumentName)) {
    if (r.synthetic) syntheticCount++;
    rows.push({
      responseId: r.id,
      synthetic: r.synthetic,
      instrumentVersion: r.instrumentVersion,
      completedAt: r.completedAt,
      values: flattenAnswers(codebook, r.data),
      answers: r.data,
    });
  }
  return {
    instrument: {
      name: instrumentName,
      version: instrument.version,
      hash: instrument.hash,
      title: titleOf(json),
    },
    codebook,
    rows,
    syntheticCount,
    exportedAt: new Date().toISOString(),
  };
}

/** A sentence saying whether the data are synthetic, for file labels, notes and documents. */
export function syntheticNote(table: Pick<ExportTable, 'rows' | 'syntheticCount'>): string {
  const n = table.rows.length;
  if (table.syntheticCount === 0) return `${n} responses; none synthetic.`;
  if (table.syntheticCount === n)
    return `SYNTHETIC DATA: all ${n} responses are the demonstration panel, not real respondents.`;
  return `PARTLY SYNTHETIC: ${table.syntheticCount} of ${n} responses are the demonstration panel (column synthetic = 1).`;
}

function titleOf(json: InstrumentJson): string {
  const t = json.title;
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object') {
    const v = t.en ?? t.default ?? t.fr;
    if (typeof v === 'string') return v;
  }
  return '';
}
