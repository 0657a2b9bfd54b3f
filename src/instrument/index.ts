export { checkInstrument, type InstrumentProblem, instrumentProblems } from './check-instrument.js';
export { deriveCodebook } from './derive-codebook.js';
export { type FlatValue, flattenAnswers, LIST_SEPARATOR } from './flatten-answers.js';
export { canonicalJson, instrumentHash } from './instrument-hash.js';
export {
  CAIRNET_SURVEY_PATH,
  type Instrument,
  loadCairnetInstrument,
  loadInstrument,
} from './load-instrument.js';
export { localisedText } from './localised-text.js';
export type {
  Codebook,
  CodebookLevel,
  CodebookVariable,
  ElementJson,
  InstrumentJson,
  LocalisableString,
  LocalisedText,
  PageJson,
  VariableType,
} from './types.js';
