import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { cairnetError } from '../../errors.js';
import { checkPlan } from '../../plan/check-plan.js';
import { defaultPlanYaml } from '../../plan/default-plan.js';
import { parsePlan } from '../../plan/parse-plan.js';
import { marginsFileOf } from '../../plan/weighting.js';
import { escapeHtml } from '../../report/html.js';
import { forSurvey, type PlanOrigin, surveyCodebook, surveyPlan } from '../../results/survey-plan.js';
import type { Store } from '../../store/open-store.js';
import { campaignSurveyNames } from '../../store/repositories/campaign-settings.js';
import { currentInstrument } from '../../store/repositories/instruments.js';
import { latestSurveyPlan, listSurveyPlans, saveSurveyPlan } from '../../store/repositories/surveys.js';
import { recordAudit } from '../../store/repositories/users.js';
import { chosenSurvey, type Lang, langOf, localTime, studioPage, surveyChoice } from './layout.js';

const ROLES = ['admin', 'analyst'] as const;
/** A plan's text: a few hundred lines in practice; refused beyond this. */
export const PLAN_TEXT_MAX = 200_000;
const NAME = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';

const T = {
  fr: {
    title: 'Plan d’analyse',
    intro:
      'Le plan dit quels chiffres l’enquête publie : chaque indicateur (une part, une répartition, une moyenne), ses ventilations (by), ses tests, la pondération et la typologie. Vérifiez-le, puis enregistrez-le : il devient une nouvelle version, et les résultats sont recalculés avec lui.',
    origin: {
      stored: (v: number) => `Version ${v} enregistrée`,
      bundled: () => 'Le plan livré avec l’enquête (instruments/…/plan.yaml), pas encore modifié ici',
      default: () => 'Le plan par défaut, écrit d’après le questionnaire (aucun plan enregistré)',
      file: () => 'Un fichier',
    },
    editor: 'Texte du plan (YAML)',
    check: 'Vérifier',
    save: 'Enregistrer comme nouvelle version',
    reset: 'Repartir du plan par défaut',
    results: 'Voir les résultats',
    versions: 'Versions enregistrées',
    version: 'Version',
    when: 'Enregistrée le',
    none: 'Aucune version enregistrée.',
    help: 'Aide : le README du projet décrit chaque clé du plan (estimate, among, by, test, weighting, charts).',
  },
  en: {
    title: 'Analysis plan',
    intro:
      'The plan says which figures the survey publishes: each indicator (a share, a distribution, a mean), its breakdowns (by), its tests, the weighting and the typology. Check it, then save it: it becomes a new version, and the results are computed again with it.',
    origin: {
      stored: (v: number) => `Stored version ${v}`,
      bundled: () => 'The plan that comes with the survey (instruments/…/plan.yaml), not yet edited here',
      default: () => 'The default plan, written from the questionnaire (no plan stored)',
      file: () => 'A file',
    },
    editor: 'The plan’s text (YAML)',
    check: 'Check',
    save: 'Save as a new version',
    reset: 'Start again from the default plan',
    results: 'See the results',
    versions: 'Stored versions',
    version: 'Version',
    when: 'Stored on',
    none: 'No version stored.',
    help: 'Help: the README’s “Your own survey” section describes every key (estimate, among, by, test, weighting, charts).',
  },
} as const;

/** What studio-plan.js writes into the page ({n}, {version} filled in there), in both languages. */
export const PLAN_MESSAGES = {
  fr: {
    checking: 'Vérification…',
    valid: 'Le plan est valide : {n} indicateur(s).',
    invalid: 'Le plan n’est pas valide :',
    line: 'ligne {line}',
    saved: 'Enregistré : version {version}. Les résultats seront recalculés avec ce plan.',
    unchanged: 'Ce texte est déjà la version {version} : rien n’a été enregistré.',
    failed: 'Échec ({status}).',
    reset: 'Le plan par défaut est dans l’éditeur : il n’est pas encore enregistré.',
  },
  en: {
    checking: 'Checking…',
    valid: 'The plan is valid: {n} indicator(s).',
    invalid: 'The plan is not valid:',
    line: 'line {line}',
    saved: 'Saved: version {version}. The results will be computed again with this plan.',
    unchanged: 'This text is version {version} already: nothing was stored.',
    failed: 'Failed ({status}).',
    reset: 'The default plan is in the editor: it is not stored yet.',
  },
} as const;

const bodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['instrument', 'yaml'],
  properties: {
    instrument: { type: 'string', pattern: NAME },
    yaml: { type: 'string', minLength: 1, maxLength: PLAN_TEXT_MAX },
  },
} as const;
const surveyQuery = {
  type: 'object',
  properties: { instrument: { type: 'string', pattern: NAME }, lang: { type: 'string', enum: ['fr', 'en'] } },
} as const;

/**
 * Checks a plan's text against a survey's questionnaire, as `cairnet plan set` does; a margins
 * file is refused (the server reads no file named in a browser): margins go inline.
 */
async function checkedPlan(store: Store, instrument: string, yaml: string) {
  const codebook = await surveyCodebook(store.db, instrument);
  const file = marginsFileOf(yaml);
  if (file !== null) {
    throw cairnetError(
      'CAIRNET_PLAN_INVALID',
      `weighting.to names a file ("${file}"): in the studio, write the margins in the plan ({VAR: {level: count}}) or use "population"`,
    );
  }
  const parsed = forSurvey(parsePlan(yaml, `${instrument} plan`), instrument);
  checkPlan(parsed, codebook);
  return parsed;
}

async function knownSurvey(store: Store, name: string): Promise<void> {
  if (name !== 'cairnet' && !(await currentInstrument(store.db, name)))
    throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${name}"`);
}

/** A survey's plan as the page shows it: its text, where it comes from, its stored versions. */
async function planView(store: Store, instrument: string) {
  const { parsed, origin } = await surveyPlan(store.db, { instrument });
  const stored = origin === 'stored' ? await latestSurveyPlan(store.db, instrument) : undefined;
  const yaml =
    stored?.yaml ??
    (origin === 'default'
      ? defaultPlanYaml(await surveyCodebook(store.db, instrument), instrument)
      : readFileSync(parsed.source, 'utf8'));
  return {
    instrument,
    origin,
    version: stored?.version ?? null,
    yaml,
    indicators: parsed.plan.indicators.length,
    versions: await listSurveyPlans(store.db, instrument),
  };
}

function originText(lang: Lang, origin: PlanOrigin, version: number | null): string {
  const o = T[lang].origin;
  return origin === 'stored' ? o.stored(version ?? 0) : o[origin]();
}

function pageBody(lang: Lang, names: string[], view: Awaited<ReturnType<typeof planView>>): string {
  const t = T[lang];
  const e = escapeHtml;
  const rows = view.versions
    .map((v) => `<tr><td>${v.version}</td><td>${e(localTime(v.createdAt, lang))}</td></tr>`)
    .join('');
  return `${surveyChoice('/admin/plan', lang, names, view.instrument)}
<p>${e(t.intro)}</p>
<p id="plan-origin"><strong>${e(originText(lang, view.origin, view.version))}</strong> · <a href="/admin/dashboard?instrument=${encodeURIComponent(view.instrument)}&amp;lang=${lang}">${e(t.results)}</a></p>
<form id="plan-form" data-instrument="${e(view.instrument)}">
<label for="plan-yaml">${e(t.editor)}</label>
<textarea id="plan-yaml" name="yaml" rows="24" wrap="off" spellcheck="false" autocapitalize="off" maxlength="${PLAN_TEXT_MAX}" lang="zxx">${e(view.yaml)}</textarea>
<p class="actions"><button type="button" id="plan-check">${e(t.check)}</button> <button type="submit">${e(t.save)}</button> <button type="button" id="plan-reset">${e(t.reset)}</button></p>
</form>
<div id="plan-status" role="status" aria-live="polite"></div>
<p class="help">${e(t.help)}</p>
<section aria-labelledby="versions-h"><h2 id="versions-h">${e(t.versions)}</h2>
${rows ? `<div class="table-wrap"><table id="plan-versions"><thead><tr><th scope="col">${e(t.version)}</th><th scope="col">${e(t.when)}</th></tr></thead><tbody>${rows}</tbody></table></div>` : `<p>${e(t.none)}</p>`}
</section>`;
}

/**
 * The analysis plan in the studio: `/admin/plan?instrument=NAME` shows a survey's plan (stored,
 * bundled or the default one) in an editor, checks it (`POST /api/admin/plan/check`) and stores
 * it as the survey's next plan version (`POST /api/admin/plan`, as `cairnet plan set`). Roles
 * admin and analyst; changes need the CSRF header and are audited (`plan.set`).
 */
export function planPage(app: FastifyInstance, deps: { store: Store }): void {
  const { store } = deps;

  app.get<{ Querystring: { instrument?: string } }>(
    '/api/admin/plan',
    { schema: { querystring: surveyQuery }, config: { roles: ROLES } },
    async (req) => {
      const name = req.query.instrument ?? 'cairnet';
      await knownSurvey(store, name);
      return planView(store, name);
    },
  );

  app.get<{ Querystring: { instrument?: string } }>(
    '/api/admin/plan/default',
    { schema: { querystring: surveyQuery }, config: { roles: ROLES } },
    async (req) => {
      const name = req.query.instrument ?? 'cairnet';
      await knownSurvey(store, name);
      return { instrument: name, yaml: defaultPlanYaml(await surveyCodebook(store.db, name), name) };
    },
  );

  app.post<{ Body: { instrument: string; yaml: string } }>(
    '/api/admin/plan/check',
    { schema: { body: bodySchema }, config: { roles: ROLES } },
    async (req) => {
      await knownSurvey(store, req.body.instrument);
      const parsed = await checkedPlan(store, req.body.instrument, req.body.yaml);
      return { valid: true, indicators: parsed.plan.indicators.length };
    },
  );

  app.post<{ Body: { instrument: string; yaml: string } }>(
    '/api/admin/plan',
    { schema: { body: bodySchema }, config: { roles: ROLES } },
    async (req, reply) => {
      const { instrument, yaml } = req.body;
      await knownSurvey(store, instrument);
      const parsed = await checkedPlan(store, instrument, yaml);
      const { plan, created } = await saveSurveyPlan(store.db, instrument, yaml);
      await recordAudit(store.db, {
        userId: req.session!.user.id,
        action: 'plan.set',
        target: instrument,
        detail: JSON.stringify({ via: 'studio', version: plan.version, created }),
      });
      reply.status(created ? 201 : 200);
      return { instrument, version: plan.version, created, indicators: parsed.plan.indicators.length };
    },
  );

  app.get<{ Querystring: { instrument?: string; lang?: string } }>(
    '/admin/plan',
    { schema: { querystring: surveyQuery }, config: { roles: ROLES } },
    async (req, reply) => {
      const lang = langOf(req.query);
      const names = await campaignSurveyNames(store.db);
      const view = await planView(store, chosenSurvey(names, req.query.instrument));
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      return studioPage({
        lang,
        active: 'plan',
        title: T[lang].title,
        path: '/admin/plan',
        query: req.query,
        who: req.session!.user.email,
        role: req.session!.user.role,
        styles: ['/assets/plan.css'],
        scripts: ['/assets/studio-plan.js'],
        messages: PLAN_MESSAGES[lang],
        body: pageBody(lang, names, view),
      });
    },
  );
}

export { T as PLAN_PAGE };
