import type { LocalisableString, LocalisedText } from './types.js';

/**
 * Reads a SurveyJS string in both languages: English is `en`, else `default`; French is `fr`,
 * else the English. A missing string falls back to `fallback`.
 *
 * @example localisedText({ default: 'Yes', fr: 'Oui' }, 'yes') // { en: 'Yes', fr: 'Oui' }
 */
export function localisedText(s: LocalisableString | undefined, fallback: string): LocalisedText {
  if (typeof s === 'string') return { en: s, fr: s };
  if (s && typeof s === 'object') {
    const en = pick(s.en) ?? pick(s.default) ?? fallback;
    return { en, fr: pick(s.fr) ?? en };
  }
  return { en: fallback, fr: fallback };
}

function pick(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
