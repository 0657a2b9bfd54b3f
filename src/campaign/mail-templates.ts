import { type LanguageMessages, PLACEHOLDERS, type TextKind } from './message-texts.js';
import type { Language } from './population-import.js';

/** What a sending round sends. */
export type MessageKind = Exclude<TextKind, 'thanks'>;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface MailContext {
  /** The survey's texts in the person's language (src/campaign/message-texts.ts). */
  messages: LanguageMessages;
  kind: TextKind;
  language: Language;
  name: string | null;
  /** The personal link (empty for the thank-you). */
  link: string;
  /** The opt-out link, under every message; none for a message that is not a campaign's. */
  optOutLink: string | null;
}

const FIXED = {
  fr: {
    hello: (n: string | null) => (n ? `Bonjour ${n},` : 'Bonjour,'),
    optOut: 'Pour ne plus recevoir de message sur cette enquête :',
  },
  en: {
    hello: (n: string | null) => (n ? `Dear ${n},` : 'Hello,'),
    optOut: 'To receive no more messages about this survey:',
  },
} as const;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
  );
}

/** Replaces each `{{placeholder}}` by its value (the texts were checked: all are known). */
function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (all, key: string) =>
    Object.hasOwn(PLACEHOLDERS, key) ? (values[key] ?? '') : all,
  );
}

/**
 * A message in the person's language, as text and as HTML (every value escaped; the personal
 * link made a link), with the opt-out line under it.
 */
export function renderMail(ctx: MailContext): RenderedMail {
  const fixed = FIXED[ctx.language];
  // A name from the population file is untrusted: keep it on one line, without control characters.
  const name = ctx.name ? ctx.name.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').trim() || null : null;
  const { values } = ctx.messages;
  const placeholders = {
    greeting: fixed.hello(name),
    name: name ?? '',
    link: ctx.link,
    deadline: values.deadline,
    contact: values.contact,
    signature: values.signature,
  };
  const t = ctx.messages.texts[ctx.kind];
  const subject = fill(t.subject, placeholders).replace(/\s+/g, ' ').trim();
  const body = fill(t.body.replace(/\r\n?/g, '\n'), placeholders).trim();
  const footer = ctx.optOutLink ? `\n\n--\n${fixed.optOut} ${ctx.optOutLink}` : '';
  const text = `${body}${footer}\n`;
  const e = escapeHtml;
  const linked = (s: string) =>
    ctx.link ? s.split(e(ctx.link)).join(`<a href="${e(ctx.link)}">${e(ctx.link)}</a>`) : s;
  const paragraphs = body
    .split(/\n{2,}/)
    .map((p) => `<p>${linked(e(p)).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const html = `<!doctype html>
<html lang="${ctx.language}"><head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">
${paragraphs}
${ctx.optOutLink ? `<hr>\n<p style="font-size: .85em; color: #555">${e(fixed.optOut)} <a href="${e(ctx.optOutLink)}">${e(ctx.optOutLink)}</a></p>\n` : ''}</body></html>
`;
  return { subject, text, html };
}
