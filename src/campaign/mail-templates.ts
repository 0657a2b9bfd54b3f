import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Language } from './population-import.js';

export type MessageKind = 'invitation' | 'reminder';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * A survey's own wording of its e-mails (`instruments/<source>/mail.json`): subjects, bodies and
 * signature by language, replacing the neutral ones below.
 */
export type MailTexts = Partial<
  Record<
    Language,
    {
      subject?: Partial<Record<MessageKind, string>>;
      body?: Partial<Record<MessageKind, string>>;
      signature?: string;
    }
  >
>;

export interface MailContext {
  /** The survey's wording; the neutral one without. */
  texts?: MailTexts | undefined;
  kind: MessageKind;
  language: Language;
  name: string | null;
  link: string;
  optOutLink: string;
}

const TEXT = {
  fr: {
    subject: {
      invitation: 'Invitation à répondre à une enquête',
      reminder: 'Rappel : votre réponse à l’enquête compte',
    },
    hello: (n: string | null) => (n ? `Bonjour ${n},` : 'Bonjour,'),
    body: {
      invitation:
        'Vous êtes invité(e) à répondre à une enquête. Le questionnaire ne prend que quelques minutes.',
      reminder:
        'Vous n’avez pas encore répondu à l’enquête. Votre réponse compte ; si vous avez commencé le questionnaire, vous retrouverez vos réponses.',
    },
    cta: 'Répondre au questionnaire',
    personal:
      'Ce lien est personnel : ne le transmettez pas. Vos réponses sont conservées séparément de votre identité.',
    optOut: 'Pour ne plus recevoir de message sur cette enquête :',
    signature: 'L’équipe de l’enquête',
  },
  en: {
    subject: {
      invitation: 'An invitation to answer a survey',
      reminder: 'Reminder: your answer to the survey counts',
    },
    hello: (n: string | null) => (n ? `Dear ${n},` : 'Hello,'),
    body: {
      invitation: 'You are invited to answer a survey. The questionnaire takes only a few minutes.',
      reminder:
        'You have not yet answered the survey. Your answer counts; if you started the questionnaire, your answers are still there.',
    },
    cta: 'Answer the questionnaire',
    personal:
      'This link is personal: please do not forward it. Your answers are kept apart from your identity.',
    optOut: 'To receive no more messages about this survey:',
    signature: 'The survey team',
  },
} as const;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
  );
}

/** The invitation or reminder in the person's language, as text and as HTML (every value escaped). */
export function renderMail(ctx: MailContext): RenderedMail {
  const base = TEXT[ctx.language];
  const own = ctx.texts?.[ctx.language];
  const t = {
    ...base,
    subject: { ...base.subject, ...own?.subject },
    body: { ...base.body, ...own?.body },
    signature: own?.signature ?? base.signature,
  };
  // A name from the population file is untrusted: keep it on one line, without control characters.
  const name = ctx.name ? ctx.name.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').trim() || null : null;
  const subject = t.subject[ctx.kind];
  const text = [
    t.hello(name),
    '',
    t.body[ctx.kind],
    '',
    `${t.cta}${ctx.language === 'fr' ? ' :' : ':'} ${ctx.link}`,
    '',
    t.personal,
    '',
    t.signature,
    '',
    '--',
    `${t.optOut} ${ctx.optOutLink}`,
    '',
  ].join('\n');
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="${ctx.language}"><head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">
<p>${e(t.hello(name))}</p>
<p>${e(t.body[ctx.kind])}</p>
<p><a href="${e(ctx.link)}" style="display: inline-block; padding: .6em 1.2em; background: #1b4f8a; color: #fff; text-decoration: none; border-radius: 4px">${e(t.cta)}</a></p>
<p style="font-size: .9em">${e(ctx.link)}</p>
<p>${e(t.personal)}</p>
<p>${e(t.signature)}</p>
<hr>
<p style="font-size: .85em; color: #555">${e(t.optOut)} <a href="${e(ctx.optOutLink)}">${e(ctx.optOutLink)}</a></p>
</body></html>
`;
  return { subject, text, html };
}

/** A survey's e-mail wording from `instruments/<source>/mail.json`, or none (the neutral one). */
export function readMailTexts(source: string | null): MailTexts | undefined {
  if (source === null || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(source)) return undefined;
  const path = fileURLToPath(new URL(`../../instruments/${source}/mail.json`, import.meta.url));
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as MailTexts) : undefined;
}
