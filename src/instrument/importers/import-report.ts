import type { InstrumentJson } from '../types.js';

/** Something the import could not carry over, or changed on the way. */
export interface ImportNote {
  /** Where in the source: `question NAME`, `group NAME`, `survey`, `settings`, `choices!12`. */
  where: string;
  /** The source attribute or column concerned (`relevance`, `array_filter`, `type`, …). */
  attribute?: string;
  /** What happened, for a person: what was dropped or how it was simplified. */
  message: string;
}

/** What an import made, and what it left behind. */
export interface ImportReport {
  format: 'xlsform' | 'limesurvey' | 'surveyjs';
  title: string;
  languages: string[];
  questions: number;
  /** Everything dropped or simplified, one note per question and attribute. */
  notCarried: ImportNote[];
  /** Labels from which HTML or control characters were removed. */
  sanitised: ImportNote[];
}

/** An imported questionnaire, ready for `loadInstrument`, with its report. */
export interface ImportedInstrument {
  json: InstrumentJson;
  report: ImportReport;
}

/** A real error in the source (a broken expression), with where it is. */
export interface ImportError {
  where: string;
  attribute?: string;
  message: string;
}
