import type { InstrumentJson } from '../types.js';

/** Something the import could not carry over, or changed on the way. */
export interface ImportNote {
  /** Where in the source: a sheet row (`survey!12`), a question code, a group. */
  where: string;
  /** What happened, for a person. */
  message: string;
}

/** What an import made, and what it left behind. */
export interface ImportReport {
  format: 'xlsform' | 'limesurvey' | 'surveyjs';
  title: string;
  languages: string[];
  questions: number;
  /** Things dropped or approximated (unsupported types, settings, functions). */
  notCarried: ImportNote[];
  /** Labels from which HTML or control characters were removed. */
  sanitised: ImportNote[];
}

/** An imported questionnaire, ready for `loadInstrument`, with its report. */
export interface ImportedInstrument {
  json: InstrumentJson;
  report: ImportReport;
}
