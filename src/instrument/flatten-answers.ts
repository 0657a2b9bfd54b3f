import type { Codebook, CodebookVariable } from './types.js';

/** One cell of flat data: a code, a number, a joined list, or null when there is no answer. */
export type FlatValue = string | number | null;

/** Separator between entries of a `text_list` or the codes of a `multiple` variable. */
export const LIST_SEPARATOR = ' | ';

/**
 * Turns a SurveyJS answers object into one flat record keyed by codebook variable names, with
 * every variable present (null when unanswered). Keys of `data` the codebook does not know are
 * ignored. `multiple` variables hold the chosen codes in codebook order joined by
 * {@link LIST_SEPARATOR}; their `__<choice>` indicators are 1/0 when the question was answered
 * and null otherwise; `text_list` entries are trimmed, empty ones dropped, and joined.
 *
 * @example
 * flattenAnswers(codebook, { relation: 'ongoing', opinion: { freedom: 'disagree' } });
 * // { …, relation: 'ongoing', opinion_freedom: 'disagree', opinion_time: null, … }
 */
export function flattenAnswers(codebook: Codebook, data: Record<string, unknown>): Record<string, FlatValue> {
  const record: Record<string, FlatValue> = {};
  for (const v of codebook.variables) {
    const answer = variableAnswer(v, data);
    switch (v.type) {
      case 'multiple': {
        const chosen = Array.isArray(answer) ? answer.map(String) : [];
        const codes = v.levels.map((l) => String(l.value)).filter((c) => chosen.includes(c));
        record[v.name] = Array.isArray(answer) && answer.length > 0 ? codes.join(LIST_SEPARATOR) : null;
        break;
      }
      case 'boolean':
        if (v.choice !== undefined) {
          record[v.name] = Array.isArray(answer) ? (answer.map(String).includes(v.choice) ? 1 : 0) : null;
        } else {
          record[v.name] = answer === true ? 1 : answer === false ? 0 : null;
        }
        break;
      case 'ordinal':
      case 'matrix_row':
        record[v.name] = v.row !== undefined ? scalar(objectOf(answer)[v.row]) : scalar(answer);
        break;
      case 'text_list': {
        const key = v.item ?? (v.name === v.question ? undefined : v.name.slice(v.question.length + 1));
        const entries = Array.isArray(answer) ? answer : [];
        const texts = entries
          .map((item) => objectOf(item))
          .map((item) => (key !== undefined ? item[key] : Object.values(item)[0]))
          .map((t) =>
            typeof t === 'number' || typeof t === 'boolean' ? String(t) : Array.isArray(t) ? t.join(', ') : t,
          )
          .filter((t): t is string => typeof t === 'string')
          .map((t) => t.trim())
          .filter((t) => t !== '');
        record[v.name] = texts.length > 0 ? texts.join(LIST_SEPARATOR) : null;
        break;
      }
      case 'numeric': {
        const n =
          typeof answer === 'number' ? answer : typeof answer === 'string' ? Number(answer) : Number.NaN;
        record[v.name] = Number.isFinite(n) && answer !== '' ? n : null;
        break;
      }
      default:
        record[v.name] = scalar(answer);
    }
  }
  return record;
}

/**
 * The part of a response a variable reads: the answer to its question, followed along `path`
 * (a `matrixdropdown` cell), or a choice's position in a ranking.
 */
export function variableAnswer(v: CodebookVariable, data: Record<string, unknown>): unknown {
  let answer: unknown = data[v.question];
  for (const key of v.path ?? []) answer = objectOf(answer)[key];
  if (v.rankOf !== undefined) {
    const at = Array.isArray(answer) ? answer.map(String).indexOf(v.rankOf) : -1;
    return at >= 0 ? at + 1 : null;
  }
  return answer;
}

function objectOf(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function scalar(v: unknown): FlatValue {
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}
