import { loadCairnetInstrument } from '../instrument/load-instrument.js';
import type { Store } from '../store/open-store.js';
import { type StoredInstrument, saveInstrument } from '../store/repositories/instruments.js';

/**
 * Makes sure the bundled Cairnet questionnaire is stored: a new version when its content
 * changed since the last start, nothing otherwise.
 */
export async function ensureCairnetInstrument(
  store: Store,
): Promise<{ instrument: StoredInstrument; created: boolean }> {
  const { json } = loadCairnetInstrument();
  return saveInstrument(store.db, 'cairnet', json as Record<string, unknown>);
}
