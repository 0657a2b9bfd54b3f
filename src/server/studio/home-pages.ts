import type { FastifyInstance } from 'fastify';
import { escapeHtml, page } from '../../report/html.js';
import type { Store } from '../../store/open-store.js';
import { listInstruments } from '../../store/repositories/instruments.js';
import { countResponsesByVersion } from '../../store/repositories/responses.js';
import { safeNextPath } from '../safe-next.js';
import { chosenSurvey, langOf, studioPage } from './layout.js';

export const HOME = {
  fr: {
    title: 'Accueil de l’équipe',
    intro: 'Chaque étape d’une enquête a sa page, dans la navigation ci-dessus.',
    publicPage: 'Page publique des résultats',
    downloads: 'Téléchargements',
    survey: 'Questionnaire',
    show: 'Afficher',
    downloadsHint:
      'Chaque téléchargement est inscrit au journal d’audit. Réponses : administration et analyse ; la population avec les identités : administration seulement.',
    responses: 'Réponses',
    codes: 'CSV (codes)',
    labels: 'CSV (libellés)',
    codebook: 'Dictionnaire des variables',
    population: 'Population',
    instruments: 'Questionnaires',
    name: 'Nom',
    version: 'Version',
    count: 'Réponses',
    none: 'Aucun questionnaire n’est enregistré.',
  },
  en: {
    title: 'Team home',
    intro: 'Each step of a survey has its page, in the navigation above.',
    publicPage: 'Public results page',
    downloads: 'Downloads',
    survey: 'Survey',
    show: 'Show',
    downloadsHint:
      'Each download is written to the audit log. Responses: admin and analyst; the population with identities: admin only.',
    responses: 'Responses',
    codes: 'CSV (codes)',
    labels: 'CSV (labels)',
    codebook: 'Codebook',
    population: 'Population',
    instruments: 'Questionnaires',
    name: 'Name',
    version: 'Version',
    count: 'Responses',
    none: 'No questionnaire is stored.',
  },
} as const;

export const LOGIN = {
  fr: {
    title: 'Cairnet : connexion',
    heading: 'Cairnet : équipe de l’enquête',
    email: 'Adresse e-mail',
    password: 'Mot de passe',
    submit: 'Se connecter',
    failed: 'Adresse ou mot de passe incorrect, ou compte désactivé.',
    tooMany: 'Trop de tentatives : réessayez dans quelques minutes.',
    other: 'English',
  },
  en: {
    title: 'Cairnet: log in',
    heading: 'Cairnet: survey team',
    email: 'E-mail',
    password: 'Password',
    submit: 'Log in',
    failed: 'Wrong e-mail or password, or the account is disabled.',
    tooMany: 'Too many attempts: try again in a few minutes.',
    other: 'Français',
  },
} as const;

/**
 * The team's home page (`/admin`: the navigation, the downloads, each questionnaire's versions
 * with their responses) and the login page (`/login`), in French (default) or English (`?lang=en`).
 */
export function homePages(app: FastifyInstance, deps: { store: Store }): void {
  const { db } = deps.store;

  app.get<{ Querystring: { next?: string; lang?: string } }>('/login', async (req, reply) => {
    const lang = langOf(req.query);
    const t = LOGIN[lang];
    const other = lang === 'fr' ? 'en' : 'fr';
    // Only a path of this site: the page carries the checked value, the script reads nothing else.
    const next = safeNextPath(req.query.next);
    const again = `/login?lang=${other}${next === '/admin' ? '' : `&next=${encodeURIComponent(next)}`}`;
    reply.type('text/html; charset=utf-8');
    return page({
      lang,
      title: t.title,
      scripts: ['/assets/login.js'],
      body: `<main class="narrow">
  <p><a href="${escapeHtml(again)}" lang="${other}" hreflang="${other}">${t.other}</a></p>
  <h1>${t.heading}</h1>
  <form id="login" novalidate data-next="${escapeHtml(next)}" data-failed="${t.failed}" data-too-many="${t.tooMany}">
    <label for="email">${t.email}</label>
    <input id="email" name="email" type="email" autocomplete="username" required>
    <label for="password">${t.password}</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">${t.submit}</button>
    <p id="login-error" role="alert"></p>
  </form>
</main>`,
    });
  });

  app.get<{ Querystring: { lang?: string; instrument?: string } }>(
    '/admin',
    { config: { roles: ['admin', 'analyst', 'press', 'reviewer'] } },
    async (req, reply) => {
      const lang = langOf(req.query);
      const t = HOME[lang];
      const all = await listInstruments(db);
      const counts = await countResponsesByVersion(db);
      // the downloads are those of one survey, chosen here
      const names = [...new Set(all.map((i) => i.name))];
      const survey = chosenSurvey(names, req.query.instrument);
      const q = `instrument=${encodeURIComponent(survey)}&amp;lang=${lang}`;
      const chooser = names.length
        ? `<form class="filters" method="get" action="/admin"><input type="hidden" name="lang" value="${lang}">
<label for="home-survey">${t.survey}</label> <select id="home-survey" name="instrument">${names
            .map(
              (n) =>
                `<option value="${escapeHtml(n)}"${n === survey ? ' selected' : ''}>${escapeHtml(n)}</option>`,
            )
            .join('')}</select> <button type="submit">${t.show}</button></form>`
        : '';
      const rows = all
        .map(
          (i) =>
            `<tr><th scope="row"><a href="/admin/versions?lang=${lang}&amp;instrument=${encodeURIComponent(i.name)}">${escapeHtml(i.name)}</a></th><td>${i.version}</td><td>${counts.get(`${i.name}@${i.version}`) ?? 0}</td></tr>`,
        )
        .join('');
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      return studioPage({
        lang,
        active: 'home',
        title: t.title,
        path: '/admin',
        who: req.session!.user.email,
        query: req.query,
        role: req.session!.user.role,
        body: `<p>${t.intro} <a href="/results/${encodeURIComponent(survey)}?lang=${lang}">${t.publicPage}</a></p>
<section class="card" aria-labelledby="downloads-h"><h2 id="downloads-h">${t.downloads}</h2>
<p>${t.downloadsHint}</p>
${chooser}
<ul>
<li>${t.responses} : <a href="/api/admin/export?format=csv&amp;${q}">${t.codes}</a>, <a href="/api/admin/export?format=csv&amp;labels=1&amp;${q}">${t.labels}</a>, <a href="/api/admin/export?format=xlsx&amp;${q}">XLSX</a>, <a href="/api/admin/export?format=sav&amp;${q}">SPSS (.sav)</a></li>
<li>${t.codebook} : <a href="/api/admin/codebook?format=md&amp;${q}">Markdown</a>, <a href="/api/admin/codebook?format=json&amp;${q}">JSON</a></li>
<li>${t.population} : <a href="/api/admin/population/export?format=csv&amp;instrument=${encodeURIComponent(survey)}">CSV</a>, <a href="/api/admin/population/export?format=xlsx&amp;instrument=${encodeURIComponent(survey)}">XLSX</a></li>
</ul></section>
<section class="card table-wrap" aria-labelledby="instruments-h"><h2 id="instruments-h">${t.instruments}</h2>
${rows ? `<table id="instruments"><thead><tr><th scope="col">${t.name}</th><th scope="col">${t.version}</th><th scope="col">${t.count}</th></tr></thead><tbody>${rows}</tbody></table>` : `<p>${t.none}</p>`}
</section>`.replaceAll(' : ', lang === 'fr' ? '\u00a0: ' : ': '),
      });
    },
  );
}
