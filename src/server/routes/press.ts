import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { isWellFormedToken } from '../../campaign/invitation-token.js';
import { type MailConfig, mailConfigFromEnv } from '../../campaign/mail-config.js';
import {
  answerContactRequest,
  contactRequestByToken,
  listContactRequests,
  MESSAGE_MAX,
  sendContactRequest,
} from '../../campaign/press-requests.js';
import { searchPressContacts } from '../../campaign/press-search.js';
import { pressTexts } from '../../campaign/press-texts.js';
import { cairnetError } from '../../errors.js';
import { escapeHtml, page } from '../../report/html.js';
import { currentInstrument } from '../../store/repositories/instruments.js';
import { recordAudit } from '../../store/repositories/users.js';
import type { CairnetDatabase } from '../../store/schema.js';
import { TOKEN_LOOKUP_LIMIT } from '../rate-limits.js';
import { langOf, studioPage } from '../studio/layout.js';

const PRESS_ROLES = ['press', 'admin'] as const;
/** The questions a press search filters on, and the query parameter of each. */
const THEMES = { field: 'field', researchKind: 'research_kind', relation: 'relation' } as const;

const searchQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    field: { type: 'string', maxLength: 64 },
    researchKind: { type: 'string', maxLength: 64 },
    relation: { type: 'string', maxLength: 64 },
    association: { type: 'string', maxLength: 200 },
    instrument: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'cairnet' },
  },
} as const;

const themesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    instrument: searchQuery.properties.instrument,
    lang: { type: 'string', enum: ['fr', 'en'] },
  },
} as const;

const tokenParams = {
  type: 'object',
  properties: { token: { type: 'string', maxLength: 200 } },
  required: ['token'],
} as const;

const ANSWER = {
  fr: {
    title: 'Demande de contact du service de presse',
    choice:
      'Si vous acceptez, votre adresse e-mail lui sera transmise. Si vous refusez, il ne saura rien de vous.',
    accept: 'Accepter : transmettre mon adresse',
    decline: 'Refuser',
    accepted: 'C’est noté : votre adresse a été transmise au service de presse, qui vous écrira directement.',
    acceptedPending:
      'C’est noté : vous avez accepté. L’envoi de votre adresse a échoué pour l’instant ; rouvrez ce lien plus tard pour réessayer.',
    declined: 'C’est noté : vous avez refusé. Le service de presse ne saura rien de vous.',
    invalid: 'Ce lien n’est pas (ou plus) valide.',
  },
  en: {
    title: 'A contact request from the press office',
    choice:
      'If you accept, your e-mail address will be sent to it. If you decline, it will learn nothing about you.',
    accept: 'Accept: send my address',
    decline: 'Decline',
    accepted: 'Done: your address was sent to the press office, which will write to you directly.',
    acceptedPending:
      'Done: you accepted. Sending your address failed for now; open this link again later to retry.',
    declined: 'Done: you declined. The press office will learn nothing about you.',
    invalid: 'This link is not (or no longer) valid.',
  },
} as const;

function answerPage(reply: FastifyReply, status: number, lang: 'fr' | 'en', body: string): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(page({ lang, title: ANSWER[lang].title, body: `<main class="narrow">${body}</main>` }));
}

function localized(v: unknown, lang: 'fr' | 'en'): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const s = o[lang === 'en' ? 'default' : 'fr'] ?? o.default;
    return typeof s === 'string' ? s : '';
  }
  return '';
}

/** The choices (value and label) of the questions a press search filters on. */
function themeChoices(json: unknown, lang: 'fr' | 'en'): Record<string, { value: string; label: string }[]> {
  const out: Record<string, { value: string; label: string }[]> = {};
  const wanted = new Map(Object.entries(THEMES).map(([k, q]) => [q as string, k]));
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const key = typeof o.name === 'string' ? wanted.get(o.name) : undefined;
      if (key && Array.isArray(o.choices)) {
        out[key] = o.choices.map((c) => {
          const value = c && typeof c === 'object' ? String((c as Record<string, unknown>).value) : String(c);
          const label =
            c && typeof c === 'object' ? localized((c as Record<string, unknown>).text, lang) : value;
          return { value, label: label || value };
        });
      }
      for (const k of ['pages', 'elements', 'templateElements']) if (k in o) walk(o[k]);
    }
  };
  walk(json);
  return out;
}

/**
 * Press contacts: the press office searches researchers who agreed to be contacted (handles and
 * search-relevant answers only), relays a request by e-mail, and follows its requests; the
 * researcher answers through a personal link (`/press/answer/TOKEN`). Roles press and admin.
 */
export async function pressRoutes(
  app: FastifyInstance,
  opts: { db: Kysely<CairnetDatabase>; mailConfig?: () => MailConfig },
): Promise<void> {
  const { db } = opts;
  const mailConfig = opts.mailConfig ?? (() => mailConfigFromEnv(process.env));
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 1024 },
    (_r, body, done) => done(null, body),
  );

  app.get<{ Querystring: { instrument: string; lang?: 'fr' | 'en' } }>(
    '/api/admin/press/themes',
    { schema: { querystring: themesQuery }, config: { roles: PRESS_ROLES } },
    async (req) => {
      const stored = await currentInstrument(db, req.query.instrument);
      return stored ? themeChoices(stored.json, req.query.lang ?? 'en') : {};
    },
  );

  app.get<{
    Querystring: {
      field?: string;
      researchKind?: string;
      relation?: string;
      association?: string;
      instrument: string;
    };
  }>(
    '/api/admin/press/contacts',
    { schema: { querystring: searchQuery }, config: { roles: PRESS_ROLES } },
    async (req) => {
      const { instrument, ...search } = req.query;
      const items = await searchPressContacts(db, instrument, search);
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'press.search',
        detail: `${JSON.stringify(req.query)} → ${items.length}`,
      });
      return { items, total: items.length };
    },
  );

  app.get('/api/admin/press/requests', { config: { roles: PRESS_ROLES } }, async (req) => {
    const user = req.session!.user;
    const items = await listContactRequests(db, user.role === 'admin' ? null : user.id);
    await recordAudit(db, { userId: user.id, action: 'press.requests' });
    return { items };
  });

  // The body is checked in the handler, not by a route schema: Fastify validates before the
  // role check (preHandler), and a refusal must not depend on what was sent.
  app.post<{ Body: unknown }>(
    '/api/admin/press/requests',
    { config: { roles: PRESS_ROLES } },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (typeof body.handle !== 'string' || typeof body.message !== 'string') {
        throw cairnetError('CAIRNET_PRESS_REQUEST_INVALID', 'Send {"handle": "R-…", "message": "…"}');
      }
      const view = await sendContactRequest(db, {
        handle: body.handle,
        message: body.message,
        userId: req.session!.user.id,
        config: mailConfig(),
      });
      reply.status(201);
      return view;
    },
  );

  app.get<{ Params: { token: string } }>(
    '/press/answer/:token',
    { schema: { params: tokenParams }, config: TOKEN_LOOKUP_LIMIT },
    async (req, reply) => {
      const { token } = req.params;
      const found = isWellFormedToken(token) ? await contactRequestByToken(db, token) : undefined;
      if (!found) return answerPage(reply, 404, 'fr', `<h1>${escapeHtml(ANSWER.fr.invalid)}</h1>`);
      const t = ANSWER[found.language];
      if (found.state === 'accepted' || found.state === 'declined') {
        return answerPage(
          reply,
          200,
          found.language,
          `<h1>${escapeHtml(t.title)}</h1>
<p>${escapeHtml(found.state === 'accepted' ? t.accepted : t.declined)}</p>`,
        );
      }
      const action = `/press/answer/${token}`;
      const form = (choice: string, label: string) =>
        `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="choice" value="${choice}"><button type="submit">${escapeHtml(label)}</button></form>`;
      return answerPage(
        reply,
        200,
        found.language,
        `<h1>${escapeHtml(t.title)}</h1>
<p>${escapeHtml((await pressTexts(db, found.survey))[found.language].answerIntro)}</p>
<blockquote class="press-message">${escapeHtml(found.message).replace(/\n/g, '<br>')}</blockquote>
<p>${escapeHtml(t.choice)}</p>
${form('accept', t.accept)}
${form('decline', t.decline)}`,
      );
    },
  );

  app.post<{ Params: { token: string }; Body: unknown }>(
    '/press/answer/:token',
    { schema: { params: tokenParams }, config: TOKEN_LOOKUP_LIMIT },
    async (req, reply) => {
      const { token } = req.params;
      const raw = typeof req.body === 'string' ? req.body : '';
      const choice = new URLSearchParams(raw).get('choice');
      const found = isWellFormedToken(token) ? await contactRequestByToken(db, token) : undefined;
      if (!found || (choice !== 'accept' && choice !== 'decline')) {
        return answerPage(
          reply,
          found ? 400 : 404,
          found?.language ?? 'fr',
          `<h1>${escapeHtml(ANSWER.fr.invalid)}</h1>`,
        );
      }
      const t = ANSWER[found.language];
      const r = await answerContactRequest(db, { token, choice, config: mailConfig });
      const text = r?.state === 'declined' ? t.declined : r?.shared ? t.accepted : t.acceptedPending;
      return answerPage(
        reply,
        200,
        found.language,
        `<h1>${escapeHtml(t.title)}</h1><p>${escapeHtml(text)}</p>`,
      );
    },
  );

  app.get<{ Querystring: { lang?: 'fr' | 'en' } }>(
    '/admin/press',
    {
      schema: {
        querystring: { type: 'object', properties: { lang: { type: 'string', enum: ['fr', 'en'] } } },
      },
      config: { roles: PRESS_ROLES },
    },
    async (req, reply) => {
      const lang = langOf(req.query);
      const t = PRESS_PAGE[lang];
      const e = escapeHtml;
      reply.type('text/html; charset=utf-8');
      const any = `<option value="">${e(t.any)}</option>`;
      return studioPage({
        lang,
        active: 'press',
        title: t.title,
        path: '/admin/press',
        query: req.query,
        who: req.session!.user.email,
        role: req.session!.user.role,
        styles: ['/assets/press.css'],
        scripts: ['/assets/press.js'],
        messages: PRESS_MESSAGES[lang],
        body: `<p>${e(t.intro)}</p>
  <section aria-labelledby="search-h"><h2 id="search-h">${e(t.search)}</h2>
    <form id="search">
      <label for="field">${e(t.field)}</label> <select id="field" name="field">${any}</select>
      <label for="researchKind">${e(t.researchKind)}</label> <select id="researchKind" name="researchKind">${any}</select>
      <label for="relation">${e(t.relationLong)}</label> <select id="relation" name="relation">${any}</select>
      <label for="association">${e(t.association)}</label> <input id="association" name="association" maxlength="200">
      <button type="submit">${e(t.search)}</button>
    </form>
    <p id="search-status" role="status" aria-live="polite"></p>
    <div class="table-wrap"><table id="contacts"><thead><tr><th scope="col">${e(t.handle)}</th><th scope="col">${e(t.field)}</th><th scope="col">${e(t.researchKind)}</th><th scope="col">${e(t.relation)}</th><th scope="col">${e(t.associations)}</th><th scope="col">${e(t.lastRequest)}</th><th scope="col">${e(t.contact)}</th></tr></thead><tbody></tbody></table></div>
  </section>
  <section aria-labelledby="request-h"><h2 id="request-h">${e(t.request)}</h2>
    <form id="request">
      <label for="handle">${e(t.handle)}</label> <input id="handle" name="handle" required maxlength="64">
      <label for="message">${e(t.message)}</label>
      <textarea id="message" name="message" rows="6" required minlength="10" maxlength="${MESSAGE_MAX}"></textarea>
      <button type="submit">${e(t.send)}</button>
    </form>
    <p id="request-status" role="status" aria-live="polite"></p>
  </section>
  <section aria-labelledby="requests-h"><h2 id="requests-h">${e(t.requests)}</h2>
    <div class="table-wrap"><table id="requests"><thead><tr><th scope="col">${e(t.handle)}</th><th scope="col">${e(t.sent)}</th><th scope="col">${e(t.state)}</th><th scope="col">${e(t.answered)}</th></tr></thead><tbody></tbody></table></div>
  </section>`,
      });
    },
  );
}

/** The press page's fixed texts, in both languages. */
export const PRESS_PAGE = {
  fr: {
    title: 'Contacts presse',
    intro:
      'Les chercheurs qui ont accepté, dans leurs réponses, d’être contactés par le service de presse. Vous voyez un identifiant et les réponses utiles à la recherche, jamais un nom ni une adresse. Une demande est transmise par e-mail ; l’adresse du chercheur ne vous parvient que s’il accepte.',
    search: 'Rechercher',
    any: '(tous)',
    field: 'Discipline',
    researchKind: 'Type de recherche',
    relationLong: 'Relation avec les associations',
    relation: 'Relation',
    association: 'Association citée',
    associations: 'Associations citées',
    handle: 'Identifiant',
    lastRequest: 'Dernière demande',
    contact: 'Contact',
    request: 'Demande de contact',
    message: 'Message au chercheur',
    send: 'Envoyer la demande',
    requests: 'Demandes envoyées',
    sent: 'Envoyée',
    state: 'État',
    answered: 'Réponse',
  },
  en: {
    title: 'Press contacts',
    intro:
      'Researchers who agreed, in their answers, to be contacted by the press office. You see a handle and the answers that matter for the search, never a name or an address. A request is relayed by e-mail; the researcher’s address reaches you only if they accept.',
    search: 'Search',
    any: '(any)',
    field: 'Field',
    researchKind: 'Kind of research',
    relationLong: 'Relation with associations',
    relation: 'Relation',
    association: 'Association cited',
    associations: 'Associations cited',
    handle: 'Handle',
    lastRequest: 'Last request',
    contact: 'Contact',
    request: 'Contact request',
    message: 'Message to the researcher',
    send: 'Send the request',
    requests: 'Requests sent',
    sent: 'Sent',
    state: 'State',
    answered: 'Answered',
  },
} as const;

/** What press.js writes into the page ({n}, {handle}, {status} filled in there), in both languages. */
export const PRESS_MESSAGES = {
  fr: {
    searchFailed: 'La recherche a échoué ({status}).',
    found: '{n} chercheur(s) trouvé(s).',
    write: 'Écrire',
    writeTo: 'Écrire à {handle}',
    sending: 'Envoi…',
    requestSent: 'Demande envoyée à {handle}. Son adresse ne vous parvient que s’il accepte.',
    requestFailed: 'La demande a échoué ({status}).',
    sharedByMail: 'acceptée (adresse envoyée par e-mail)',
    state_sending: 'en cours d’envoi',
    state_sent: 'envoyée',
    state_failed: 'échec de l’envoi',
    state_accepted: 'acceptée',
    state_declined: 'refusée',
  },
  en: {
    searchFailed: 'The search failed ({status}).',
    found: '{n} researcher(s) found.',
    write: 'Write',
    writeTo: 'Write to {handle}',
    sending: 'Sending…',
    requestSent: 'Request sent to {handle}. Their address reaches you only if they accept.',
    requestFailed: 'The request failed ({status}).',
    sharedByMail: 'accepted (address sent to you by e-mail)',
    state_sending: 'being sent',
    state_sent: 'sent',
    state_failed: 'sending failed',
    state_accepted: 'accepted',
    state_declined: 'declined',
  },
} as const;
