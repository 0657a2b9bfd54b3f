import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { campaignStatus } from '../../campaign/campaign-status.js';
import { isWellFormedToken } from '../../campaign/invitation-token.js';
import { escapeHtml } from '../../campaign/mail-templates.js';
import { optOut, recordOpened } from '../../campaign/opt-out.js';
import { stratumLabels } from '../../campaign/stratum-labels.js';
import { tokenHash } from '../../store/canonical-json.js';
import { isKnownMessageToken } from '../../store/repositories/message-tokens.js';
import { recordAudit } from '../../store/repositories/users.js';
import type { CairnetDatabase } from '../../store/schema.js';
import { TOKEN_LOOKUP_LIMIT } from '../rate-limits.js';

const tokenParams = {
  type: 'object',
  properties: { token: { type: 'string', maxLength: 200 } },
  required: ['token'],
} as const;

/** `?instrument=NAME`: the survey whose campaign a page or route is about (default `cairnet`). */
export const surveyQuery = {
  type: 'object',
  properties: {
    instrument: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$', default: 'cairnet' },
  },
} as const;

const PAGES = {
  invalid: {
    title: 'Lien non valide / Invalid link',
    fr: 'Ce lien personnel n’est pas (ou plus) valide. Vérifiez qu’il est complet.',
    en: 'This personal link is not (or no longer) valid. Check that it is complete.',
  },
  completed: {
    title: 'Merci / Thank you',
    fr: 'Vous avez déjà répondu à ce questionnaire. Merci de votre participation !',
    en: 'You have already answered this questionnaire. Thank you for taking part!',
  },
  optOutAsk: {
    title: 'Ne plus recevoir de message / Stop messages',
    fr: 'Vous ne recevrez plus aucun message au sujet de cette enquête.',
    en: 'You will receive no more messages about this survey.',
  },
  optOutDone: {
    title: 'C’est noté / Done',
    fr: 'C’est noté : vous ne recevrez plus de message au sujet de cette enquête.',
    en: 'Done: you will receive no more messages about this survey.',
  },
} as const;

function page(reply: FastifyReply, status: number, which: keyof typeof PAGES, form?: string): FastifyReply {
  const p = PAGES[which];
  const button = form
    ? `<form method="post" action="${escapeHtml(form)}"><button type="submit">Confirmer / Confirm</button></form>`
    : '';
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title><link rel="stylesheet" href="/assets/cairnet.css"></head>
<body><main class="narrow"><h1>${escapeHtml(p.title)}</h1>
<p lang="fr">${escapeHtml(p.fr)}</p><p lang="en">${escapeHtml(p.en)}</p>${button}</main></body></html>
`);
}

/**
 * The campaign's routes: a personal link (`/i/TOKEN`: records the opening, brings the person's
 * draft under this link, opens the questionnaire in their language), the opt-out link
 * (`/optout/TOKEN`: a page with a button, and one-click POST as in RFC 8058), and the campaign's
 * progress for the survey team (`GET /api/admin/campaign/status`, counts only; the page
 * `/admin/campaign` is in ../studio/).
 */
export async function campaignRoutes(
  app: FastifyInstance,
  opts: { db: Kysely<CairnetDatabase> },
): Promise<void> {
  const { db } = opts;
  // The one-click opt-out of mail clients posts `List-Unsubscribe=One-Click` as a form.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 1024 },
    (_r, body, done) => done(null, body),
  );

  app.get<{ Params: { token: string } }>(
    '/i/:token',
    { schema: { params: tokenParams }, config: TOKEN_LOOKUP_LIMIT },
    async (req, reply) => {
      const { token } = req.params;
      if (!isWellFormedToken(token)) return page(reply, 404, 'invalid');
      const opened = await recordOpened(db, tokenHash(token));
      if (!opened) return page(reply, 404, 'invalid');
      if (opened.completed) return page(reply, 200, 'completed');
      // The link opens the survey whose campaign sent it.
      const instrument = opened.survey;
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      return reply.redirect(
        `/s/${encodeURIComponent(instrument)}?resume=${token}&lang=${opened.language}`,
        303,
      );
    },
  );

  app.get<{ Params: { token: string } }>(
    '/optout/:token',
    { schema: { params: tokenParams }, config: TOKEN_LOOKUP_LIMIT },
    async (req, reply) => {
      const { token } = req.params;
      if (!isWellFormedToken(token)) return page(reply, 404, 'invalid');
      if (!(await isKnownMessageToken(db, tokenHash(token)))) return page(reply, 404, 'invalid');
      return page(reply, 200, 'optOutAsk', `/optout/${token}`);
    },
  );

  app.post<{ Params: { token: string } }>(
    '/optout/:token',
    { schema: { params: tokenParams }, config: TOKEN_LOOKUP_LIMIT },
    async (req, reply) => {
      const { token } = req.params;
      if (!isWellFormedToken(token) || !(await optOut(db, tokenHash(token))))
        return page(reply, 404, 'invalid');
      return page(reply, 200, 'optOutDone');
    },
  );

  app.get<{ Querystring: { instrument: string } }>(
    '/api/admin/campaign/status',
    { schema: { querystring: surveyQuery }, config: { roles: ['admin', 'analyst'] } },
    async (req) => {
      const status = await campaignStatus(db, req.query.instrument);
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'campaign.status',
        target: status.instrument,
      });
      // Pages show the strata by their labels, not their codes.
      return { ...status, labels: await stratumLabels(db, status.instrument, Object.keys(status.byStratum)) };
    },
  );
}
