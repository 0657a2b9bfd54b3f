import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { isWellFormedToken } from '../../campaign/invitation-token.js';
import { type MailConfig, mailConfigFromEnv } from '../../campaign/mail-config.js';
import type { PressSearchSpec } from '../../campaign/press-config.js';
import {
  answerContactRequest,
  contactRequestByToken,
  listContactRequests,
  sendContactRequest,
} from '../../campaign/press-requests.js';
import { pressSearchSpec, searchPressContacts } from '../../campaign/press-search.js';
import { pressTexts } from '../../campaign/press-texts.js';
import { cairnetError } from '../../errors.js';
import { escapeHtml, page } from '../../report/html.js';
import { campaignSurveyNames } from '../../store/repositories/campaign-settings.js';
import { currentInstrument } from '../../store/repositories/instruments.js';
import { recordAudit } from '../../store/repositories/users.js';
import type { CairnetDatabase } from '../../store/schema.js';
import { TOKEN_LOOKUP_LIMIT } from '../rate-limits.js';
import { chosenSurvey, langOf } from '../studio/layout.js';
import { renderPressPage } from '../studio/press-page.js';

export { PRESS_MESSAGES, PRESS_PAGE } from '../studio/press-page.js';

const PRESS_ROLES = ['press', 'admin'] as const;
const instrument = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'cairnet' } as const;

/** The survey's own search fields (src/campaign/press-config.ts): any parameter, checked in the handler. */
const searchQuery = {
  type: 'object',
  properties: { instrument },
  additionalProperties: { type: 'string', maxLength: 200 },
} as const;

const themesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { instrument, lang: { type: 'string', enum: ['fr', 'en'] } },
} as const;

const requestsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { instrument: { type: 'string', pattern: instrument.pattern } },
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

/** The survey's press search with its labels in one language (the page's selects, for scripts). */
function themes(spec: PressSearchSpec, lang: 'fr' | 'en') {
  return {
    optIn: spec.optIn,
    filters: spec.filters.map((f) => ({
      param: f.param,
      question: f.question,
      label: f.label[lang],
      choices: f.choices.map((c) => ({ value: c.value, label: c.label[lang] })),
    })),
    cited: spec.cited
      ? { param: spec.cited.param, question: spec.cited.question, label: spec.cited.label[lang] }
      : null,
  };
}

/**
 * Press contacts: the press office searches the respondents who agreed to be contacted (handles
 * and the answers the survey's search is about only), relays a request by e-mail, and follows its
 * requests; the respondent answers through a personal link (`/press/answer/TOKEN`). Roles press and admin.
 */
export async function pressRoutes(
  app: FastifyInstance,
  opts: { db: Kysely<CairnetDatabase>; mailConfig?: () => MailConfig },
): Promise<void> {
  const { db } = opts;
  const knownSurvey = async (name: string) => {
    if (!(await currentInstrument(db, name))) {
      throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${name}"`);
    }
  };
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
      await knownSurvey(req.query.instrument);
      return themes(await pressSearchSpec(db, req.query.instrument), req.query.lang ?? 'en');
    },
  );

  app.get<{ Querystring: { instrument: string } & Record<string, string> }>(
    '/api/admin/press/contacts',
    { schema: { querystring: searchQuery }, config: { roles: PRESS_ROLES } },
    async (req) => {
      const { instrument, ...search } = req.query;
      await knownSurvey(instrument);
      const items = await searchPressContacts(db, instrument, search);
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'press.search',
        detail: `${JSON.stringify(req.query)} → ${items.length}`,
      });
      return { items, total: items.length };
    },
  );

  app.get<{ Querystring: { instrument?: string } }>(
    '/api/admin/press/requests',
    { schema: { querystring: requestsQuery }, config: { roles: PRESS_ROLES } },
    async (req) => {
      const user = req.session!.user;
      const items = await listContactRequests(
        db,
        user.role === 'admin' ? null : user.id,
        req.query.instrument ?? null,
      );
      await recordAudit(db, { userId: user.id, action: 'press.requests' });
      return { items };
    },
  );

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

  app.get<{ Querystring: { lang?: 'fr' | 'en'; instrument?: string } }>(
    '/admin/press',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            lang: { type: 'string', enum: ['fr', 'en'] },
            instrument: { type: 'string', maxLength: 64 },
          },
        },
      },
      config: { roles: PRESS_ROLES },
    },
    async (req, reply) => {
      const names = await campaignSurveyNames(db);
      const survey = chosenSurvey(names, req.query.instrument);
      reply.type('text/html; charset=utf-8');
      return renderPressPage({
        lang: langOf(req.query),
        query: req.query,
        who: req.session!.user.email,
        role: req.session!.user.role,
        names,
        survey,
        spec: await pressSearchSpec(db, survey),
      });
    },
  );
}
