import { escapeHtml, type RenderedMail } from './mail-templates.js';
import type { Language } from './population-import.js';
import type { PressTexts } from './press-texts.js';

/** Untrusted text on its lines: control characters (but line breaks) removed. */
function clean(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(/[\p{Cc}\p{Cf}]/gu, (c) => (c === '\n' ? c : ' '));
}

const REQUEST = {
  fr: {
    hello: (n: string | null) => (n ? `Bonjour ${n},` : 'Bonjour,'),
    nothing:
      'Votre adresse ne lui a pas été communiquée. Si vous acceptez, elle lui sera transmise par e-mail ; si vous refusez, il ne saura rien de vous.',
    cta: 'Répondre à cette demande (accepter ou refuser)',
  },
  en: {
    hello: (n: string | null) => (n ? `Dear ${n},` : 'Hello,'),
    nothing:
      'Your address has not been given to it. If you accept, it will be sent to the press office by e-mail; if you decline, it will learn nothing about you.',
    cta: 'Answer this request (accept or decline)',
  },
} as const;

/** The contact request as the respondent receives it: the press officer's text, escaped. */
export function renderContactRequest(ctx: {
  /** The survey's own words (src/campaign/press-texts.ts), in the respondent's language. */
  texts: PressTexts;
  language: Language;
  name: string | null;
  message: string;
  link: string;
}): RenderedMail {
  const t = {
    ...REQUEST[ctx.language],
    ...ctx.texts,
    subject: ctx.texts.requestSubject,
    intro: ctx.texts.requestIntro,
  };
  const name = ctx.name ? ctx.name.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').trim() || null : null;
  const message = clean(ctx.message);
  const quoted = message
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
  const colon = ctx.language === 'fr' ? ' :' : ':';
  const text = [
    t.hello(name),
    '',
    t.intro,
    '',
    quoted,
    '',
    t.nothing,
    '',
    `${t.cta}${colon} ${ctx.link}`,
    '',
    t.signature,
    '',
  ].join('\n');
  const e = escapeHtml;
  const paragraphs = message
    .split(/\n{2,}/)
    .map((p) => `<p>${e(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const html = `<!doctype html>
<html lang="${ctx.language}"><head><meta charset="utf-8"><title>${e(t.subject)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">
<p>${e(t.hello(name))}</p>
<p>${e(t.intro)}</p>
<blockquote style="border-left: 3px solid #1b4f8a; margin-left: 0; padding-left: 1em">
${paragraphs}
</blockquote>
<p>${e(t.nothing)}</p>
<p><a href="${e(ctx.link)}">${e(t.cta)}</a></p>
<p style="font-size: .9em">${e(ctx.link)}</p>
<p>${e(t.signature)}</p>
</body></html>
`;
  return { subject: t.subject, text, html };
}

/** What the press officer receives once a respondent accepted: their address, and the request. */
export function renderContactShared(ctx: {
  /** The survey's own words, in English (the press office's language). */
  texts: PressTexts;
  handle: string;
  name: string | null;
  email: string;
  message: string;
}): RenderedMail {
  const name = ctx.name ? ctx.name.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').trim() || null : null;
  const who = name ? `${name} <${ctx.email}>` : ctx.email;
  const subject = ctx.texts.sharedSubject.replaceAll('{{handle}}', ctx.handle);
  const intro = `The respondent ${ctx.handle} accepted your contact request. You may now write to them directly:`;
  const text = [
    intro,
    '',
    `  ${who}`,
    '',
    'Your request was:',
    '',
    ...clean(ctx.message)
      .split('\n')
      .map((l) => `> ${l}`),
    '',
    ctx.texts.signature,
    '',
  ].join('\n');
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">
<p>${e(intro)}</p>
<p><strong>${e(who)}</strong></p>
<p>Your request was:</p>
<blockquote>${e(clean(ctx.message)).replace(/\n/g, '<br>')}</blockquote>
<p>${e(ctx.texts.signature)}</p>
</body></html>
`;
  return { subject, text, html };
}
