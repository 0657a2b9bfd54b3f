import type { FastifyInstance } from 'fastify';
import { checkSurveyName, readSettings } from '../../campaign/campaign-settings.js';
import type { MailConfig } from '../../campaign/mail-config.js';
import { renderMail } from '../../campaign/mail-templates.js';
import {
  checkLanguageMessages,
  type LanguageMessages,
  MESSAGE_KINDS,
  MESSAGE_LANGUAGES,
  MESSAGE_VALUES,
  type MessageLanguage,
  PLACEHOLDERS,
  resolveMessages,
  type TextKind,
} from '../../campaign/message-texts.js';
import { createTransport, type MailTransport } from '../../campaign/send-campaign.js';
import { cairnetError } from '../../errors.js';
import { escapeHtml } from '../../report/html.js';
import type { Store } from '../../store/open-store.js';
import { campaignSurveyNames } from '../../store/repositories/campaign-settings.js';
import { saveCampaignTexts } from '../../store/repositories/campaign-texts.js';
import { currentInstrument } from '../../store/repositories/instruments.js';
import { recordAudit } from '../../store/repositories/users.js';
import { chosenSurvey, type Lang, langOf, studioPage, surveyChoice } from './layout.js';

const T = {
  fr: {
    title: 'Messages',
    placeholders: 'Ce que les textes peuvent contenir',
    placeholder: 'Champ',
    meaning: 'Remplacé par',
    hint: 'Les paragraphes sont séparés par une ligne vide. La ligne de désinscription est ajoutée sous chaque message.',
    texts: { fr: 'Textes en français', en: 'Textes en anglais' },
    kinds: { invitation: 'Invitation', reminder: 'Relance', thanks: 'Remerciement' },
    values: { deadline: 'Date limite', contact: 'Personne à contacter', signature: 'Signature' },
    subject: 'Objet',
    body: 'Texte',
    origin: { stored: 'modifié par l’équipe', survey: 'texte de l’enquête', default: 'texte par défaut' },
    save: 'Enregistrer ces textes',
    which: 'Message',
    preview: 'Aperçu',
    test: 'M’envoyer un test',
    thanksOn:
      'Le remerciement part seul vers chaque personne invitée qui termine le questionnaire, une fois (en mode anonyme, le lendemain, avec ceux du jour), sauf si elle s’est désinscrite. Pour ne plus l’envoyer :',
    thanksOff:
      'Le remerciement n’est pas envoyé pour cette enquête. Pour l’envoyer après chaque questionnaire terminé :',
  },
  en: {
    title: 'Messages',
    placeholders: 'What the texts may hold',
    placeholder: 'Placeholder',
    meaning: 'Replaced by',
    hint: 'Paragraphs are separated by a blank line. The opt-out line is added under every message.',
    texts: { fr: 'French texts', en: 'English texts' },
    kinds: { invitation: 'Invitation', reminder: 'Reminder', thanks: 'Thank-you' },
    values: { deadline: 'Deadline', contact: 'Contact person', signature: 'Signature' },
    subject: 'Subject',
    body: 'Text',
    origin: { stored: 'edited by the team', survey: 'the survey’s text', default: 'default text' },
    save: 'Save these texts',
    which: 'Message',
    preview: 'Preview',
    test: 'Send a test to myself',
    thanksOn:
      'The thank-you goes by itself to each invited person who completes the questionnaire, once (in anonymous mode the next day, with the day’s others), unless they opted out. To stop sending it:',
    thanksOff: 'The thank-you is not sent for this survey. To send it after each completed questionnaire:',
  },
} as const;

const MESSAGES = {
  fr: {
    saved: 'Enregistré.',
    refused: 'Refusé :',
    sent: 'Message de test envoyé à {to}.',
    subject: 'Objet :',
  },
  en: { saved: 'Saved.', refused: 'Refused:', sent: 'Test message sent to {to}.', subject: 'Subject:' },
};

const survey = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' } as const;
const text = { type: 'string', maxLength: 20_000 } as const;
const subjectBody = {
  type: 'object',
  additionalProperties: false,
  required: ['subject', 'body'],
  properties: { subject: text, body: text },
} as const;
const languageTexts = {
  texts: {
    type: 'object',
    additionalProperties: false,
    required: [...MESSAGE_KINDS],
    properties: Object.fromEntries(MESSAGE_KINDS.map((k) => [k, subjectBody])),
  },
  values: {
    type: 'object',
    additionalProperties: false,
    required: [...MESSAGE_VALUES],
    properties: Object.fromEntries(MESSAGE_VALUES.map((v) => [v, text])),
  },
} as const;
const saveBody = {
  type: 'object',
  additionalProperties: false,
  required: ['instrument', 'language', 'texts', 'values'],
  properties: { instrument: survey, language: { enum: [...MESSAGE_LANGUAGES] }, ...languageTexts },
} as const;
const renderBody = {
  type: 'object',
  additionalProperties: false,
  required: ['instrument', 'language', 'kind'],
  properties: {
    instrument: survey,
    language: { enum: [...MESSAGE_LANGUAGES] },
    kind: { enum: [...MESSAGE_KINDS] },
    ...languageTexts,
  },
} as const;

interface RenderRequest {
  instrument: string;
  language: MessageLanguage;
  kind: TextKind;
  texts?: LanguageMessages['texts'];
  values?: LanguageMessages['values'];
}

/** A message as a person would get it, with an example name and links that open nothing. */
function sample(messages: LanguageMessages, r: RenderRequest, base: string) {
  return renderMail({
    messages,
    kind: r.kind,
    language: r.language,
    name: 'Anne Martin',
    link: r.kind === 'thanks' ? '' : `${base}/i/EXAMPLE-LINK`,
    optOutLink: `${base}/optout/EXAMPLE-LINK`,
  });
}

/**
 * The survey's message texts (`/admin/campaign/messages?instrument=NAME`, admin): the
 * invitation, reminder and thank-you in each language with their deadline, contact person and
 * signature, edited, checked (placeholders, personal link), previewed and sent as a test to the
 * logged-in member. Routes: `GET|PUT /api/admin/campaign/messages`,
 * `POST /api/admin/campaign/messages/preview` and `/test` (CSRF and the audit log as every
 * state-changing route).
 */
export function messagesPage(
  app: FastifyInstance,
  deps: { store: Store; mailConfig: () => MailConfig; transport?: MailTransport },
): void {
  const { db } = deps.store;
  const known = async (name: string) => {
    checkSurveyName(name);
    if (!(await currentInstrument(db, name))) {
      throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${name}"`);
    }
    return name;
  };

  app.get<{ Querystring: { instrument?: string } }>(
    '/api/admin/campaign/messages',
    { config: { roles: ['admin'] } },
    async (req) => {
      const name = await known(req.query.instrument ?? 'cairnet');
      const r = await resolveMessages(db, name);
      return { instrument: name, placeholders: Object.keys(PLACEHOLDERS), ...r };
    },
  );

  app.put<{ Body: { instrument: string; language: MessageLanguage } & LanguageMessages }>(
    '/api/admin/campaign/messages',
    { schema: { body: saveBody }, config: { roles: ['admin'] } },
    async (req) => {
      const { instrument, language, texts, values } = req.body;
      await known(instrument);
      checkLanguageMessages(language, { texts, values });
      await saveCampaignTexts(
        db,
        instrument,
        language,
        [
          ...MESSAGE_KINDS.map((kind) => ({ kind, ...texts[kind] })),
          ...MESSAGE_VALUES.map((kind) => ({ kind, subject: '', body: values[kind] })),
        ],
        req.session!.user.id,
      );
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'campaign.messages',
        target: instrument,
        detail: language,
      });
      return { instrument, ...(await resolveMessages(db, instrument)) };
    },
  );

  /** The texts sent, checked, else the stored ones. */
  const textsFor = async (r: RenderRequest): Promise<LanguageMessages> => {
    await known(r.instrument);
    if (r.texts && r.values) {
      const m = { texts: r.texts, values: r.values };
      checkLanguageMessages(r.language, m);
      return m;
    }
    return (await resolveMessages(db, r.instrument)).messages[r.language];
  };
  const base = () => {
    try {
      return deps.mailConfig().publicUrl;
    } catch {
      return 'https://example.org';
    }
  };

  app.post<{ Body: RenderRequest }>(
    '/api/admin/campaign/messages/preview',
    { schema: { body: renderBody }, config: { roles: ['admin'] } },
    async (req) => sample(await textsFor(req.body), req.body, base()),
  );

  app.post<{ Body: RenderRequest }>(
    '/api/admin/campaign/messages/test',
    { schema: { body: renderBody }, config: { roles: ['admin'] } },
    async (req) => {
      const messages = await textsFor(req.body);
      const config = deps.mailConfig();
      const mail = sample(messages, req.body, config.publicUrl);
      const to = req.session!.user.email;
      const transport = deps.transport ?? createTransport(config);
      try {
        await transport.sendMail({
          from: config.from,
          to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
        });
      } catch (e) {
        throw cairnetError(
          'CAIRNET_MAIL_UNREACHABLE',
          `The test message was not sent: ${(e as Error).message}`,
        );
      } finally {
        if (!deps.transport) transport.close?.();
      }
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'campaign.messages.test',
        target: req.body.instrument,
        detail: `${req.body.kind} ${req.body.language}`,
      });
      return { sent: true, to, subject: mail.subject };
    },
  );

  app.get<{ Querystring: { instrument?: string; lang?: string } }>(
    '/admin/campaign/messages',
    { config: { roles: ['admin'] } },
    async (req, reply) => {
      const lang = langOf(req.query);
      const names = await campaignSurveyNames(db);
      const asked = req.query.instrument;
      const selected = chosenSurvey(names, asked);
      const resolved = await resolveMessages(db, selected);
      const { thanks } = await readSettings(db, selected);
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      return studioPage({
        lang,
        active: 'messages',
        title: T[lang].title,
        path: '/admin/campaign/messages',
        who: req.session!.user.email,
        role: req.session!.user.role,
        query: req.query,
        scripts: ['/assets/studio-messages.js'],
        messages: MESSAGES[lang],
        body: pageBody(lang, names, selected, resolved, thanks),
      });
    },
  );
}

function pageBody(
  lang: Lang,
  names: string[],
  selected: string,
  resolved: Awaited<ReturnType<typeof resolveMessages>>,
  thanks: boolean,
): string {
  const t = T[lang];
  const e = escapeHtml;
  const placeholders = Object.entries(PLACEHOLDERS)
    .map(([k, v]) => `<tr><th scope="row"><code>{{${k}}}</code></th><td>${e(v[lang])}</td></tr>`)
    .join('');
  const sections = MESSAGE_LANGUAGES.map((language) => {
    const m = resolved.messages[language];
    const origin = resolved.origins[language];
    const id = (s: string) => `${language}-${s.replace('.', '-')}`;
    const note = (k: keyof typeof origin) => `<span class="origin">(${e(t.origin[origin[k]])})</span>`;
    const kinds = MESSAGE_KINDS.map(
      (k) => `<fieldset><legend>${t.kinds[k]} ${note(k)}</legend>
<label for="${id(`${k}.subject`)}">${t.subject}</label><input id="${id(`${k}.subject`)}" name="${k}.subject" type="text" maxlength="200" required value="${e(m.texts[k].subject)}">
<label for="${id(`${k}.body`)}">${t.body}</label><textarea id="${id(`${k}.body`)}" name="${k}.body" rows="10" required>${e(m.texts[k].body)}</textarea></fieldset>`,
    ).join('\n');
    const values = MESSAGE_VALUES.map(
      (v) =>
        `<label for="${id(v)}">${t.values[v]} ${note(v)}</label>${
          v === 'signature'
            ? `<textarea id="${id(v)}" name="${v}" rows="3">${e(m.values[v])}</textarea>`
            : `<input id="${id(v)}" name="${v}" type="text" maxlength="500" value="${e(m.values[v])}">`
        }`,
    ).join('\n');
    const which = MESSAGE_KINDS.map((k) => `<option value="${k}">${t.kinds[k]}</option>`).join('');
    return `<section class="card" aria-labelledby="${language}-h" lang="${lang}"><h2 id="${language}-h">${t.texts[language]}</h2>
<form class="messages-form" data-language="${language}" data-instrument="${e(selected)}">
<div lang="${language}">${kinds}
<fieldset><legend>${t.values.deadline}, ${t.values.contact.toLowerCase()}, ${t.values.signature.toLowerCase()}</legend>${values}</fieldset></div>
<button type="submit">${t.save}</button>
<label for="${language}-which">${t.which}</label><select id="${language}-which" name="which">${which}</select>
<button type="button" data-action="preview">${t.preview}</button> <button type="button" data-action="test">${t.test}</button>
</form>
<p class="message" role="status" aria-live="polite"></p>
<div class="preview" hidden><p class="preview-subject"></p><pre class="preview-text"></pre></div></section>`;
  }).join('\n');
  return `${surveyChoice('/admin/campaign/messages', lang, names, selected)}
<section class="card table-wrap" aria-labelledby="ph-h"><h2 id="ph-h">${t.placeholders}</h2><p>${t.hint}</p>
<table><thead><tr><th scope="col">${t.placeholder}</th><th scope="col">${t.meaning}</th></tr></thead><tbody>${placeholders}</tbody></table>
<p id="thanks-state">${thanks ? t.thanksOn : t.thanksOff} <code>cairnet campaign set thanks ${thanks ? 'no' : 'yes'} --instrument ${e(selected)}</code></p></section>
${sections}`;
}
