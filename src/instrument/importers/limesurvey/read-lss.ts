import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { cairnetError } from '../../../errors.js';

/** One table of a LimeSurvey export: its rows as text fields. */
export type LssRow = Record<string, string>;

/** The tables of a `.lss` file that the importer reads. */
export interface LssDocument {
  languages: string[];
  surveys: LssRow[];
  surveyLanguageSettings: LssRow[];
  groups: LssRow[];
  groupL10ns: LssRow[];
  questions: LssRow[];
  subquestions: LssRow[];
  questionL10ns: LssRow[];
  answers: LssRow[];
  answerL10ns: LssRow[];
  conditions: LssRow[];
  questionAttributes: LssRow[];
  /** Default answers (LimeSurvey 3: texts in the rows; 4 and later: in `defaultvalue_l10ns`). */
  defaultValues: LssRow[];
  defaultValueL10ns: LssRow[];
  quotas: LssRow[];
  quotaMembers: LssRow[];
  quotaLanguageSettings: LssRow[];
}

/** Most rows read from one table. */
export const MAX_LSS_ROWS = 50_000;

/**
 * Parses a LimeSurvey survey export (`.lss`, XML). Both layouts are read: texts in the rows
 * (LimeSurvey 2–3: `language` on each question, group and answer row) and texts in `*_l10ns`
 * tables (LimeSurvey 4 and later). DTDs and entity declarations are refused (no entity
 * expansion), broken XML is `CAIRNET_IMPORT_MALFORMED`, and a file that is not a survey
 * document either.
 */
export function readLss(source: string): LssDocument {
  const xml = source.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw cairnetError(
      'CAIRNET_IMPORT_MALFORMED',
      'The .lss file declares a DTD or entities, which are refused',
    );
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw cairnetError(
      'CAIRNET_IMPORT_MALFORMED',
      `The .lss file is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`,
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: false,
    isArray: (name, jpath) => name === 'row' || jpath === 'document.languages.language',
  });
  let doc: { document?: Record<string, unknown> };
  try {
    doc = parser.parse(xml) as { document?: Record<string, unknown> };
  } catch (e) {
    // The validator lets some broken processing instructions through that the parser refuses.
    throw cairnetError(
      'CAIRNET_IMPORT_MALFORMED',
      `The .lss file is not well-formed XML: ${(e as Error).message}`,
    );
  }
  const root = doc.document;
  if (!root || typeof root !== 'object') {
    throw cairnetError(
      'CAIRNET_IMPORT_MALFORMED',
      'The file is XML but not a LimeSurvey export (no <document>)',
    );
  }
  const type = text(root.LimeSurveyDocType);
  if (type !== '' && type !== 'Survey') {
    throw cairnetError(
      'CAIRNET_IMPORT_MALFORMED',
      `The .lss file is a LimeSurvey "${type}" export, not a survey`,
    );
  }
  const table = (name: string): LssRow[] => {
    const t = root[name] as { rows?: { row?: unknown } } | undefined;
    const rows = asArray(t?.rows?.row);
    if (rows.length > MAX_LSS_ROWS) {
      throw cairnetError(
        'CAIRNET_IMPORT_TOO_LARGE',
        `The .lss table ${name} has ${rows.length} rows; at most ${MAX_LSS_ROWS}`,
      );
    }
    return rows.map((r) => {
      const out: LssRow = {};
      if (r && typeof r === 'object') for (const [k, v] of Object.entries(r)) out[k] = text(v);
      return out;
    });
  };
  const langs = asArray((root.languages as { language?: unknown } | undefined)?.language);
  const result: LssDocument = {
    languages: langs.map(text).filter((l) => l !== ''),
    surveys: table('surveys'),
    surveyLanguageSettings: table('surveys_languagesettings'),
    groups: table('groups'),
    groupL10ns: table('group_l10ns'),
    questions: table('questions'),
    subquestions: table('subquestions'),
    questionL10ns: table('question_l10ns'),
    answers: table('answers'),
    answerL10ns: table('answer_l10ns'),
    conditions: table('conditions'),
    questionAttributes: table('question_attributes'),
    defaultValues: table('defaultvalues'),
    defaultValueL10ns: table('defaultvalue_l10ns'),
    quotas: table('quota'),
    quotaMembers: table('quota_members'),
    quotaLanguageSettings: table('quota_languagesettings'),
  };
  if (result.questions.length === 0) {
    throw cairnetError('CAIRNET_IMPORT_MALFORMED', 'The .lss file holds no <questions> rows');
  }
  return result;
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && '#text' in (v as object)) return text((v as { '#text': unknown })['#text']);
  return '';
}

/**
 * A repeated element as a list. The parser's isArray option does not always apply (a
 * malformed document can give a single <language> or <row> as a lone value).
 */
function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}
