import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { cairnetError } from '../errors.js';
import { deriveCodebook } from '../instrument/derive-codebook.js';
import { flattenAnswers } from '../instrument/flatten-answers.js';
import type { InstrumentJson } from '../instrument/types.js';
import type { Store } from '../store/open-store.js';
import { currentInstrument } from '../store/repositories/instruments.js';
import { iterateResponses } from '../store/repositories/responses.js';
import { neutraliseFormula } from './neutralise-formula.js';

/** The columns that come before the codebook's variables. */
export const RESPONSE_META_COLUMNS = [
  'response_id',
  'synthetic',
  'instrument_version',
  'completed_at',
] as const;

/**
 * Streams every completed response of an instrument as CSV: one row per response, the response
 * id first, then the codebook's variables (codes, not labels). Cells that a spreadsheet would run
 * as formulas are neutralised. Returns the number of rows written.
 */
export async function writeResponsesCsv(
  store: Store,
  instrumentName: string,
  out: Writable,
): Promise<number> {
  const instrument = await currentInstrument(store.db, instrumentName);
  if (!instrument)
    throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${instrumentName}"`);
  const codebook = deriveCodebook(instrument.json as InstrumentJson);
  const columns = [...RESPONSE_META_COLUMNS, ...codebook.variables.map((v) => v.name)];
  const csv = stringify({ header: true, columns });
  csv.pipe(out);
  let n = 0;
  for await (const r of iterateResponses(store.db, instrumentName)) {
    const flat = flattenAnswers(codebook, r.data);
    const row: Record<string, unknown> = {
      response_id: r.id,
      synthetic: r.synthetic ? 1 : 0,
      instrument_version: r.instrumentVersion,
      completed_at: r.completedAt,
    };
    for (const v of codebook.variables) row[v.name] = neutraliseFormula(flat[v.name] ?? null);
    if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
    n++;
  }
  csv.end();
  await new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
    if ((out as { writableFinished?: boolean }).writableFinished) resolve();
  });
  return n;
}
