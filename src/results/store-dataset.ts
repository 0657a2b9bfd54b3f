import type { Kysely } from 'kysely';
import type { Dataset } from '../dataset/dataset.js';
import { DatasetBuilder, type DatasetOptions } from '../dataset/dataset-builder.js';
import type { Codebook } from '../instrument/types.js';
import { iterateResponses } from '../store/repositories/responses.js';
import type { CairnetDatabase } from '../store/schema.js';

/**
 * Builds a dataset from an instrument's completed responses in the store, streamed in batches
 * (a response's answers are dropped once read into the columns).
 *
 * @example
 * const dataset = await storeDataset(store.db, 'cairnet', codebook, { variables: ['relation'] });
 */
export async function storeDataset(
  db: Kysely<CairnetDatabase>,
  instrumentName: string,
  codebook: Codebook,
  options: DatasetOptions = {},
): Promise<Dataset> {
  const builder = new DatasetBuilder(codebook, options);
  for await (const r of iterateResponses(db, instrumentName)) {
    builder.add({ id: r.id, data: r.data, synthetic: r.synthetic });
  }
  return builder.finish();
}
