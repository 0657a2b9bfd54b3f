import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { labelOf } from '../../exports/value-labels.js';
import { deriveCodebook } from '../../instrument/derive-codebook.js';
import { flattenAnswers } from '../../instrument/flatten-answers.js';
import type { InstrumentJson } from '../../instrument/types.js';
import { escapeHtml } from '../../report/html.js';
import { listInstruments } from '../../store/repositories/instruments.js';
import { getResponse } from '../../store/repositories/responses.js';
import { recordAudit } from '../../store/repositories/users.js';
import type { CairnetDatabase } from '../../store/schema.js';
import { studioPage } from '../studio/layout.js';

const TEXT = {
  fr: {
    title: 'Réponse',
    back: 'Retour aux réponses',
    notFound: 'Aucune réponse ne porte cet identifiant.',
    question: 'Question',
    answer: 'Réponse',
    completed: 'Terminée le',
    version: 'Version du questionnaire',
    synthetic: 'Donnée synthétique (panel de démonstration)',
    none: 'Aucune question n’a reçu de réponse.',
  },
  en: {
    title: 'Response',
    back: 'Back to the responses',
    notFound: 'No response has this id.',
    question: 'Question',
    answer: 'Answer',
    completed: 'Completed on',
    version: 'Questionnaire version',
    synthetic: 'Synthetic data (demonstration panel)',
    none: 'No question was answered.',
  },
} as const;

/** The time zone dates are shown in on server-rendered pages (`CAIRNET_TIME_ZONE`, else Paris). */
const ZONE = process.env.CAIRNET_TIME_ZONE || 'Europe/Paris';

/**
 * One response, opened from the list (`/admin/responses/:id`, roles admin and analyst, audited as
 * `responses.view`): each answered question by its label, each answer by its label, in French or
 * English (`?lang=en`), read with the version of the questionnaire it answered.
 */
export function responsePage(app: FastifyInstance, deps: { db: Kysely<CairnetDatabase> }): void {
  const { db } = deps;
  app.get<{ Params: { id: string }; Querystring: { lang?: string } }>(
    '/admin/responses/:id',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } } },
        querystring: { type: 'object', properties: { lang: { type: 'string', enum: ['fr', 'en'] } } },
      },
      config: { roles: ['admin', 'analyst'] },
    },
    async (req, reply) => {
      const lang = req.query.lang === 'en' ? 'en' : 'fr';
      const t = TEXT[lang];
      const r = await getResponse(db, req.params.id);
      const shell = (title: string, body: string) =>
        studioPage({
          lang,
          active: 'responses',
          title,
          path: `/admin/responses/${encodeURIComponent(req.params.id)}`,
          who: req.session!.user.email,
          query: req.query,
          role: req.session!.user.role,
          body: `<p><a href="/admin/responses?lang=${lang}">${t.back}</a></p>\n${body}`,
        });
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      if (!r) {
        reply.status(404);
        return shell(t.title, `<p>${t.notFound}</p>`);
      }
      await recordAudit(db, { userId: req.session!.user.id, action: 'responses.view', target: r.id });
      const version = (await listInstruments(db)).find(
        (i) => i.name === r.instrumentName && i.version === r.instrumentVersion,
      );
      const codebook = version
        ? deriveCodebook(version.json as InstrumentJson)
        : { instrumentHash: '', variables: [] };
      const flat = flattenAnswers(codebook, r.data);
      const rows = codebook.variables
        .filter((v) => v.choice === undefined && flat[v.name] !== null && flat[v.name] !== undefined)
        .map((v) => {
          const value = labelOf(v, flat[v.name] ?? null, lang);
          return `<tr><th scope="row">${escapeHtml(v.label[lang])} <code>${escapeHtml(v.name)}</code></th><td>${escapeHtml(String(value))}</td></tr>`;
        });
      const completed = new Date(r.completedAt).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', {
        dateStyle: 'long',
        timeStyle: 'short',
        timeZone: ZONE,
      });
      return shell(
        `${t.title} ${r.id}`,
        `<p>${t.completed} ${escapeHtml(completed)} (${escapeHtml(ZONE)}) · ${t.version} ${escapeHtml(r.instrumentName)} v${r.instrumentVersion}${r.synthetic ? ` · <strong>${t.synthetic}</strong>` : ''}</p>
<section class="card table-wrap" aria-label="${t.title}">${rows.length ? `<table class="answers"><thead><tr><th scope="col">${t.question}</th><th scope="col">${t.answer}</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : `<p>${t.none}</p>`}</section>`,
      );
    },
  );
}
