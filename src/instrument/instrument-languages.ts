import type { InstrumentJson } from './types.js';

/** survey-core's translation file (`survey-core/i18n/<file>`) for each language code it covers. */
export const SURVEY_CORE_I18N: Record<string, string> = {
  ar: 'arabic',
  eu: 'basque',
  bg: 'bulgarian',
  my: 'burmese',
  ca: 'catalan',
  hr: 'croatian',
  cs: 'czech',
  da: 'danish',
  nl: 'dutch',
  et: 'estonian',
  fi: 'finnish',
  fr: 'french',
  ka: 'georgian',
  de: 'german',
  el: 'greek',
  ht: 'haitian-creole',
  he: 'hebrew',
  hi: 'hindi',
  hu: 'hungarian',
  is: 'icelandic',
  id: 'indonesian',
  it: 'italian',
  ja: 'japanese',
  kk: 'kazakh',
  ko: 'korean',
  lv: 'latvian',
  lt: 'lithuanian',
  mk: 'macedonian',
  ms: 'malay',
  no: 'norwegian',
  nb: 'norwegian',
  fa: 'persian',
  fil: 'philippines',
  pl: 'polish',
  pt: 'portuguese',
  'pt-br': 'portuguese-br',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  'zh-cn': 'simplified-chinese',
  zh: 'simplified-chinese',
  sk: 'slovak',
  sl: 'slovenian',
  es: 'spanish',
  sw: 'swahili',
  sv: 'swedish',
  tg: 'tajik',
  te: 'telugu',
  th: 'thai',
  'zh-tw': 'traditional-chinese',
  tr: 'turkish',
  uk: 'ukrainian',
  ur: 'urdu',
  vi: 'vietnamese',
  cy: 'welsh',
};

const CODE = /^[a-z]{2,3}(-[a-z]{2,4})?$/;

/**
 * The languages a questionnaire is written in, its own language first: `locale` (the source's
 * base language) or English (SurveyJS's `default` texts), then every language key of its texts.
 *
 * @example instrumentLanguages({ title: { default: 'T', fr: 'T' }, pages: [] }) // ['en', 'fr']
 */
export function instrumentLanguages(json: InstrumentJson): string[] {
  const base =
    typeof json.locale === 'string' && CODE.test(json.locale.toLowerCase())
      ? json.locale.toLowerCase()
      : 'en';
  const found = new Set<string>([base]);
  let sawDefault = false;
  const visit = (node: unknown, depth: number): void => {
    if (depth > 64 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n, depth + 1);
      return;
    }
    const o = node as Record<string, unknown>;
    if (typeof o.default === 'string') {
      // Imports make English the `default` text; without English, `default` repeats the base language's.
      if (o.default !== o[base]) sawDefault = true;
      for (const [k, v] of Object.entries(o))
        if (k !== 'default' && typeof v === 'string' && CODE.test(k.toLowerCase()))
          found.add(k.toLowerCase());
      return;
    }
    for (const v of Object.values(o)) visit(v, depth + 1);
  };
  visit(json, 0);
  if (sawDefault) found.add('en');
  return [...found].slice(0, 20);
}
