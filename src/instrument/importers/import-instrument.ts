import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { cairnetError, isCairnetError } from '../../errors.js';
import { type Instrument, loadInstrument } from '../load-instrument.js';
import type { InstrumentJson } from '../types.js';
import { walkElements } from '../walk-elements.js';
import type { ImportedInstrument, ImportNote } from './import-report.js';
import { lssToInstrument } from './limesurvey/lss-to-instrument.js';
import { readLss } from './limesurvey/read-lss.js';
import { sanitiseSurveyJs } from './sanitise-surveyjs.js';
import { readXlsform } from './xlsform/read-xlsform.js';
import { xlsformToInstrument } from './xlsform/xlsform-to-instrument.js';

/** Largest file an import reads. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export type ImportFormat = 'xlsform' | 'limesurvey' | 'surveyjs';

/** An import that passed every check, ready to store. */
export interface CheckedImport extends ImportedInstrument {
  instrument: Instrument;
}

/** How an import treats what it cannot carry. */
export interface ImportOptions {
  /**
   * Refuse the file (`CAIRNET_IMPORT_NOT_CARRIED`, every loss in `details`) instead of dropping
   * or simplifying what cannot be carried.
   */
  strict?: boolean;
}

/**
 * Imports a questionnaire file (XLSForm `.xlsx`, LimeSurvey `.lss` or SurveyJS `.json`, told
 * apart by content, then extension): converts it, makes every displayed string plain text,
 * checks the result with `loadInstrument` and returns it with a report of what was not carried.
 * Throws a `CairnetError` (nothing is stored by anyone) when the file cannot become an
 * instrument.
 *
 * @example const { instrument, report } = await importInstrumentFile('form.xlsx');
 */
export async function importInstrumentFile(
  path: string,
  options: ImportOptions = {},
): Promise<CheckedImport> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw cairnetError('CAIRNET_FILE_UNREADABLE', `Cannot read ${path}: ${(e as Error).message}`);
  }
  if (size > MAX_IMPORT_BYTES) {
    throw cairnetError(
      'CAIRNET_IMPORT_TOO_LARGE',
      `${basename(path)} is ${size} bytes; at most ${MAX_IMPORT_BYTES} are imported`,
    );
  }
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (e) {
    throw cairnetError('CAIRNET_FILE_UNREADABLE', `Cannot read ${path}: ${(e as Error).message}`);
  }
  return importInstrumentBuffer(buffer, basename(path), options);
}

/** {@link importInstrumentFile} for bytes already read (an upload). */
export async function importInstrumentBuffer(
  buffer: Buffer,
  fileName: string,
  options: ImportOptions = {},
): Promise<CheckedImport> {
  if (buffer.length > MAX_IMPORT_BYTES) {
    throw cairnetError(
      'CAIRNET_IMPORT_TOO_LARGE',
      `${fileName} is ${buffer.length} bytes; at most ${MAX_IMPORT_BYTES} are imported`,
    );
  }
  const format = detectFormat(buffer, fileName);
  let imported: ImportedInstrument;
  if (format === 'xlsform') imported = xlsformToInstrument(await readXlsform(buffer));
  else if (format === 'limesurvey') imported = lssToInstrument(readLss(buffer.toString('utf8')));
  else imported = surveyJsImport(buffer, fileName);
  const lost = imported.report.notCarried;
  if (options.strict && lost.length > 0) {
    const first = lost[0]!;
    throw cairnetError(
      'CAIRNET_IMPORT_NOT_CARRIED',
      `${fileName}: ${lost.length} thing(s) cannot be carried over, first ${first.where}` +
        `${first.attribute ? ` (${first.attribute})` : ''}: ${first.message}`,
      lost,
    );
  }
  let instrument: Instrument;
  try {
    instrument = loadInstrument(imported.json);
  } catch (e) {
    // survey-core itself may throw on odd shapes (a TypeError on a non-string where it expects text).
    if (!isCairnetError(e)) {
      throw cairnetError(
        format === 'surveyjs' ? 'CAIRNET_INSTRUMENT_INVALID' : 'CAIRNET_IMPORT_INVALID',
        `${fileName} did not become a valid instrument: ${(e as Error)?.message ?? String(e)}`,
      );
    }
    if (e.code === 'CAIRNET_INSTRUMENT_INVALID' && format !== 'surveyjs') {
      // Say why nothing is left when every question was dropped.
      const why = lost.length
        ? ` (${lost.length} thing(s) not carried, first ${lost[0]!.where}: ${lost[0]!.message})`
        : '';
      throw cairnetError(
        'CAIRNET_IMPORT_INVALID',
        `${fileName} did not become a valid instrument: ${e.message}${why}`,
        e.details,
      );
    }
    throw e;
  }
  return { ...imported, instrument };
}

/** Which importer reads a file: by its first bytes, then by its extension. */
export function detectFormat(buffer: Buffer, fileName: string): ImportFormat {
  const head = buffer
    .subarray(0, 64)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  const ext = extname(fileName).toLowerCase();
  if (ext === '.lsa') {
    throw cairnetError(
      'CAIRNET_IMPORT_FORMAT_UNKNOWN',
      `${fileName} is a LimeSurvey archive: extract its .lss file and import that`,
    );
  }
  if (buffer[0] === 0x50 && buffer[1] === 0x4b) return 'xlsform';
  if (buffer.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    throw cairnetError(
      'CAIRNET_IMPORT_XLS_LEGACY',
      `${fileName} is an old Excel 97-2003 workbook (.xls): open it in a spreadsheet and save it as .xlsx, then import that`,
    );
  }
  if (head.startsWith('<')) return 'limesurvey';
  if (head.startsWith('{')) return 'surveyjs';
  if (ext === '.xlsx' || ext === '.xls') return 'xlsform';
  if (ext === '.lss') return 'limesurvey';
  if (ext === '.json') return 'surveyjs';
  throw cairnetError(
    'CAIRNET_IMPORT_FORMAT_UNKNOWN',
    `${fileName} is neither an XLSForm (.xlsx), a LimeSurvey survey (.lss) nor a SurveyJS questionnaire (.json)`,
  );
}

function surveyJsImport(buffer: Buffer, fileName: string): ImportedInstrument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(buffer.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw cairnetError('CAIRNET_IMPORT_MALFORMED', `${fileName} is not valid JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw cairnetError('CAIRNET_INSTRUMENT_INVALID', `${fileName} is not a SurveyJS questionnaire object`, [
      { path: '', message: 'An instrument must be a JSON object.' },
    ]);
  }
  const sanitised: ImportNote[] = [];
  const json = sanitiseSurveyJs(parsed as InstrumentJson, sanitised);
  const t = json.title;
  return {
    json,
    report: {
      format: 'surveyjs',
      title: typeof t === 'string' ? t : typeof t?.default === 'string' ? t.default : '',
      languages: [],
      questions: walkElements(json).filter((s) => s.element.type !== 'panel' && s.element.type !== 'html')
        .length,
      notCarried: [],
      sanitised,
    },
  };
}
