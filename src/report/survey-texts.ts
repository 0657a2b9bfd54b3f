import type { SurveyTexts } from '../instrument/survey-texts.js';
import type { Lang } from './number-format.js';
import { TEXT } from './report-text.js';

export type { SurveyTexts } from '../instrument/survey-texts.js';

/** The words of the outputs in a language, a survey's own replacing the neutral ones. */
export function textFor(lang: Lang, texts?: SurveyTexts): (typeof TEXT)['fr'] {
  return { ...TEXT[lang], ...(texts?.[lang] ?? {}) } as (typeof TEXT)['fr'];
}
