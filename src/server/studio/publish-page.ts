import type { FastifyInstance } from 'fastify';
import { cairnetError, isCairnetError } from '../../errors.js';
import type { IndicatorResult } from '../../plan/indicator-result.js';
import { escapeHtml } from '../../report/html.js';
import { publicResults } from '../../report/public-results.js';
import { publicResultsBody } from '../../report/results-pages.js';
import type { LatestSnapshot } from '../../results/latest-snapshot.js';
import type { Snapshot } from '../../results/snapshot.js';
import type { Store } from '../../store/open-store.js';
import { reconciliationCacheFor } from '../../store/repositories/associations.js';
import { currentInstrument, listInstruments } from '../../store/repositories/instruments.js';
import { findPublication, holdsSyntheticData } from '../../store/repositories/publications.js';
import { dashboardSurvey } from '../../store/repositories/surveys.js';
import { unreviewedNames } from '../routes/associations.js';
import { type Lang, langOf, localTime, studioPage } from './layout.js';

export const T = {
  fr: {
    title: 'Publication des résultats',
    survey: 'Questionnaire',
    show: 'Afficher',
    checklist: 'À savoir avant de publier',
    snapshot: (id: string, n: number, at: string) => `Instantané ${id} : ${n} répondants, calculé le ${at}.`,
    published: (id: string, at: string) => `Publié aujourd’hui : l’instantané ${id}, depuis le ${at}.`,
    notPublished: 'Rien n’est publié pour ce questionnaire.',
    fragile: (k: number) =>
      `${k} indicateur(s) reposent en tout ou partie sur une petite base (fragile) : ils sont publiés avec une mise en garde.`,
    noFragile: 'Aucune base fragile.',
    suppressed: (k: number, cells: number) =>
      `${cells} cellule(s) de ${k} indicateur(s) sont supprimées (trop peu de répondants) : elles ne paraîtront pas.`,
    noSuppressed: 'Aucune cellule supprimée.',
    synthetic:
      'Données synthétiques : ce questionnaire est une démonstration. Ses résultats ne peuvent jamais être publiés (CAIRNET_RESULTS_SYNTHETIC_REFUSED).',
    real: 'Données réelles uniquement.',
    unreviewed: (k: number) => `${k} nom(s) d’association restent à relire.`,
    noUnreviewed: 'Tous les noms d’associations sont relus.',
    review: 'Ouvrir la relecture',
    confirm: 'J’ai lu cette liste et je veux publier ces résultats sur la page publique.',
    publish: 'Publier',
    withdraw: 'Retirer la publication',
    preview: 'Aperçu de la page publique',
    previewNote: 'La page publique telle qu’elle serait publiée (pas encore publique).',
    empty: 'Aucun résultat à publier : aucune réponse complète.',
    none: 'Aucun questionnaire n’est enregistré.',
  },
  en: {
    title: 'Publishing the results',
    survey: 'Questionnaire',
    show: 'Show',
    checklist: 'What to know before publishing',
    snapshot: (id: string, n: number, at: string) => `Snapshot ${id}: ${n} respondents, computed on ${at}.`,
    published: (id: string, at: string) => `Published now: snapshot ${id}, since ${at}.`,
    notPublished: 'Nothing is published for this questionnaire.',
    fragile: (k: number) =>
      `${k} indicator(s) rest wholly or partly on a small base (fragile): they are published with a warning.`,
    noFragile: 'No fragile base.',
    suppressed: (k: number, cells: number) =>
      `${cells} cell(s) of ${k} indicator(s) are suppressed (too few respondents): they will not appear.`,
    noSuppressed: 'No suppressed cell.',
    synthetic:
      'Synthetic data: this questionnaire is a demonstration. Its results can never be published (CAIRNET_RESULTS_SYNTHETIC_REFUSED).',
    real: 'Real data only.',
    unreviewed: (k: number) => `${k} association name(s) are still to review.`,
    noUnreviewed: 'Every association name is reviewed.',
    review: 'Open the review',
    confirm: 'I have read this list and want to publish these results on the public page.',
    publish: 'Publish',
    withdraw: 'Withdraw the publication',
    preview: 'Preview of the public page',
    previewNote: 'The public page as it would be published (not public yet).',
    empty: 'No results to publish: no completed response.',
    none: 'No questionnaire is stored.',
  },
} as const;

const MESSAGES = {
  fr: { done: 'C’est fait.', failed: 'Refusé :' },
  en: { done: 'Done.', failed: 'Refused:' },
};

/** Every cell of an indicator: its own, its groups', its groups' levels', its levels'. */
function cells(ind: IndicatorResult) {
  return [
    ind,
    ...(ind.groups ?? []),
    ...(ind.groups ?? []).flatMap((g) => g.levels ?? []),
    ...(ind.levels ?? []),
  ];
}

/** What the team should know about a snapshot before publishing it. */
export function publishChecks(snap: Snapshot) {
  const shown = snap.results.indicators.filter((i) => i.status === 'ok');
  const suppressed = shown.map((i) => cells(i).filter((c) => c.suppressed).length);
  return {
    fragile: shown.filter((i) => cells(i).some((c) => c.fragile)).length,
    suppressedIndicators: suppressed.filter((k) => k > 0).length,
    suppressedCells: suppressed.reduce((a, b) => a + b, 0),
  };
}

/** The public page's body made a part of another page: no second <main>, its title a level down. */
function embedded(body: string): string {
  return body
    .replace(/<header class="bar">[\s\S]*?<\/header>/, '')
    .replace('<main id="main" class="results">', '<div class="results">')
    .replace(/<\/main>\s*$/, '</div>')
    .replace(/<h1(\s|>)/g, '<h2$1')
    .replace(/<\/h1>/g, '</h2>');
}

function item(ok: boolean, text: string, extra = ''): string {
  return `<li class="${ok ? 'ok' : 'warn'}">${escapeHtml(text)}${extra}</li>`;
}

/**
 * The publishing page (`/admin/publish`, admins): for a survey's latest snapshot, what the team
 * should know first (fragile bases, suppressed cells, synthetic data, association names left to
 * review), the publish button behind a confirmation (it calls the publication route, which
 * keeps its contract, CSRF rule and audit log), and the public page as it would be published.
 * A demonstration survey shows no button: its results are never published.
 */
export function publishPage(
  app: FastifyInstance,
  deps: {
    store: Store;
    latest: (instrument: string) => LatestSnapshot;
    charts: (snap: Snapshot, lang: Lang) => Promise<Map<string, string>>;
  },
): void {
  const { db } = deps.store;
  const reconciliation = reconciliationCacheFor(db);

  app.get<{ Querystring: { lang?: string; instrument?: string } }>(
    '/admin/publish',
    { config: { roles: ['admin'] } },
    async (req, reply) => {
      const lang = langOf(req.query);
      const t = T[lang];
      const names = [...new Set((await listInstruments(db)).map((i) => i.name))];
      const asked = req.query.instrument;
      if (asked !== undefined && !(await currentInstrument(db, asked)))
        throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${asked}"`);
      const name = asked ?? (names.length ? await dashboardSurvey(db) : undefined);
      const chooser = `<form class="card filters" method="get" action="/admin/publish">
<input type="hidden" name="lang" value="${lang}">
<div><label for="p-instrument">${t.survey}</label><select id="p-instrument" name="instrument">${names
        .map(
          (n) => `<option value="${escapeHtml(n)}"${n === name ? ' selected' : ''}>${escapeHtml(n)}</option>`,
        )
        .join('')}</select></div>
<button type="submit">${t.show}</button></form>`;
      let body: string;
      if (!name) body = `<p>${t.none}</p>`;
      else {
        let snap: Snapshot | null = null;
        let problem = '';
        try {
          snap = await deps.latest(name).latest();
        } catch (e) {
          if (!isCairnetError(e)) throw e;
          // no result to show: said in the page (the survey stays choosable)
          problem =
            e.code === 'CAIRNET_DATASET_EMPTY'
              ? `<p>${t.empty}</p>`
              : `<p class="error" role="alert"><code>${escapeHtml(e.code)}</code> ${escapeHtml(e.message)}</p>`;
        }
        body = `${chooser}\n${snap ? await withSnapshot(name, snap, lang) : problem}`;
      }
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      return studioPage({
        lang,
        active: 'publish',
        title: t.title,
        path: '/admin/publish',
        who: req.session!.user.email,
        query: req.query,
        role: req.session!.user.role,
        styles: ['/assets/results.css'],
        scripts: ['/assets/studio-publish.js'],
        messages: MESSAGES[lang],
        body,
      });
    },
  );

  async function withSnapshot(name: string, snap: Snapshot, lang: Lang): Promise<string> {
    const t = T[lang];
    const checks = publishChecks(snap);
    const synthetic = snap.results.synthetic || (await holdsSyntheticData(db, name));
    const unreviewed = unreviewedNames((await reconciliation.get(20)).mentions);
    const pub = await findPublication(db, name);
    const list = [
      item(!synthetic, synthetic ? t.synthetic : t.real),
      item(checks.fragile === 0, checks.fragile ? t.fragile(checks.fragile) : t.noFragile),
      item(
        checks.suppressedCells === 0,
        checks.suppressedCells
          ? t.suppressed(checks.suppressedIndicators, checks.suppressedCells)
          : t.noSuppressed,
      ),
      item(
        unreviewed === 0,
        unreviewed ? t.unreviewed(unreviewed) : t.noUnreviewed,
        unreviewed ? ` <a href="/admin/associations">${t.review}</a>` : '',
      ),
    ].join('\n');
    const state = pub?.snapshot
      ? t.published(pub.snapshot, localTime(pub.publishedAt, lang))
      : t.notPublished;
    const actions = synthetic
      ? ''
      : `<form id="publish" data-instrument="${escapeHtml(name)}" data-snapshot="${escapeHtml(snap.snapshot.id)}">
<p class="confirm"><input type="checkbox" id="publish-confirm" required> <label for="publish-confirm">${t.confirm}</label></p>
<button type="submit">${t.publish}</button>
${pub?.snapshot ? `<button type="button" id="withdraw">${t.withdraw}</button>` : ''}
</form>`;
    const shown = { ...snap, results: publicResults(snap.results) };
    return `<section class="card checklist" aria-labelledby="check-h"><h2 id="check-h">${t.checklist}</h2>
<p>${escapeHtml(t.snapshot(snap.snapshot.id, snap.results.n, localTime(snap.snapshot.computedAt, lang)))}</p>
<p>${escapeHtml(state)}</p>
<ul>${list}</ul>
${actions}
<p id="publish-message" class="message" role="status" aria-live="polite"></p></section>
<section class="card publish-preview" aria-labelledby="preview-h"><h2 id="preview-h">${t.preview}</h2><p><strong>${t.previewNote}</strong></p>
${embedded(publicResultsBody(shown, await deps.charts(snap, lang), lang))}</section>`;
  }
}
