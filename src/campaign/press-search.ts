import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import type { InstrumentJson } from '../instrument/types.js';
import { currentInstrument } from '../store/repositories/instruments.js';
import {
  latestRequests,
  pressHandles,
  reachableResponses,
  responseOfHandle,
} from '../store/repositories/press.js';
import type { CairnetDatabase } from '../store/schema.js';
import { type PressSearchSpec, pressSearchDeclaration, resolvePressSearch } from './press-config.js';

/**
 * A press search: the survey's filters by their query parameter (each optional; all given must
 * match), and a piece of a cited text under the cited list's parameter.
 */
export type PressSearch = Record<string, string | undefined>;

/**
 * A respondent the press office may ask to contact: a random handle and the answers that matter
 * for the search. Never a name, an address, a pseudonym or a response id.
 */
export interface PressContact {
  handle: string;
  /** The answer to each filter's question (question name → value), null when not answered. */
  answers: Record<string, string | null>;
  /** The texts of the survey's cited list (e.g. the associations named). */
  cited: string[];
  /** The state of the newest contact request to this handle (any press officer), if any. */
  lastRequest: { state: string; at: string } | null;
}

export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const tidy = (n: string) =>
  n
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .trim()
    .slice(0, 200);

/** The texts a response gives in the cited list: a dynamic panel's text item, or one text answer. */
function citedTexts(data: Record<string, unknown>, cited: PressSearchSpec['cited']): string[] {
  if (!cited) return [];
  const v = data[cited.question];
  const texts = Array.isArray(v)
    ? v.map((a) =>
        a && typeof a === 'object' && cited.item ? str((a as Record<string, unknown>)[cited.item]) : str(a),
      )
    : [str(v)];
  return texts.filter((n): n is string => n !== null && n.trim() !== '').map(tidy);
}

/** The press search of a survey against its current questionnaire. */
export async function pressSearchSpec(db: Kysely<CairnetDatabase>, survey: string): Promise<PressSearchSpec> {
  const stored = await currentInstrument(db, survey);
  return resolvePressSearch(
    await pressSearchDeclaration(db, survey),
    (stored?.json as InstrumentJson) ?? null,
  );
}

/** Whether a response's answers say yes to press contact, as its survey asks it. */
export async function optedIn(
  db: Kysely<CairnetDatabase>,
  survey: string,
  answers: Record<string, unknown>,
): Promise<boolean> {
  const { optIn } = await pressSearchDeclaration(db, survey);
  return answers[optIn.question] === optIn.value;
}

export interface ContactableRow {
  responseId: string;
  personId: string;
  data: Record<string, unknown>;
}

/**
 * Completed invited responses (of `survey`, or of any survey when null) whose author said yes to
 * their survey's opt-in question and can still be reached. The opt-in is checked on the parsed
 * answers rather than by matching the stored JSON's text.
 */
export async function contactableResponses(
  db: Kysely<CairnetDatabase>,
  survey: string | null,
  responseIds?: string[],
): Promise<ContactableRow[]> {
  const out: ContactableRow[] = [];
  for (const r of await reachableResponses(db, survey, responseIds)) {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(r.data) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (await optedIn(db, r.survey, data)) out.push({ responseId: r.responseId, personId: r.personId, data });
  }
  return out;
}

/** Refuses a parameter the survey is not searched by, or an answer its question does not offer. */
function checkSearch(spec: PressSearchSpec, search: PressSearch): void {
  const known = [...spec.filters.map((f) => f.param), ...(spec.cited ? [spec.cited.param] : [])];
  for (const [param, value] of Object.entries(search)) {
    if (value === undefined || value === '') continue;
    if (!known.includes(param)) {
      throw cairnetError(
        'CAIRNET_PRESS_SEARCH_INVALID',
        `This survey's press search has no field "${param}"; it has: ${known.join(', ') || 'none'}`,
        { param, known },
      );
    }
    const filter = spec.filters.find((f) => f.param === param);
    if (filter && !filter.choices.some((c) => c.value === value)) {
      throw cairnetError(
        'CAIRNET_PRESS_SEARCH_INVALID',
        `"${value}" is not an answer to ${filter.question}; one of: ${filter.choices.map((c) => c.value).join(', ')}`,
        { param, value },
      );
    }
  }
}

/**
 * Searches the respondents who agreed to be contacted, by the survey's filters (closed questions)
 * or by a piece of a text they cited. Returns handles and those answers only.
 *
 * @example
 * await searchPressContacts(db, 'cairnet', { field: 'neurosciences', association: 'téléthon' });
 */
export async function searchPressContacts(
  db: Kysely<CairnetDatabase>,
  survey: string,
  search: PressSearch,
): Promise<PressContact[]> {
  const spec = await pressSearchSpec(db, survey);
  checkSearch(spec, search);
  const want = spec.cited && search[spec.cited.param] ? fold(search[spec.cited.param]!) : '';
  const matches = (await contactableResponses(db, survey)).filter(({ data }) => {
    for (const f of spec.filters) {
      const value = search[f.param];
      if (value && data[f.question] !== value) return false;
    }
    return !want || citedTexts(data, spec.cited).some((a) => fold(a).includes(want));
  });
  const handles = await pressHandles(
    db,
    matches.map((m) => m.responseId),
  );
  const last = await latestRequests(db, [...handles.values()]);
  return matches.map(({ responseId, data }) => {
    const handle = handles.get(responseId)!;
    return {
      handle,
      answers: Object.fromEntries(spec.filters.map((f) => [f.question, str(data[f.question])])),
      cited: citedTexts(data, spec.cited),
      lastRequest: last.get(handle) ?? null,
    };
  });
}

/** The person behind a handle, if they can still be contacted. */
export async function contactByHandle(
  db: Kysely<CairnetDatabase>,
  handle: string,
): Promise<{ personId: string; responseId: string } | undefined> {
  const responseId = await responseOfHandle(db, handle);
  if (!responseId) return undefined;
  const [row] = await contactableResponses(db, null, [responseId]);
  return row ? { personId: row.personId, responseId: row.responseId } : undefined;
}
