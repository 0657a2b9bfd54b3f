import type { FastifyInstance, FastifyReply } from 'fastify';
import { bipartiteEdges, edgesToGraphML, pressEdges } from '../../associations/citations.js';
import { campaignStatus } from '../../campaign/campaign-status.js';
import { PRESS_OPTIN_QUESTION } from '../../campaign/press-search.js';
import { cairnetError, isCairnetError } from '../../errors.js';
import { publicResults, withholdSuppressed } from '../../publish/public-results.js';
import {
  findPublication,
  type Publication,
  publishResults,
  withdrawResults,
} from '../../publish/publications.js';
import { ResultsCache } from '../../publish/results-cache.js';
import { outputLabels } from '../../report/group-labels.js';
import { chartBars, indicatorChartSpec } from '../../report/indicator-chart.js';
import type { Lang } from '../../report/number-format.js';
import { renderPressRelease } from '../../report/press-release.js';
import { renderReportHtml } from '../../report/report-html.js';
import { printPdf } from '../../report/report-pdf.js';
import { TEXT } from '../../report/report-text.js';
import { dashboardBody, publicResultsBody } from '../../report/results-pages.js';
import type { Store } from '../../store/open-store.js';
import { onAssociationsChanged, reconciliationCacheFor } from '../../store/repositories/associations.js';
import { currentInstrument } from '../../store/repositories/instruments.js';
import { responsesAnswering } from '../../store/repositories/responses.js';
import { recordAudit } from '../../store/repositories/users.js';
import { escapeHtml, page } from '../html.js';
import { PublicPageCache, pageKey, sendCachedPage } from '../public-page-cache.js';
import { PUBLIC_PAGE_LIMIT } from '../rate-limits.js';

/**
 * The version of the published results a public page shows, opaque to the cache: today the
 * publication's date and when the results were computed; a stored snapshot's id once published
 * results are snapshots.
 */
function publishedVersion(publication: Publication, all: { computedAt: Date }): string {
  return `${publication.publishedAt}|${all.computedAt.toISOString()}`;
}

const DASHBOARD_ROLES = ['admin', 'analyst', 'press'] as const;
const PUBLISH_ROLES = ['admin'] as const;

const langQuery = {
  type: 'object',
  properties: {
    lang: { type: 'string', enum: ['fr', 'en'] },
    format: { type: 'string', enum: ['html', 'pdf', 'md'] },
  },
} as const;

type Query = { lang?: Lang; format?: 'html' | 'pdf' | 'md' };

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
  const cache = new ResultsCache(store, options.ttlMs);
  const reconciliation = reconciliationCacheFor(db);
  // a decision made here shows in F6 at the next request (the results are computed again)
  const forget = onAssociationsChanged(db, () => cache.clear());
  app.addHook('onClose', async () => forget());
  const pages = new PublicPageCache(db);

  const instrumentOf = async () => (await cache.results()).results.instrument;

  async function requirePublished(name: string): Promise<Publication> {
    const publication = await pages.publication(name);
    if (!publication)
      throw cairnetError('CAIRNET_RESULTS_NOT_PUBLISHED', `The results of "${name}" are not published`);
    return publication;
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
    { schema: { querystring: langQuery }, config: PUBLIC_PAGE_LIMIT },
    async (req, reply) => {
      const lang = req.query.lang ?? 'fr';
      const publication = await pages.publication(req.params.name);
      if (!publication) return notPublishedPage(reply, lang);
      let all: Awaited<ReturnType<typeof cache.results>>;
      try {
        all = await cache.results();
      } catch (e) {
        // Published, but nothing to show yet (no completed response).
        if (isCairnetError(e) && e.code === 'CAIRNET_DATASET_EMPTY') return notPublishedPage(reply, lang);
        throw e;
      }
      if (all.results.instrument !== req.params.name) return notPublishedPage(reply, lang);
      const version = publishedVersion(publication, all);
      const cached = await pages.page(pageKey(req.params.name, `html:${lang}`), version, async () => {
        const shown = { ...all, results: publicResults(all.results) };
        const charts = await cache.charts(lang);
        return page({
          lang,
          title: TEXT[lang].publicResults,
          styles: ['/assets/results.css'],
          body: publicResultsBody(shown, charts, lang),
        });
      });
      return sendCachedPage(req, reply, cached, 'text/html; charset=utf-8');
    },
  );

  app.get<{ Params: { name: string } }>(
    '/api/results/:name',
    { config: PUBLIC_PAGE_LIMIT },
    async (req, reply) => {
      const publication = await requirePublished(req.params.name);
      const all = await cache.results();
      if (all.results.instrument !== req.params.name)
        throw cairnetError('CAIRNET_RESULTS_NOT_PUBLISHED', 'Not published');
      const version = publishedVersion(publication, all);
      const cached = await pages.page(pageKey(req.params.name, 'json'), version, () =>
        JSON.stringify({ ...publicResults(all.results), computedAt: all.computedAt.toISOString() }),
      );
      return sendCachedPage(req, reply, cached, 'application/json; charset=utf-8');
    },
  );

  app.get<{ Querystring: Query }>(
    '/admin/dashboard',
    { schema: { querystring: langQuery }, config: { roles: DASHBOARD_ROLES } },
    async (req, reply) => {
      const lang = req.query.lang ?? 'en';
      reply.type('text/html; charset=utf-8');
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
      const all = await cache.results();
      const labels = outputLabels(all.plan, all.codebook, lang);
      const specs = Object.fromEntries(
        all.results.indicators
          .filter((ind) => ind.status === 'ok' && ind.kind !== 'distinctNames' && ind.kind !== 'mean')
          .map((ind) => [ind.id, indicatorChartSpec(chartBars(ind, lang, labels.group, labels.level), lang)]),
      );
      return { ...withholdSuppressed(all.results), computedAt: all.computedAt.toISOString(), charts: specs };
    },
  );

  app.get('/api/admin/dashboard/summary', { config: { roles: DASHBOARD_ROLES } }, async () => {
    const [status, cited, publication] = await Promise.all([
      campaignStatus(db),
      reconciliation.get(20),
      instrumentOf()
        .catch(() => 'cairnet')
        .then((name) => findPublication(db, name)),
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
  });

  app.get(
    '/api/admin/dashboard/network.graphml',
    { config: { roles: DASHBOARD_ROLES } },
    async (req, reply) => {
      const r = await reconciliation.get();
      // The press office gets only researchers who agreed to press contacts, under ids made for
      // this download: neither a respondent nor a response can be named from the file.
      const edges =
        req.session!.user.role === 'press'
          ? pressEdges(
              r.cited,
              await responsesAnswering(db, await instrumentOf(), PRESS_OPTIN_QUESTION, 'yes'),
            )
          : bipartiteEdges(r.cited);
      reply
        .type('application/graphml+xml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="cairnet-network.graphml"');
      return edgesToGraphML(edges);
    },
  );

  app.get<{ Querystring: Query }>(
    '/admin/report',
    { schema: { querystring: langQuery }, config: { roles: DASHBOARD_ROLES } },
    async (req, reply) => {
      const lang = req.query.lang ?? 'fr';
      const html = await renderReportHtml(await cache.results(), { lang });
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
      // The team's preview: what the release leaves out is shown, with a warning.
      const text = renderPressRelease((await cache.results()).results, { lang, format, preview: true });
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
      pages.forget(req.params.name);
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: req.body.published ? 'results.publish' : 'results.withdraw',
        target: req.params.name,
      });
      return { publication: await findPublication(db, req.params.name) };
    },
  );
}
