import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { writeSyntheticDemo } from '../../demo/synthetic-demo-survey.js';
import { escapeHtml } from '../../report/html.js';
import type { Store } from '../../store/open-store.js';
import { findSurvey } from '../../store/repositories/surveys.js';
import { recordAudit } from '../../store/repositories/users.js';
import type { Lang } from './layout.js';

/** At most this many synthetic responses are drawn by one request (the command line draws more). */
export const MAX_HTTP_RESPONDENTS = 1000;

const T = {
  fr: {
    heading: 'Essayer avec des réponses synthétiques',
    explain: (demo: string) =>
      `Des réponses fictives tirées de ce questionnaire (chaque question affichée a sa réponse, ses conditions et ses règles sont respectées) sont écrites dans un questionnaire de démonstration à part, ${demo} : son tableau de bord, son rapport et ses exports montrent ce que donnera le terrain. Le questionnaire réel ne reçoit rien ; une démonstration n’est jamais publiée.`,
    respondents: 'Nombre de réponses',
    button: 'Essayer avec des réponses synthétiques',
    dashboard: 'Tableau de bord de la démonstration',
    working: 'Tirage et vérification des réponses…',
    done: 'réponses synthétiques écrites dans',
    failed: 'Échec :',
  },
  en: {
    heading: 'Try with synthetic responses',
    explain: (demo: string) =>
      `Made-up responses drawn from this questionnaire (every question shown answered, its conditions and rules respected) are written into a separate demonstration survey, ${demo}: its dashboard, report and exports show what fieldwork will give. The real survey receives nothing; a demonstration is never published.`,
    respondents: 'Number of responses',
    button: 'Try with synthetic responses',
    dashboard: 'The demonstration’s dashboard',
    working: 'Drawing and checking the responses…',
    done: 'synthetic responses written to',
    failed: 'Failed:',
  },
} as const;

/** The messages the page's script shows, in the page's language. */
export function syntheticMessages(lang: Lang): Record<string, string> {
  const t = T[lang];
  return { syntheticWorking: t.working, syntheticDone: t.done, syntheticFailed: t.failed };
}

/**
 * The card of the versions page for a real survey: what synthetic responses are, and for an
 * admin a button writing them (`POST /api/admin/instruments/NAME/synthetic`); a link to the
 * demonstration's dashboard once it exists. Nothing for a demonstration survey.
 */
export async function syntheticCard(store: Store, name: string, role: string, lang: Lang): Promise<string> {
  const survey = await findSurvey(store.db, name);
  if (survey?.kind === 'demo' || (!survey && name !== 'cairnet')) return '';
  const t = T[lang];
  const demo = `${name}-demo`;
  const exists = (await findSurvey(store.db, demo))?.kind === 'demo';
  const href = `/admin/dashboard?lang=${lang}&amp;instrument=${encodeURIComponent(demo)}`;
  const form =
    role === 'admin'
      ? `<form id="synthetic" data-instrument="${escapeHtml(name)}">
<div><label for="synthetic-n">${t.respondents}</label> <input id="synthetic-n" name="respondents" type="number" min="1" max="${MAX_HTTP_RESPONDENTS}" value="300" required></div>
<button type="submit">${t.button}</button></form>`
      : '';
  return `<section class="card synthetic" aria-labelledby="synthetic-h"><h2 id="synthetic-h">${t.heading}</h2>
<p>${escapeHtml(t.explain(demo))}</p>
${form}
<p id="synthetic-message" class="message" role="status" aria-live="polite"></p>
<p><a id="synthetic-dashboard" href="${href}"${exists ? '' : ' hidden'}>${t.dashboard}</a></p></section>`;
}

const body = {
  type: 'object',
  additionalProperties: false,
  properties: {
    respondents: { type: 'integer', minimum: 1, maximum: MAX_HTTP_RESPONDENTS },
    seed: { type: 'integer', minimum: 1, maximum: 2 ** 31 - 1 },
  },
} as const;

const params = {
  type: 'object',
  properties: { name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' } },
  required: ['name'],
} as const;

/**
 * `POST /api/admin/instruments/:name/synthetic` `{respondents?: 300, seed?}` (admin, CSRF):
 * what `cairnet demo --from NAME` does, into `NAME-demo`; a new seed each time unless one is
 * given. `201 {instrument, from, written, seed, version, planVersion, dashboard}`; audited
 * (`demo.synthetic`); every refusal is the command's, nothing stored.
 */
export function syntheticDemoRoute(app: FastifyInstance, deps: { store: Store }): void {
  app.post<{ Params: { name: string }; Body: { respondents?: number; seed?: number } | undefined }>(
    '/api/admin/instruments/:name/synthetic',
    { schema: { params, body }, config: { roles: ['admin'] } },
    async (req, reply) => {
      const seed = req.body?.seed ?? randomInt(1, 2 ** 31 - 1);
      const respondents = req.body?.respondents ?? 300;
      const r = await writeSyntheticDemo(deps.store, { from: req.params.name, respondents, seed });
      await recordAudit(deps.store.db, {
        userId: req.session!.user.id,
        action: 'demo.synthetic',
        target: r.instrument,
        detail: JSON.stringify({ via: 'http', from: r.from, respondents, seed, written: r.written }),
      });
      reply.status(201).header('cache-control', 'no-store');
      return {
        instrument: r.instrument,
        from: r.from,
        written: r.written,
        seed,
        version: r.version,
        planVersion: r.planVersion,
        dashboard: `/admin/dashboard?instrument=${encodeURIComponent(r.instrument)}`,
      };
    },
  );
}
