import type { Language } from './population-import.js';

export type MessageKind = 'invitation' | 'reminder';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface MailContext {
  kind: MessageKind;
  language: Language;
  name: string | null;
  link: string;
  optOutLink: string;
}

const TEXT = {
  fr: {
    subject: {
      invitation: 'Enquête Cairnet : chercheurs et associations de malades',
      reminder: 'Rappel : enquête Cairnet, votre avis compte',
    },
    hello: (n: string | null) => (n ? `Bonjour ${n},` : 'Bonjour,'),
    body: {
      invitation:
        "À la demande de son groupe de réflexion avec les associations de malades (GRAM), l'Inserm interroge l'ensemble des chercheurs rattachés à l'Inserm ou travaillant dans ses laboratoires sur leurs relations avec les associations de malades. Le questionnaire prend une dizaine de minutes.",
      reminder:
        "Vous n'avez pas encore répondu à l'enquête Cairnet sur les relations entre chercheurs et associations de malades. Votre réponse compte, même si vous n'avez jamais eu de contact avec une association. Le questionnaire prend une dizaine de minutes ; si vous l'avez commencé, vous retrouverez vos réponses.",
    },
    cta: 'Répondre au questionnaire',
    personal:
      'Ce lien est personnel : ne le transmettez pas. Vos réponses sont conservées séparément de votre identité.',
    optOut: 'Pour ne plus recevoir de message sur cette enquête :',
    signature: "L'équipe de l'enquête Cairnet, Inserm",
  },
  en: {
    subject: {
      invitation: 'Cairnet survey: researchers and patient associations',
      reminder: 'Reminder: the Cairnet survey, your answer counts',
    },
    hello: (n: string | null) => (n ? `Dear ${n},` : 'Hello,'),
    body: {
      invitation:
        'At the request of its think-tank with patient associations (GRAM), Inserm is asking every researcher attached to Inserm or working in its laboratories about their relations with patient associations. The questionnaire takes about ten minutes.',
      reminder:
        'You have not yet answered the Cairnet survey on relations between researchers and patient associations. Your answer counts, even if you have never been in touch with an association. The questionnaire takes about ten minutes; if you started it, your answers are still there.',
    },
    cta: 'Answer the questionnaire',
    personal:
      'This link is personal: please do not forward it. Your answers are kept apart from your identity.',
    optOut: 'To receive no more messages about this survey:',
    signature: 'The Cairnet survey team, Inserm',
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
  const t = TEXT[ctx.language];
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
