import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { insertPerson, peopleByKeys, updatePerson } from '../store/repositories/campaign-population.js';
import type { CairnetDatabase } from '../store/schema.js';
import { checkSurveyName } from './campaign-settings.js';
import { emailKey, isValidEmail, normaliseEmail } from './email-address.js';
import type { PopulationTable } from './read-population-file.js';

/** The person fields a column can be mapped to; any other field is a stratum. */
export const PERSON_FIELDS = ['email', 'name', 'language'] as const;
/**
 * The stratum fields known by name (used for monitoring by stratum). Other strata
 * are mapped as `stratum.NAME` (NAME: a-z, 0-9, _).
 */
export const STRATUM_FIELDS = [
  'unit',
  'age_band',
  'status',
  'clinical_activity',
  'gender',
  'research_kind',
  'field',
  'region',
] as const;

export type Language = 'fr' | 'en';

const LANGUAGES: Record<string, Language> = {
  fr: 'fr',
  'fr-fr': 'fr',
  fra: 'fr',
  fre: 'fr',
  francais: 'fr',
  français: 'fr',
  french: 'fr',
  en: 'en',
  'en-gb': 'en',
  'en-us': 'en',
  eng: 'en',
  english: 'en',
  anglais: 'en',
};

/** Column → field. */
export type ColumnMapping = Map<string, string>;

/** A problem found in the file; the import stores nothing while there is one. */
export interface PopulationProblem {
  line: number;
  problem: 'missing_email' | 'malformed_email' | 'duplicate_email' | 'unknown_language' | 'bad_value';
  column: string;
  value: string;
  message: string;
}

export interface PopulationReport {
  file: string;
  rows: number;
  mapping: Record<string, string>;
  ignoredColumns: string[];
  added: number;
  updated: number;
  unchanged: number;
  /** People erased on request earlier: never re-imported. */
  skippedErased: number;
  problems: PopulationProblem[];
  dryRun: boolean;
  stored: boolean;
}

interface Candidate {
  line: number;
  email: string;
  key: string;
  name: string | null;
  language: Language;
  strata: Record<string, string>;
}

function isField(f: string): boolean {
  return (
    (PERSON_FIELDS as readonly string[]).includes(f) ||
    (STRATUM_FIELDS as readonly string[]).includes(f) ||
    /^stratum\.[a-z][a-z0-9_]{0,39}$/.test(f)
  );
}

/** `table[key]` for the table's own keys only (a file's "constructor" is not a language). */
function lookUp<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function stratumName(field: string): string {
  return field.startsWith('stratum.') ? field.slice('stratum.'.length) : field;
}

const simplify = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

const ALIASES: Record<string, string> = {
  e_mail: 'email',
  mail: 'email',
  courriel: 'email',
  adresse_electronique: 'email',
  nom: 'name',
  full_name: 'name',
  langue: 'language',
  lang: 'language',
  unite: 'unit',
  tranche_d_age: 'age_band',
  statut: 'status',
  genre: 'gender',
  sexe: 'gender',
  activite_clinique: 'clinical_activity',
};

/**
 * The column mapping: from `--map col=field,…` when given (every named column must exist and
 * every field be known), else by header names (`email`, `Courriel`, `langue`, `unit`, …).
 * An e-mail column is required either way.
 */
export function resolveMapping(header: string[], spec?: string): ColumnMapping {
  const mapping: ColumnMapping = new Map();
  if (spec !== undefined && spec.trim() !== '') {
    for (const part of spec.split(',')) {
      const eq = part.lastIndexOf('=');
      if (eq <= 0) {
        throw cairnetError('CAIRNET_POPULATION_MAPPING_INVALID', `"${part}" is not of the form column=field`);
      }
      const column = part.slice(0, eq).trim();
      const field = part.slice(eq + 1).trim();
      if (!header.includes(column)) {
        throw cairnetError(
          'CAIRNET_POPULATION_MAPPING_INVALID',
          `No column "${column}" in the file (columns: ${header.join(', ')})`,
        );
      }
      if (!isField(field)) {
        throw cairnetError(
          'CAIRNET_POPULATION_MAPPING_INVALID',
          `Unknown field "${field}": one of ${[...PERSON_FIELDS, ...STRATUM_FIELDS].join(', ')}, or stratum.NAME`,
        );
      }
      mapping.set(column, field);
    }
  } else {
    for (const column of header) {
      const s = simplify(column);
      const field = lookUp(ALIASES, s) ?? s;
      if (isField(field)) mapping.set(column, field);
    }
  }
  const fields = [...mapping.values()];
  const dup = fields.find((f, i) => fields.indexOf(f) !== i);
  if (dup) throw cairnetError('CAIRNET_POPULATION_MAPPING_INVALID', `Two columns are mapped to "${dup}"`);
  if (!fields.includes('email')) {
    throw cairnetError(
      'CAIRNET_POPULATION_MAPPING_INVALID',
      `No column is mapped to "email" (columns: ${header.join(', ')}); use --map COLUMN=email`,
    );
  }
  return mapping;
}

/** Checks every row; returns the people to store and the problems found (nothing is stored). */
export function validatePopulation(
  table: PopulationTable,
  mapping: ColumnMapping,
): { candidates: Candidate[]; problems: PopulationProblem[] } {
  const index = new Map<string, number>();
  table.header.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
  });
  const problems: PopulationProblem[] = [];
  const candidates: Candidate[] = [];
  const seen = new Map<string, number>();
  for (const row of table.rows) {
    let email: string | undefined;
    let emailColumn = '';
    let name: string | null = null;
    let language: Language = 'fr';
    const strata: Record<string, string> = {};
    let ok = true;
    for (const [column, field] of mapping) {
      const raw = (row.cells[index.get(column)!] ?? '').trim();
      if (field === 'email') {
        emailColumn = column;
        email = normaliseEmail(raw.replace(/^mailto:/i, ''));
        if (email === '') {
          problems.push({
            line: row.line,
            problem: 'missing_email',
            column,
            value: raw,
            message: 'no e-mail address',
          });
          ok = false;
        } else if (!isValidEmail(email)) {
          problems.push({
            line: row.line,
            problem: 'malformed_email',
            column,
            value: raw,
            message: `"${raw}" is not an e-mail address`,
          });
          ok = false;
        }
      } else if (field === 'name') {
        name = raw === '' ? null : raw.slice(0, 200);
      } else if (field === 'language') {
        if (raw === '') continue;
        // An own key only: "constructor" or "__proto__" in the file must not reach Object.prototype.
        const l = lookUp(LANGUAGES, raw.toLowerCase());
        if (!l) {
          problems.push({
            line: row.line,
            problem: 'unknown_language',
            column,
            value: raw,
            message: `unknown language "${raw}" (fr or en)`,
          });
          ok = false;
        } else language = l;
      } else if (raw !== '') {
        if (raw.length > 200) {
          problems.push({
            line: row.line,
            problem: 'bad_value',
            column,
            value: raw.slice(0, 40),
            message: 'value longer than 200 characters',
          });
          ok = false;
        }
        strata[stratumName(field)] = raw;
      }
    }
    if (!ok || email === undefined) continue;
    const first = seen.get(email);
    if (first !== undefined) {
      problems.push({
        line: row.line,
        problem: 'duplicate_email',
        column: emailColumn,
        value: email,
        message: `same address as line ${first}`,
      });
      continue;
    }
    seen.set(email, row.line);
    candidates.push({ line: row.line, email, key: emailKey(email), name, language, strata });
  }
  return { candidates, problems };
}

/**
 * Imports a population: validates every row first and stores nothing if any row is wrong
 * (`CAIRNET_POPULATION_INVALID`, the report in `details`); then, in one transaction, adds new
 * people to the survey's population and updates those already there (key: the normalised
 * e-mail, per survey: the same address in another survey's population is another person),
 * leaving out anyone erased on request. With `dryRun`, reports what would change and stores nothing.
 */
export async function importPopulation(
  db: Kysely<CairnetDatabase>,
  survey: string,
  table: PopulationTable,
  opts: { file: string; map?: string | undefined; dryRun?: boolean | undefined },
): Promise<PopulationReport> {
  checkSurveyName(survey);
  const mapping = resolveMapping(table.header, opts.map);
  const { candidates, problems } = validatePopulation(table, mapping);
  const report: PopulationReport = {
    file: opts.file,
    rows: table.rows.length,
    mapping: Object.fromEntries(mapping),
    ignoredColumns: table.header.filter((h) => !mapping.has(h)),
    added: 0,
    updated: 0,
    unchanged: 0,
    skippedErased: 0,
    problems,
    dryRun: opts.dryRun === true,
    stored: false,
  };
  const strataFields = [
    ...new Set(
      [...mapping.values()].filter((f) => !(PERSON_FIELDS as readonly string[]).includes(f)).map(stratumName),
    ),
  ];
  const mapsName = [...mapping.values()].includes('name');
  const mapsLanguage = [...mapping.values()].includes('language');

  const plan = async (trx: Kysely<CairnetDatabase>, write: boolean) => {
    const now = new Date().toISOString();
    for (let i = 0; i < candidates.length; i += 500) {
      const chunk = candidates.slice(i, i + 500);
      const byKey = new Map(
        (
          await peopleByKeys(
            trx,
            survey,
            chunk.map((c) => c.key),
          )
        ).map((e) => [e.email_key, e]),
      );
      for (const c of chunk) {
        const e = byKey.get(c.key);
        if (e?.erased_at) {
          report.skippedErased++;
          continue;
        }
        if (!e) {
          report.added++;
          if (write) await insertPerson(trx, survey, c, now);
          continue;
        }
        const old = e.strata;
        const name = mapsName ? c.name : e.name;
        const language = mapsLanguage ? c.language : e.language;
        const strataChanged = strataFields.some((f) => (old[f] ?? null) !== (c.strata[f] ?? null));
        if (name === e.name && language === e.language && e.email === c.email && !strataChanged) {
          report.unchanged++;
          continue;
        }
        report.updated++;
        if (write)
          await updatePerson(
            trx,
            e.id,
            { email: c.email, name, language, strata: c.strata },
            strataFields,
            now,
          );
      }
    }
  };

  if (problems.length > 0) {
    throw cairnetError(
      'CAIRNET_POPULATION_INVALID',
      `${problems.length} problem(s) in ${opts.file}; nothing was stored (first: line ${problems[0]!.line}, ${problems[0]!.message})`,
      report,
    );
  }
  if (report.dryRun) {
    await plan(db, false);
    return report;
  }
  await db.transaction().execute(async (trx) => plan(trx, true));
  report.stored = true;
  return report;
}
