import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { instrumentLanguages, SURVEY_CORE_I18N } from '../../instrument/instrument-languages.js';
import { escapeHtml, page } from '../../report/html.js';
import { campaignSurveyNames } from '../../store/repositories/campaign-settings.js';
import { listSurveys } from '../../store/repositories/surveys.js';
import type { CairnetDatabase } from '../../store/schema.js';
import type { InstrumentCache } from '../instrument-cache.js';
import { safeNextPath } from '../safe-next.js';

function localized(v: unknown, lang: string): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const s = o[lang] ?? o.default ?? Object.values(o)[0];
    return typeof s === 'string' ? s : '';
  }
  return '';
}

/** A language's name in that language (`Français`, `Deutsch`), or its code. */
function languageName(code: string): string {
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(code) + name.slice(1) : code;
  } catch {
    return code;
  }
}

/** The HTML pages: the respondent's form, the login page and the survey team's pages. */
export function pageRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<CairnetDatabase>; instruments: InstrumentCache },
) {
  const { instruments, db } = deps;

  app.get<{ Params: { name: string }; Querystring: { lang?: string } }>('/s/:name', async (req, reply) => {
    const instrument = await instruments.current(req.params.name);
    const languages = instrumentLanguages(instrument.json);
    const own =
      typeof instrument.json.locale === 'string' ? languages[0]! : languages.includes('fr') ? 'fr' : 'en';
    const asked = String(req.query.lang ?? '').toLowerCase();
    const lang = languages.includes(asked) ? asked : own;
    const title = localized(instrument.json.title, lang === 'en' ? 'default' : lang) || instrument.name;
    const i18n = languages
      .map((l) => SURVEY_CORE_I18N[l])
      .filter((f): f is string => f !== undefined)
      .map((f) => `/vendor/survey-core/i18n/${f}.min.js`);
    reply.type('text/html; charset=utf-8');
    return page({
      lang,
      title,
      styles: ['/vendor/survey-core/survey-core.fontless.min.css'],
      scripts: [
        '/vendor/survey-core/survey.core.min.js',
        ...i18n,
        '/vendor/survey-js-ui/survey-js-ui.min.js',
        '/assets/expression-functions.js',
        '/assets/respond.js',
      ],
      body: `<header class="bar">
  <h1 id="survey-title">${escapeHtml(title)}</h1>
  <nav aria-label="Langue / Language" class="langs">
    ${(languages.includes('fr') ? ['fr', ...languages.filter((l) => l !== 'fr')] : languages)
      .map(
        (l) =>
          `<button type="button" data-lang="${escapeHtml(l)}" lang="${escapeHtml(l)}" aria-pressed="${lang === l}">${escapeHtml(languageName(l))}</button>`,
      )
      .join('\n    ')}
  </nav>
</header>
<main id="main" data-instrument="${escapeHtml(instrument.name)}" data-lang="${lang}">
  <div id="survey" aria-live="off"></div>
  <p id="save-status" role="status" aria-live="polite"></p>
  <p id="resume" hidden></p>
  <noscript>Ce questionnaire demande JavaScript. / This questionnaire needs JavaScript.</noscript>
</main>`,
    });
  });

  app.get<{ Querystring: { next?: string } }>('/login', async (req, reply) => {
    // Only a path of this site: the page carries the checked value, the script reads nothing else.
    const next = safeNextPath(req.query.next);
    reply.type('text/html; charset=utf-8');
    return page({
      lang: 'en',
      title: 'Cairnet: log in',
      scripts: ['/assets/login.js'],
      body: `<main class="narrow">
  <h1>Cairnet: survey team</h1>
  <form id="login" novalidate data-next="${escapeHtml(next)}">
    <label for="email">E-mail</label>
    <input id="email" name="email" type="email" autocomplete="username" required>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">Log in</button>
    <p id="login-error" role="alert"></p>
  </form>
</main>`,
    });
  });

  app.get('/admin', { config: { roles: ['admin', 'analyst', 'press', 'reviewer'] } }, async (_req, reply) => {
    reply.type('text/html; charset=utf-8');
    return page({
      lang: 'en',
      title: 'Cairnet: dashboard',
      scripts: ['/assets/admin.js'],
      body: `<header class="bar"><h1>Cairnet: survey team</h1>
  <p><span id="who"></span> <button type="button" id="logout">Log out</button></p></header>
<main>
  <nav aria-label="Survey team pages"><ul class="links">
    <li><a href="/admin/dashboard">Results dashboard</a></li>
    <li><a href="/admin/team?lang=en">Team</a> · <a href="/admin/questionnaires?lang=en">Questionnaires</a> · <a href="/admin/population?lang=en">Population</a> · <a href="/admin/sending?lang=en">Sending</a> · <a href="/admin/audit-log?lang=en">Audit log</a> (admin)</li>
    <li><a href="/admin/campaign">Campaign progress</a></li>
    <li><a href="/admin/associations">Association names to review</a></li>
    <li><a href="/admin/press">Press contacts</a></li>
    <li><a href="/results/cairnet">Public results page</a></li>
  </ul></nav>
  <section aria-labelledby="downloads-h"><h2 id="downloads-h">Downloads</h2>
    <p>Each download is written to the audit log. Responses: admin and analyst; the population with identities: admin only.</p>
    <ul class="links">
      <li>Responses: <a href="/api/admin/export?format=csv">CSV (codes)</a>, <a href="/api/admin/export?format=csv&amp;labels=1">CSV (labels)</a>, <a href="/api/admin/export?format=xlsx">XLSX</a>, <a href="/api/admin/export?format=sav">SPSS (.sav)</a></li>
      <li>Codebook: <a href="/api/admin/codebook?format=md">Markdown</a>, <a href="/api/admin/codebook?format=json">JSON</a></li>
      <li>Population: <a href="/api/admin/population/export?format=csv">CSV</a>, <a href="/api/admin/population/export?format=xlsx">XLSX</a></li>
    </ul>
  </section>
  <section aria-labelledby="instruments-h"><h2 id="instruments-h">Instruments</h2>
    <table id="instruments"><thead><tr><th scope="col">Name</th><th scope="col">Version</th><th scope="col">Responses</th></tr></thead><tbody></tbody></table>
  </section>
  <section aria-labelledby="responses-h"><h2 id="responses-h">Latest responses</h2>
    <table id="responses"><thead><tr><th scope="col">Id</th><th scope="col">Completed</th><th scope="col">Version</th><th scope="col">Synthetic</th></tr></thead><tbody></tbody></table>
  </section>
</main>`,
    });
  });

  // The open surveys by their own titles (a demonstration survey is not answered): nothing of
  // any one survey is written here.
  app.get('/', async (_req, reply) => {
    reply.type('text/html; charset=utf-8');
    const known = new Map((await listSurveys(db)).map((s) => [s.name, s]));
    const items = (await campaignSurveyNames(db))
      .filter((name) => known.get(name)?.kind !== 'demo')
      .map((name) => {
        const title = known.get(name)?.title;
        const href = `/s/${encodeURIComponent(name)}`;
        const fr = title?.fr ?? name;
        const en = title?.en ?? name;
        return `<li><a href="${href}?lang=fr" lang="fr">Répondre : ${escapeHtml(fr)}</a></li>
    <li><a href="${href}?lang=en">Answer: ${escapeHtml(en)}</a></li>`;
      })
      .join('\n    ');
    return page({
      lang: 'en',
      title: 'Cairnet',
      body: `<main class="narrow">
  <h1>Cairnet</h1>
  <p lang="fr">Questionnaires en ligne.</p><p>Online questionnaires.</p>
  <ul>
    ${items}
    <li><a href="/admin">Survey team</a></li>
  </ul>
</main>`,
    });
  });

  app.get('/healthz', async () => ({ ok: true }));
}
