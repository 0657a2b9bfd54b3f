import type { InstrumentJson, LocalisableString } from './types.js';
import { walkElements } from './walk-elements.js';

/**
 * Quotas of an instrument, kept in its JSON as `cairnetQuotas` (survey-core ignores the key; the
 * respondent's page never receives it). A quota counts the completed responses that enter it:
 * a response enters when, for every member, its answer to the member's question is one of the
 * member's values (for a multiple choice: it ticks one of them). Members on one question are
 * one member with several values (LimeSurvey: OR within a question, AND across questions).
 * When `limit` responses already entered it, a new one that would enter is refused with
 * `message` in the respondent's language; `action: 'change'` lets the respondent go back and
 * change an answer, `'end'` ends the questionnaire.
 */
export interface InstrumentQuota {
  name: string;
  limit: number;
  action: 'end' | 'change';
  members: QuotaMember[];
  message?: LocalisableString;
}

export interface QuotaMember {
  /** A top-level question of the instrument. */
  question: string;
  /** Its answers (choice values as text) that count; for a checkbox, the ticked choices. */
  values: string[];
}

/** The key under which an instrument's JSON keeps its quotas. */
export const QUOTAS_KEY = 'cairnetQuotas';

/** The quotas of an instrument (none when it declares none). */
export function quotasOf(json: InstrumentJson): InstrumentQuota[] {
  const q = json[QUOTAS_KEY];
  return Array.isArray(q) ? (q as InstrumentQuota[]) : [];
}

/** The instrument as respondents receive it: without its quotas (limits are the team's business). */
export function withoutQuotas(json: InstrumentJson): InstrumentJson {
  if (!(QUOTAS_KEY in json)) return json;
  const { [QUOTAS_KEY]: _, ...rest } = json;
  return rest;
}

/** Does a response's (validated) answers enter a quota? */
export function entersQuota(quota: InstrumentQuota, data: Record<string, unknown>): boolean {
  return quota.members.every((m) => {
    const answer = data[m.question];
    if (Array.isArray(answer)) return answer.some((a) => m.values.includes(String(a)));
    if (answer === undefined || answer === null || answer === '') return false;
    return m.values.includes(String(answer));
  });
}

/**
 * The quota's message in a language: that language, else the default text, else any; when the
 * quota has none, Cairnet's own in French or English.
 */
export function quotaMessage(quota: InstrumentQuota, locale: string): string {
  const m = quota.message;
  const own =
    typeof m === 'string'
      ? m
      : m
        ? ((m[locale] as string | undefined) ??
          (m.default as string | undefined) ??
          Object.values(m).find((v): v is string => typeof v === 'string'))
        : undefined;
  if (own && own.trim() !== '') return own;
  return locale === 'fr'
    ? 'Merci. Ce questionnaire a reçu assez de réponses de personnes de votre profil : votre réponse n’est pas enregistrée.'
    : 'Thank you. This questionnaire has enough responses from people of your profile: your answers are not stored.';
}

/** What is wrong with an instrument's quotas: paths and messages, as check-instrument lists them. */
export function quotaProblems(json: InstrumentJson): { path: string; message: string }[] {
  const raw = json[QUOTAS_KEY];
  if (raw === undefined) return [];
  const path = `/${QUOTAS_KEY}`;
  if (!Array.isArray(raw)) return [{ path, message: `${QUOTAS_KEY} must be a list of quotas.` }];
  const topLevel = new Map(
    walkElements(json)
      .filter((s) => s.template === null)
      .map((s) => [s.element.name, s.element.type]),
  );
  const problems: { path: string; message: string }[] = [];
  raw.forEach((q: unknown, i) => {
    const at = `${path}/${i}`;
    const quota = q as Partial<InstrumentQuota> | null;
    if (!quota || typeof quota !== 'object' || typeof quota.name !== 'string') {
      problems.push({ path: at, message: 'A quota is an object with a name.' });
      return;
    }
    if (!Number.isInteger(quota.limit) || (quota.limit as number) < 0)
      problems.push({
        path: `${at}/limit`,
        message: `Quota "${quota.name}": limit must be a whole number ≥ 0.`,
      });
    if (quota.action !== 'end' && quota.action !== 'change')
      problems.push({ path: `${at}/action`, message: `Quota "${quota.name}": action is "end" or "change".` });
    if (!Array.isArray(quota.members) || quota.members.length === 0) {
      problems.push({ path: `${at}/members`, message: `Quota "${quota.name}" has no members.` });
      return;
    }
    quota.members.forEach((m, k) => {
      const type = topLevel.get(m?.question);
      if (!m || typeof m.question !== 'string' || type === undefined)
        problems.push({
          path: `${at}/members/${k}`,
          message: `Quota "${quota.name}" names "${String(m?.question)}", which is not a question of this instrument.`,
        });
      else if (!Array.isArray(m.values) || m.values.some((v) => typeof v !== 'string'))
        problems.push({ path: `${at}/members/${k}`, message: `Quota "${quota.name}": values are texts.` });
    });
  });
  return problems;
}

/** The top-level questions whose answer is a list of ticked choices (a quota member counts any of them). */
export function multipleChoiceQuestions(json: InstrumentJson): Set<string> {
  return new Set(
    walkElements(json)
      .filter((s) => s.template === null && (s.element.type === 'checkbox' || s.element.type === 'tagbox'))
      .map((s) => s.element.name),
  );
}
