import type { Kysely } from 'kysely';
import { surveySource } from '../instrument/survey-source.js';
import type { CairnetDatabase } from '../store/schema.js';
import type { Language } from './population-import.js';
import { readPressContactFile } from './press-config.js';

/**
 * The words of press contact requests that belong to a survey (who the press office is, what
 * the survey is called): from `instruments/<source>/press-contact.json` (same keys, by
 * language), else the neutral ones below. `{{handle}}` in `sharedSubject` is the respondent's
 * handle. Its `search` part is read by press-config.ts.
 */
export interface PressTexts {
  /** Subject of the request relayed to the respondent. */
  requestSubject: string;
  /** Its first paragraph, before the press officer's text. */
  requestIntro: string;
  signature: string;
  /** The answer page's sentence before the press officer's text. */
  answerIntro: string;
  /** Subject of the message telling the press officer the respondent accepted. */
  sharedSubject: string;
}

const KEYS = ['requestSubject', 'requestIntro', 'signature', 'answerIntro', 'sharedSubject'] as const;

const DEFAULTS: Record<Language, PressTexts> = {
  fr: {
    requestSubject: 'Enquête : le service de presse souhaite vous contacter',
    requestIntro:
      'Dans vos réponses à l’enquête, vous avez accepté d’être contacté(e) par le service de presse. Il vous transmet la demande suivante :',
    signature: 'L’équipe de l’enquête',
    answerIntro: 'Le service de presse souhaite vous contacter au sujet de l’enquête :',
    sharedSubject: 'Enquête : {{handle}} a accepté votre demande de contact',
  },
  en: {
    requestSubject: 'Survey: the press office would like to contact you',
    requestIntro:
      'In your answers to the survey, you agreed to be contacted by the press office. It sends you the following request:',
    signature: 'The survey team',
    answerIntro: 'The press office would like to contact you about the survey:',
    sharedSubject: 'Survey: {{handle}} accepted your contact request',
  },
};

/** A survey's press contact texts in both languages: its own file's, else the neutral ones. */
export async function pressTexts(
  db: Kysely<CairnetDatabase>,
  survey: string,
): Promise<Record<Language, PressTexts>> {
  const own = readPressContactFile(await surveySource(db, survey)) as Partial<
    Record<Language, Partial<PressTexts>>
  >;
  const out = {} as Record<Language, PressTexts>;
  for (const language of ['fr', 'en'] as const) {
    const texts = { ...DEFAULTS[language] };
    for (const key of KEYS) {
      const v = own[language]?.[key];
      if (typeof v === 'string' && v.trim() !== '') texts[key] = v;
    }
    out[language] = texts;
  }
  return out;
}
