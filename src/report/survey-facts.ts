import type { PlanResults } from '../plan/evaluate-plan.js';
import type { Lang } from './number-format.js';

/** The facts about a survey that outputs print: read here only, so they can be sourced elsewhere. */
export interface SurveyFacts {
  /** The fieldwork's first and last days (ISO dates), when known. */
  fieldwork?: { from: string; to: string };
}

/** A survey's facts, from its results (the fieldwork: when its responses were completed). */
export function surveyFacts(results: PlanResults): SurveyFacts {
  if (!results.fieldwork) return {};
  return { fieldwork: { from: results.fieldwork.from.slice(0, 10), to: results.fieldwork.to.slice(0, 10) } };
}

/** The fieldwork's year(s): "2012", or "2012–2013" across two years; undefined when unknown. */
export function fieldworkYears(facts: SurveyFacts): string | undefined {
  if (!facts.fieldwork) return undefined;
  const a = facts.fieldwork.from.slice(0, 4);
  const b = facts.fieldwork.to.slice(0, 4);
  return a === b ? a : `${a}–${b}`;
}

/** The fieldwork's months: "d'avril à juin 2012" / "from April to June 2012"; undefined when unknown. */
export function fieldworkPeriodText(facts: SurveyFacts, lang: Lang): string | undefined {
  if (!facts.fieldwork) return undefined;
  const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const month = (iso: string, year: boolean) =>
    new Intl.DateTimeFormat(locale, {
      month: 'long',
      ...(year ? { year: 'numeric' } : {}),
      timeZone: 'UTC',
    }).format(new Date(`${iso}T00:00:00Z`));
  const { from, to } = facts.fieldwork;
  if (from.slice(0, 7) === to.slice(0, 7))
    return lang === 'fr' ? `en ${month(from, true)}` : `in ${month(from, true)}`;
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  const start = month(from, !sameYear);
  const end = month(to, true);
  if (lang === 'en') return `from ${start} to ${end}`;
  return `${/^[aeiouyéè]/i.test(start) ? 'd’' : 'de '}${start} à ${end}`;
}
