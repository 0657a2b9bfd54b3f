import type { Kysely } from 'kysely';
import type { Dataset } from '../dataset/dataset.js';
import { storeDataset } from '../dataset/store-dataset.js';
import { cairnetError } from '../errors.js';
import { deriveCodebook } from '../instrument/derive-codebook.js';
import { loadCairnetInstrument } from '../instrument/load-instrument.js';
import type { Codebook, InstrumentJson } from '../instrument/types.js';
import { currentInstrument } from '../store/repositories/instruments.js';
import { countResponses } from '../store/repositories/responses.js';
import type { CairnetDatabase } from '../store/schema.js';
import { checkPlan } from './check-plan.js';
import { planVariables } from './evaluate-plan.js';
import type { ParsedPlan } from './parse-plan.js';

/** A plan ready to evaluate on a store: its codebook and the dataset of the variables it uses. */
export interface StorePlan {
  codebook: Codebook;
  dataset: Dataset;
}

/**
 * Prepares a parsed plan on a store's completed responses: the instrument's codebook (the stored
 * version, or the bundled Cairnet one), the plan checked against it before any response is read,
 * then the columns the plan uses. An empty store is `CAIRNET_DATASET_EMPTY`. Used by
 * `cairnet analyze` and by every output that publishes results.
 */
export async function prepareStorePlan(db: Kysely<CairnetDatabase>, parsed: ParsedPlan): Promise<StorePlan> {
  const instrumentName = parsed.plan.instrument;
  const stored = await currentInstrument(db, instrumentName);
  let codebook: Codebook;
  if (stored) codebook = deriveCodebook(stored.json as InstrumentJson);
  else if (instrumentName === 'cairnet') codebook = loadCairnetInstrument().codebook;
  else
    throw cairnetError(
      'CAIRNET_INSTRUMENT_NOT_FOUND',
      `The store has no instrument named "${instrumentName}"`,
    );
  checkPlan(parsed, codebook);
  if ((await countResponses(db, instrumentName)) === 0) {
    throw cairnetError(
      'CAIRNET_DATASET_EMPTY',
      `The store has no completed responses to "${instrumentName}" (write the demonstration panel with \`cairnet demo\`)`,
    );
  }
  const dataset = await storeDataset(db, instrumentName, codebook, {
    variables: planVariables(parsed, codebook),
  });
  return { codebook, dataset };
}
