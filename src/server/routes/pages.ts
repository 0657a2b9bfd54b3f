import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { instrumentLanguages, SURVEY_CORE_I18N } from '../../instrument/instrument-languages.js';
import { escapeHtml, page } from '../../report/html.js';
import { campaignSurveyNames } from '../../store/repositories/campaign-settings.js';
import { listSurveys } from '../../store/repositories/surveys.js';
import type { CairnetDatabase } from '../../store/schema.js';
import type { InstrumentCache } from '../instrument-cache.js';

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

/** The HTML pages: the respondent's form and the home page (the team's pages are in ../studio/). */
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
