/**
 * The shapes of an instrument (a SurveyJS questionnaire as JSON) and of the codebook derived
 * from it. The codebook is the vocabulary every later module speaks: export columns, dataset
 * columns and the analysis plan all use its variable names.
 */

/** A SurveyJS string: plain, or localised as `{default: <English>, fr: <French>, …}`. */
export type LocalisableString =
  | string
  | { default?: string; en?: string; fr?: string; [locale: string]: unknown };

/** One SurveyJS element (question, panel or html) as it appears in the JSON. */
export interface ElementJson {
  type: string;
  name: string;
  title?: LocalisableString;
  visibleIf?: string;
  enableIf?: string;
  requiredIf?: string;
  elements?: ElementJson[];
  templateElements?: ElementJson[];
  choices?: unknown[];
  rows?: unknown[];
  columns?: unknown[];
  inputType?: string;
  [key: string]: unknown;
}

export interface PageJson {
  name?: string;
  title?: LocalisableString;
  visibleIf?: string;
  elements?: ElementJson[];
  [key: string]: unknown;
}

/** A questionnaire as SurveyJS (survey-core 2.5) reads it. */
export interface InstrumentJson {
  title?: LocalisableString;
  pages?: PageJson[];
  elements?: ElementJson[];
  questions?: ElementJson[];
  [key: string]: unknown;
}

/** A label in both languages of the survey. */
export interface LocalisedText {
  fr: string;
  en: string;
}

export type VariableType =
  | 'single'
  | 'multiple'
  | 'text'
  | 'text_list'
  | 'boolean'
  | 'numeric'
  | 'ordinal'
  | 'matrix_row';

/** One admissible value of a variable, in the questionnaire's order. */
export interface CodebookLevel {
  value: string | number;
  label: LocalisedText;
}

/** One column of the flat data: a question, a matrix row, or one choice of a checkbox. */
export interface CodebookVariable {
  /** Column name: the question name, `<matrix>_<row>`, or `<question>__<choice>`. */
  name: string;
  /** The SurveyJS question the value comes from. */
  question: string;
  /** For a matrix row, the row value; for a checkbox indicator, the choice value. */
  row?: string;
  choice?: string;
  /** For a `text_list`, the panel question whose answers are the texts. */
  item?: string;
  /** Keys followed inside the answer (a `matrixdropdown` cell: row, then column). */
  path?: string[];
  /** For a ranking, the choice whose position (1 = first) is the value. */
  rankOf?: string;
  label: LocalisedText;
  type: VariableType;
  levels: CodebookLevel[];
  /** The page (section) the question sits on. */
  section: string;
  /** The condition under which the question is shown (page, panels and question together), or null. */
  visibleIf: string | null;
}

export interface Codebook {
  /** sha256 of the canonical instrument JSON: the version the codebook was derived from. */
  instrumentHash: string;
  variables: CodebookVariable[];
}
