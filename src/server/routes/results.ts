import type { FastifyInstance, FastifyReply } from 'fastify';
import { bipartiteEdges, edgesToGraphML } from '../../associations/citations.js';
import { campaignStatus } from '../../campaign/campaign-status.js';
import { cairnetError, isCairnetError } from '../../errors.js';
import { publicResults, withholdSuppressed } from '../../publish/public-results.js';
import { findPublication, publishResults, withdrawResults } from '../../publish/publications.js';
import { ResultsCache } from '../../publish/results-cache.js';
import { groupLabeller } from '../../report/group-labels.js';
import { chartBars, indicatorChartSpec } from '../../report/indicator-chart.js';
import type { Lang } from '../../report/number-format.js';
import { readPressReleaseTemplate, renderPressRelease } from '../../report/press-release.js';
import { renderReportHtml } from '../../report/report-html.js';
import { printPdf } from '../../report/report-pdf.js';
import { TEXT } from '../../report/report-text.js';
import { dashboardBody, publicResultsBody } from '../../report/results-pages.js';
import type { Store } from '../../store/open-store.js';
import { StoredReconciliationCache } from '../../store/repositories/associations.js';
import { currentInstrument } from '../../store/repositories/instruments.js';
import { dashboardSurvey } from '../../store/repositories/surveys.js';
import { recordAudit } from '../../store/repositories/users.js';
import { escapeHtml, page } from '../html.js';

const DASHBOARD_ROLES = ['admin', 'analyst', 'press'] as const;
const PUBLISH_ROLES = ['admin'] as const;

const langQuery = {
  type: 'object',
  properties: {
    lang: { type: 'string', enum: ['fr', 'en'] },
    format: { type: 'string', enum: ['html', 'pdf', 'md'] },
    instrument: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' },
  },
} as const;

type Query = { lang?: Lang; format?: 'html' | 'pdf' | 'md'; instrument?: string };

export interface ResultsRoutesOptions {
  store: Store;
  /** How long computed results are trusted before the stored responses are checked again (default a minute). */
  ttlMs?: number;
}

/**
 * Results: the public page `/results/:name` (only once published), its JSON, the survey team's
 * dashboard `/admin/dashboard` and its API, the report and press release for download, and
 * publishing. Results are computed from the stored responses on request and cached briefly.
 */
export async function resultsRoutes(app: FastifyInstance, options: ResultsRoutesOptions): Promise<void> {
  const { store } = options;
  const { db } = store;
  const caches = new Map<string, ResultsCache>();
  /** Each survey's results, computed once and shared by every page and API. */
  const cacheFor = (name: string): ResultsCache => {
    let cache = caches.get(name);
    if (!cache) {
      cache = new ResultsCache(store, options.ttlMs, Date.now, name);
      caches.set(name, cache);
    }
    return cache;
  };
  /** The survey a team page shows: the one asked for, else the first with responses (real ones first). */
  const chosen = async (query: Query): Promise<ResultsCache> =>
    cacheFor(query.instrument ?? (await dashboardSurvey(db)));
  const reconciliation = new StoredReconciliationCache(db);

  async function requirePublished(name: string): Promise<void> {
    const published = (await findPublication(db, name)) !== null;
    if (!published)
      throw cairnetError('CAIRNET_RESULTS_NOT_PUBLISHED', `The results of "${name}" are not published`);
  }

  function notPublishedPage(reply: FastifyReply, lang: Lang) {
    reply.code(404).type('text/html; charset=utf-8');
    return page({
      lang,
      title: TEXT[lang].publicResults,
      body: `<main class="narrow"><h1>${escapeHtml(TEXT[lang].publicResults)}</h1><p>${escapeHtml(TEXT[lang].notPublished)}</p></main>`,
    });
  }

  app.get<{ Params: { name: string }; Querystring: Query }>(
    '/results/:name',
    { schema: { querystring: langQuery } },
    async (req, reply) => {
      const lang = req.query.lang ?? 'fr';
      if (!(await findPublication(db, req.params.name))) return notPublishedPage(reply, lang);
      const cache = cacheFor(req.params.name);
      let all: Awaited<ReturnType<typeof cache.results>>;
      try {
        all = await cache.results();
      } catch (e) {
        // Published, but nothing to show yet (no completed response).
        if (isCairnetError(e) && e.code === 'CAIRNET_DATASET_EMPTY') return notPublishedPage(reply, lang);
        throw e;
      }
      if (all.results.instrument !== req.params.name) return notPublishedPage(reply, lang);
      const shown = { ...all, results: publicResults(all.results) };
      const charts = await cache.charts(lang);
      reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=60');
      return page({
        lang,
        title: TEXT[lang].publicResults,
        styles: ['/assets/results.css'],
        body: publicResultsBody(shown, charts, lang),
      });
    },
  );

  app.get<{ Params: { name: string } }>('/api/results/:name', async (req, reply) => {
    await requirePublished(req.params.name);
    const all = await cacheFor(req.params.name).results();
    if (all.results.instrument !== req.params.name)
      throw cairnetError('CAIRNET_RESULTS_NOT_PUBLISHED', 'Not published');
    reply.header('cache-control', 'public, max-age=60');
    return { ...publicResults(all.results), computedAt: all.computedAt.toISOString() };
  });

  app.get<{ Querystring: Query }>(
    '/admin/dashboard',
    { schema: { querystring: langQuery }, config: { roles: DASHBOARD_ROLES } },
    async (req, reply) => {
      const lang = req.query.lang ?? 'en';
      reply.type('text/html; charset=utf-8');
      const cache = await chosen(req.query);
      let body: string;
      try {
        body = dashboardBody(await cache.results(), await cache.charts(lang), lang);
      } catch (e) {
        if (!isCairnetError(e) || e.code !== 'CAIRNET_DATASET_EMPTY') throw e;
        body = `<main class="narrow"><h1>Cairnet: ${escapeHtml(TEXT[lang].dashboard)}</h1><p>${escapeHtml(e.message)}</p></main>`;
      }
      return page({
        lang,
        title: `Cairnet: ${TEXT[lang].dashboard}`,
        styles: ['/assets/results.css', '/assets/dashboard.css'],
        scripts: ['/assets/dashboard.js'],
        body,
      });
    },
  );

  app.get<{ Querystring: Query }>(
    '/api/admin/dashboard',
    { schema: { querystring: langQuery }, config: { roles: DASHBOARD_ROLES } },
    async (req) => {
      const lang = req.query.lang ?? 'en';
      const all = await (await chosen(req.query)).results();
      const label = groupLabeller(all.plan, all.codebook, lang);
      const specs = Object.fromEntries(
        all.results.indicators
          .filter(
            (ind) =>
              ind.status === 'ok' &&
              ind.kind !== 'distinctNames' &&
              ind.kind !== 'mean' &&
              ind.kind !== 'quartiles',
          )
          .map((ind) => [ind.id, indicatorChartSpec(chartBars(ind, lang, label), lang)]),
      );
      return { ...withholdSuppressed(all.results), computedAt: all.computedAt.toISOString(), charts: specs };
    },
  );

  app.get<{ Querystring: Query }>(
    '/api/admin/dashboard/summary',
    { schema: { querystring: langQuery }, config: { roles: DASHBOARD_ROLES } },
    async (req) => {
      const [status, cited, publication] = await Promise.all([
        campaignStatus(db),
        reconciliation.get(20),
        (req.query.instrument ? Promise.resolve(req.query.instrument) : dashboardSurvey(db)).then((name) =>
          findPublication(db, name),
        ),
      ]);
      return {
        campaign: status.totals,
        distinctAssociations: cited.distinct,
        mostCited: cited.mostCited.map((c) => ({
          label: c.label,
          responses: c.responses,
          registered: c.entryId !== null,
        })),
        publication,
      };
    },
  );

  app.get(
    '/api/admin/dashboard/network.graphml',
    { config: { roles: DASHBOARD_ROLES } },
    async (_req, reply) => {
      const r = await reconciliation.get();
      reply
        .type('application/graphml+xml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="cairnet-network.graphml"');
      return edgesToGraphML(bipartiteEdges(r.cited));
    },
  );

  app.get<{ Querystring: Query }>(
    '/admin/report',
    { schema: { querystring: langQuery }, config: { roles: DASHBOARD_ROLES } },
    async (req, reply) => {
      const lang = req.query.lang ?? 'fr';
      const html = await renderReportHtml(await (await chosen(req.query)).results(), { lang });
      if (req.query.format === 'pdf') {
        reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="cairnet-report.${lang}.pdf"`);
        return printPdf(html, lang);
      }
      reply.type('text/html; charset=utf-8');
      return html;
    },
  );

  app.get<{ Querystring: Query }>(
    '/admin/press-release',
    { schema: { querystring: langQuery }, config: { roles: DASHBOARD_ROLES } },
    async (req, reply) => {
      const lang = req.query.lang ?? 'fr';
      const format = req.query.format === 'md' ? 'md' : 'html';
      const published = await (await chosen(req.query)).results();
      const text = renderPressRelease(published.results, {
        lang,
        format,
        template: readPressReleaseTemplate(lang, published.source ?? null),
      });
      reply.type(format === 'md' ? 'text/markdown; charset=utf-8' : 'text/html; charset=utf-8');
      return text;
    },
  );

  app.get<{ Params: { name: string } }>(
    '/api/admin/results/:name/publication',
    { config: { roles: DASHBOARD_ROLES } },
    async (req) => ({ publication: await findPublication(db, req.params.name) }),
  );

  app.put<{ Params: { name: string }; Body: { published: boolean } }>(
    '/api/admin/results/:name/publication',
    // The body is checked in the handler, after the role check (schema validation would run first).
    { config: { roles: PUBLISH_ROLES } },
    async (req) => {
      const body = req.body as unknown;
      if (
        !body ||
        typeof body !== 'object' ||
        typeof (body as { published?: unknown }).published !== 'boolean'
      )
        throw cairnetError('CAIRNET_BAD_REQUEST', 'The body must be {"published": true|false}');
      if (!(await currentInstrument(db, req.params.name)))
        throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${req.params.name}"`);
      if (req.body.published) await publishResults(db, req.params.name, req.session!.user.id);
      else await withdrawResults(db, req.params.name);
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: req.body.published ? 'results.publish' : 'results.withdraw',
        target: req.params.name,
      });
      return { publication: await findPublication(db, req.params.name) };
    },
  );
}
