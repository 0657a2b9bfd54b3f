import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cairnetError } from '../errors.js';
import { checkInstrument } from './check-instrument.js';
import { deriveCodebook } from './derive-codebook.js';
import { instrumentHash } from './instrument-hash.js';
import type { Codebook, InstrumentJson } from './types.js';

/** A checked questionnaire with its version hash and codebook. */
export interface Instrument {
  json: InstrumentJson;
  /** sha256 of the canonical JSON: what a stored response records as the version it answered. */
  hash: string;
  codebook: Codebook;
}

/** Where the bundled Cairnet questionnaire lives. */
export const CAIRNET_SURVEY_PATH = fileURLToPath(
  new URL('../../instruments/cairnet/survey.json', import.meta.url),
);

/**
 * Loads a questionnaire from a file path or an already parsed object, checks it
 * (`CAIRNET_INSTRUMENT_INVALID` with every problem listed) and derives its codebook.
 * An unreadable file is `CAIRNET_FILE_UNREADABLE`.
 *
 * @example const { json, hash, codebook } = loadInstrument(CAIRNET_SURVEY_PATH);
 */
export function loadInstrument(source: string | object): Instrument {
  const parsed = typeof source === 'string' ? readJsonFile(source) : structuredClone(source);
  checkInstrument(parsed);
  return { json: parsed, hash: instrumentHash(parsed), codebook: deriveCodebook(parsed) };
}

/** The bundled Cairnet questionnaire, loaded and checked. */
export function loadCairnetInstrument(): Instrument {
  return loadInstrument(CAIRNET_SURVEY_PATH);
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw cairnetError(
      'CAIRNET_FILE_UNREADABLE',
      `Cannot read the questionnaire file ${path}: ${(e as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw cairnetError('CAIRNET_INSTRUMENT_INVALID', `${path} is not valid JSON: ${(e as Error).message}`, [
      { path: '', message: `Not valid JSON: ${(e as Error).message}` },
    ]);
  }
}
