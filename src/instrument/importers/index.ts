/**
 * Importers: XLSForm and LimeSurvey files (and uploaded SurveyJS JSON) become Cairnet
 * instruments, with a report of what could not be carried over; response exports of those
 * tools load against the imported codebook.
 */
export {
  type CheckedImport,
  detectFormat,
  type ImportFormat,
  importInstrumentBuffer,
  importInstrumentFile,
  MAX_IMPORT_BYTES,
} from './import-instrument.js';
export type { ImportedInstrument, ImportNote, ImportReport } from './import-report.js';
export { plainText } from './plain-text.js';
export { loadToolResponses, type ToolResponses, type ToolResponsesReport } from './tool-responses.js';
