import { existsSync, readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { surveyDirectory, surveySource } from '../instrument/survey-source.js';
import { readCampaignTexts } from '../store/repositories/campaign-texts.js';
import type { CairnetDatabase } from '../store/schema.js';

/**
 * A survey's message texts: the invitation, the reminder and the thank-you, each a subject and a
 * body by language, and three values written once and used in them: the deadline, the contact
 * person and the signature. Each is looked for in the store (edited on the page
 * `/admin/campaign/messages`), then in the survey's files (`instruments/<source>/mail.json`,
 * same shape as {@link MessageFile}), then in the neutral defaults below.
 *
 * Texts are plain text with placeholders `{{name}}`; blank lines separate paragraphs. The opt-out
 * line is added under every message and cannot be edited away.
 */
export const MESSAGE_KINDS = ['invitation', 'reminder', 'thanks'] as const;
export type TextKind = (typeof MESSAGE_KINDS)[number];
/** The values written once per language and placed in the texts by their placeholder. */
export const MESSAGE_VALUES = ['deadline', 'contact', 'signature'] as const;
export type MessageValue = (typeof MESSAGE_VALUES)[number];
export const MESSAGE_LANGUAGES = ['fr', 'en'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

/** The placeholders a text may use, and what each becomes (in the page's language). */
export const PLACEHOLDERS = {
  greeting: {
    fr: 'la formule d’appel, avec le nom de la personne s’il est connu (« Bonjour Anne Martin, »)',
    en: 'the greeting, with the person’s name when known (“Dear Anne Martin,”)',
  },
  name: { fr: 'le nom de la personne (vide s’il est inconnu)', en: 'the person’s name (empty when unknown)' },
  link: {
    fr: 'le lien personnel vers le questionnaire (obligatoire dans l’invitation et la relance)',
    en: 'the personal link to the questionnaire (required in the invitation and the reminder)',
  },
  deadline: { fr: 'la date limite de réponse (ci-dessous)', en: 'the deadline to answer (below)' },
  contact: { fr: 'la personne à contacter (ci-dessous)', en: 'the contact person (below)' },
  signature: { fr: 'la signature (ci-dessous)', en: 'the signature (below)' },
} as const;
export type Placeholder = keyof typeof PLACEHOLDERS;

export interface MessageText {
  subject: string;
  body: string;
}

/** One language's texts, complete. */
export interface LanguageMessages {
  texts: Record<TextKind, MessageText>;
  values: Record<MessageValue, string>;
}

/** Where each text came from: what the page shows beside it. */
export type TextOrigin = 'stored' | 'survey' | 'default';

export interface ResolvedMessages {
  messages: Record<MessageLanguage, LanguageMessages>;
  origins: Record<MessageLanguage, Record<TextKind | MessageValue, TextOrigin>>;
}

/** `instruments/<source>/mail.json`: any of a language's texts and values. */
export type MessageFile = Partial<
  Record<MessageLanguage, Partial<Record<TextKind, Partial<MessageText>> & Record<MessageValue, string>>>
>;

const DEFAULTS: Record<MessageLanguage, LanguageMessages> = {
  fr: {
    texts: {
      invitation: {
        subject: 'Invitation à répondre à une enquête',
        body: [
          '{{greeting}}',
          'Vous êtes invité(e) à répondre à une enquête. Le questionnaire ne prend que quelques minutes.',
          'Répondre au questionnaire : {{link}}',
          'Ce lien est personnel : ne le transmettez pas. Vos réponses sont conservées séparément de votre identité.',
          '{{signature}}',
        ].join('\n\n'),
      },
      reminder: {
        subject: 'Rappel : votre réponse à l’enquête compte',
        body: [
          '{{greeting}}',
          'Vous n’avez pas encore répondu à l’enquête. Votre réponse compte ; si vous avez commencé le questionnaire, vous retrouverez vos réponses.',
          'Répondre au questionnaire : {{link}}',
          'Ce lien est personnel : ne le transmettez pas. Vos réponses sont conservées séparément de votre identité.',
          '{{signature}}',
        ].join('\n\n'),
      },
      thanks: {
        subject: 'Merci de votre réponse',
        body: [
          '{{greeting}}',
          'Merci d’avoir répondu à l’enquête : vos réponses ont bien été enregistrées.',
          '{{signature}}',
        ].join('\n\n'),
      },
    },
    values: { deadline: '', contact: '', signature: 'L’équipe de l’enquête' },
  },
  en: {
    texts: {
      invitation: {
        subject: 'An invitation to answer a survey',
        body: [
          '{{greeting}}',
          'You are invited to answer a survey. The questionnaire takes only a few minutes.',
          'Answer the questionnaire: {{link}}',
          'This link is personal: please do not forward it. Your answers are kept apart from your identity.',
          '{{signature}}',
        ].join('\n\n'),
      },
      reminder: {
        subject: 'Reminder: your answer to the survey counts',
        body: [
          '{{greeting}}',
          'You have not yet answered the survey. Your answer counts; if you started the questionnaire, your answers are still there.',
          'Answer the questionnaire: {{link}}',
          'This link is personal: please do not forward it. Your answers are kept apart from your identity.',
          '{{signature}}',
        ].join('\n\n'),
      },
      thanks: {
        subject: 'Thank you for your answer',
        body: [
          '{{greeting}}',
          'Thank you for answering the survey: your answers have been recorded.',
          '{{signature}}',
        ].join('\n\n'),
      },
    },
    values: { deadline: '', contact: '', signature: 'The survey team' },
  },
};

const SUBJECT_MAX = 200;
const BODY_MAX = 10_000;
const VALUE_MAX = 500;
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholders a text uses, in order (unknown ones included). */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

const where = (language: string, field: string) => `${field} (${language})`;

/**
 * Checks one language's texts before they are stored: every placeholder known (else
 * `CAIRNET_MESSAGE_PLACEHOLDER_UNKNOWN`, naming it and the known ones), the personal link in
 * the invitation's and reminder's bodies and never in a subject, subjects on one line, nothing
 * empty or too long (`CAIRNET_MESSAGE_TEXT_INVALID`). Values hold no placeholder.
 */
export function checkLanguageMessages(language: MessageLanguage, m: LanguageMessages): void {
  const known = Object.keys(PLACEHOLDERS);
  const invalid = (message: string) => cairnetError('CAIRNET_MESSAGE_TEXT_INVALID', message);
  for (const kind of MESSAGE_KINDS) {
    const { subject, body } = m.texts[kind];
    for (const [field, text] of [
      [`${kind} subject`, subject],
      [`${kind} body`, body],
    ] as const) {
      const unknown = placeholdersIn(text).find((p) => !known.includes(p));
      if (unknown !== undefined) {
        throw cairnetError(
          'CAIRNET_MESSAGE_PLACEHOLDER_UNKNOWN',
          `Unknown placeholder {{${unknown}}} in the ${where(language, field)}; use one of ${known.map((k) => `{{${k}}}`).join(', ')}`,
          { language, field, placeholder: unknown, known },
        );
      }
    }
    if (subject.trim() === '' || body.trim() === '') throw invalid(`The ${where(language, kind)} is empty`);
    if (/[\r\n]/.test(subject) || subject.length > SUBJECT_MAX) {
      throw invalid(
        `The ${where(language, `${kind} subject`)} must be one line of ${SUBJECT_MAX} characters at most`,
      );
    }
    if (body.length > BODY_MAX)
      throw invalid(`The ${where(language, `${kind} body`)} is longer than ${BODY_MAX} characters`);
    if (placeholdersIn(subject).includes('link')) {
      throw invalid(`The personal link goes in the body, not in the ${where(language, `${kind} subject`)}`);
    }
    if (kind !== 'thanks' && !placeholdersIn(body).includes('link')) {
      throw invalid(`The ${where(language, `${kind} body`)} must hold the personal link: {{link}}`);
    }
  }
  for (const value of MESSAGE_VALUES) {
    const v = m.values[value];
    if (v.length > VALUE_MAX)
      throw invalid(`The ${where(language, value)} is longer than ${VALUE_MAX} characters`);
    if (placeholdersIn(v).length > 0)
      throw invalid(`The ${where(language, value)} cannot hold a placeholder`);
  }
}

/** A survey's `mail.json`, or nothing. */
export function readMessageFile(source: string | null): MessageFile {
  if (source === null || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(source)) return {};
  const path = `${surveyDirectory(source)}mail.json`;
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as MessageFile) : {};
}

/** A survey's texts: stored, else from its files, else the defaults; with where each came from. */
export async function resolveMessages(
  db: Kysely<CairnetDatabase>,
  survey: string,
): Promise<ResolvedMessages> {
  const file = readMessageFile(await surveySource(db, survey));
  const stored = await readCampaignTexts(db, survey);
  const messages = {} as ResolvedMessages['messages'];
  const origins = {} as ResolvedMessages['origins'];
  for (const language of MESSAGE_LANGUAGES) {
    const own = file[language] ?? {};
    const base = DEFAULTS[language];
    const row = (kind: string) => stored.find((s) => s.language === language && s.kind === kind);
    const o = {} as Record<TextKind | MessageValue, TextOrigin>;
    const texts = {} as LanguageMessages['texts'];
    for (const kind of MESSAGE_KINDS) {
      const r = row(kind);
      const f = own[kind];
      o[kind] = r ? 'stored' : f?.subject || f?.body ? 'survey' : 'default';
      texts[kind] = {
        subject: r?.subject ?? f?.subject ?? base.texts[kind].subject,
        body: r?.body ?? f?.body ?? base.texts[kind].body,
      };
    }
    const values = {} as LanguageMessages['values'];
    for (const value of MESSAGE_VALUES) {
      const r = row(value);
      const f = own[value];
      o[value] = r ? 'stored' : typeof f === 'string' ? 'survey' : 'default';
      values[value] = r?.body ?? (typeof f === 'string' ? f : base.values[value]);
    }
    messages[language] = { texts, values };
    origins[language] = o;
  }
  return { messages, origins };
}

/** The neutral texts (a survey without its own). */
export function defaultMessages(language: MessageLanguage): LanguageMessages {
  return DEFAULTS[language];
}
