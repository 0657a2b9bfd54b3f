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
  properties: { instrument: searchQuery.properties.instrument },
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
function themeChoices(json: unknown): Record<string, { value: string; label: string }[]> {
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
            c && typeof c === 'object' ? localized((c as Record<string, unknown>).text, 'en') : value;
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

  app.get<{ Querystring: { instrument: string } }>(
    '/api/admin/press/themes',
    { schema: { querystring: themesQuery }, config: { roles: PRESS_ROLES } },
    async (req) => {
      const stored = await currentInstrument(db, req.query.instrument);
      return stored ? themeChoices(stored.json) : {};
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

  app.get('/admin/press', { config: { roles: PRESS_ROLES } }, async (_req, reply) => {
    reply.type('text/html; charset=utf-8');
    return page({
      lang: 'en',
      title: 'Cairnet: press contacts',
      styles: ['/assets/press.css'],
      scripts: ['/assets/press.js'],
      body: `<header class="bar"><h1>Cairnet: press contacts</h1>
  <p><span id="who"></span> <a href="/admin">Dashboard</a></p></header>
<main>
  <p>Researchers who agreed, in their answers, to be contacted by the press office. You see a handle
  and the answers that matter for the search, never a name or an address. A request is relayed by
  e-mail; the researcher's address reaches you only if they accept.</p>
  <section aria-labelledby="search-h"><h2 id="search-h">Search</h2>
    <form id="search">
      <label for="field">Field</label> <select id="field" name="field"><option value="">(any)</option></select>
      <label for="researchKind">Kind of research</label> <select id="researchKind" name="researchKind"><option value="">(any)</option></select>
      <label for="relation">Relation with associations</label> <select id="relation" name="relation"><option value="">(any)</option></select>
      <label for="association">Association cited</label> <input id="association" name="association" maxlength="200">
      <button type="submit">Search</button>
    </form>
    <p id="search-status" role="status" aria-live="polite"></p>
    <table id="contacts"><thead><tr><th scope="col">Handle</th><th scope="col">Field</th><th scope="col">Kind of research</th><th scope="col">Relation</th><th scope="col">Associations cited</th><th scope="col">Last request</th><th scope="col">Contact</th></tr></thead><tbody></tbody></table>
  </section>
  <section aria-labelledby="request-h"><h2 id="request-h">Contact request</h2>
    <form id="request">
      <label for="handle">Handle</label> <input id="handle" name="handle" required maxlength="64">
      <label for="message">Message to the researcher</label>
      <textarea id="message" name="message" rows="6" required minlength="10" maxlength="${MESSAGE_MAX}"></textarea>
      <button type="submit">Send the request</button>
    </form>
    <p id="request-status" role="status" aria-live="polite"></p>
  </section>
  <section aria-labelledby="requests-h"><h2 id="requests-h">Requests sent</h2>
    <table id="requests"><thead><tr><th scope="col">Handle</th><th scope="col">Sent</th><th scope="col">State</th><th scope="col">Answered</th></tr></thead><tbody></tbody></table>
  </section>
</main>`,
    });
  });
}
