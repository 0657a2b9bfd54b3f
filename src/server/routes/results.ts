import type { FastifyInstance, FastifyReply } from 'fastify';
import { bipartiteEdges, edgesToGraphML, pressEdges } from '../../associations/citations.js';
import { campaignStatus } from '../../campaign/campaign-status.js';
import { pressSearchDeclaration } from '../../campaign/press-config.js';
import { cairnetError, isCairnetError } from '../../errors.js';
import { outputLabels } from '../../report/group-labels.js';
import { escapeHtml, page } from '../../report/html.js';
import { indicatorChart } from '../../report/indicator-chart.js';
import type { Lang } from '../../report/number-format.js';
import { readPressReleaseTemplate, renderPressRelease } from '../../report/press-release.js';
import { publicResults, withholdSuppressed } from '../../report/public-results.js';
import { indicatorCharts, renderReportHtml } from '../../report/report-html.js';
import { printPdf } from '../../report/report-pdf.js';
import { TEXT } from '../../report/report-text.js';
import { dashboardBody, dashboardMain, publicResultsBody } from '../../report/results-pages.js';
import { snapshotDiffSection } from '../../report/snapshot-diff-section.js';
import { LatestSnapshot } from '../../results/latest-snapshot.js';
import { publishedSnapshotId } from '../../results/load-snapshot.js';
import type { Snapshot } from '../../results/snapshot.js';
import { diffResults } from '../../results/snapshot-diff.js';
import type { Store } from '../../store/open-store.js';
import { onAssociationsChanged, reconciliationCacheFor } from '../../store/repositories/associations.js';
import { currentInstrument } from '../../store/repositories/instruments.js';
import {
  findPublication,
  publicationHistory,
  publishSnapshot,
  withdrawPublication,
} from '../../store/repositories/publications.js';
import { responsesAnswering } from '../../store/repositories/responses.js';
import { dashboardSurvey } from '../../store/repositories/surveys.js';
import { PublicPageCache, pageKey, sendCachedPage } from '../public-page-cache.js';
import { PUBLIC_PAGE_LIMIT } from '../rate-limits.js';
import { langOf, studioPage } from '../studio/layout.js';
import { publishPage } from '../studio/publish-page.js';

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

export interface ResultsRoutesOptions {
  store: Store;
  /** How long the latest snapshot is trusted before the stored responses are checked again (default a minute). */
  ttlMs?: number;
}

type Query = { lang?: Lang; format?: 'html' | 'pdf' | 'md'; snapshot?: string; instrument?: string };

/** The dashboard of a survey without a completed response yet. */
export const NO_RESULTS = {
  fr: 'Aucune réponse complète à analyser pour l’instant : les résultats apparaîtront avec les premières.',
  en: 'No completed response to analyse yet: the results will appear with the first ones.',
} as const;

const SNAPSHOT_ID = '^[0-9A-Za-z_-]{1,64}$';

const outputQuery = {
  type: 'object',
  properties: { ...langQuery.properties, snapshot: { type: 'string', pattern: SNAPSHOT_ID } },
} as const;

/**
 * Results: the public page `/results/:name` and its JSON (the published snapshot, and nothing
 * else), the survey team's dashboard and its API (the latest snapshot, with what changed since
 * the published one), the report and press release (the latest snapshot, or `?snapshot=ID`),
 * and publishing (choosing a snapshot). Every figure comes from a stored snapshot; snapshots are
 * computed by src/results/ (in the background when the responses change).
 */
export async function resultsRoutes(app: FastifyInstance, options: ResultsRoutesOptions): Promise<void> {
  const { store } = options;
  const { db } = store;
  const latests = new Map<string, LatestSnapshot>();
  /** Each survey's latest snapshot, shared by every page and API. */
  const latestFor = (instrument: string): LatestSnapshot => {
    let l = latests.get(instrument);
    if (!l) {
      l = new LatestSnapshot(store, {
        instrument,
        ...(options.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {}),
      });
      latests.set(instrument, l);
    }
    return l;
  };
  /** Loads any stored snapshot by id (kept in memory: snapshots never change). */
  const load = (id: string) => latestFor('cairnet').load(id);
  /** The survey a team page shows: the one asked for, else the first with responses (real ones first). */
  const surveyOf = async (query: Query): Promise<string> => {
    if (query.instrument === undefined) return dashboardSurvey(db);
    // an unknown name is refused before any snapshot is looked up (or a cache made for it)
    if (!latests.has(query.instrument) && !(await currentInstrument(db, query.instrument)))
      throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${query.instrument}"`);
    return query.instrument;
  };
  const reconciliation = reconciliationCacheFor(db);
  // a decision made here is checked for at the next request (a new snapshot counts F6 again)
  const forget = onAssociationsChanged(db, () => {
    for (const l of latests.values()) l.recheck();
  });
  app.addHook('onClose', async () => forget());
  // Public pages rendered once per published snapshot and language, served with an ETag.
  const pages = new PublicPageCache(db);
  // Charts are drawn once per snapshot (snapshots never change).
  const drawn = new Map<string, Promise<Map<string, string>>>();

  function charts(snap: Snapshot, lang: Lang): Promise<Map<string, string>> {
    const key = `${snap.snapshot.id}:${lang}`;
    let c = drawn.get(key);
    if (!c) {
      c = indicatorCharts(snap, lang);
      drawn.set(key, c);
      c.catch(() => drawn.delete(key));
      while (drawn.size > 16) drawn.delete(drawn.keys().next().value!);
    }
    return c;
  }

  /** The published snapshot of an instrument, or null (not published, or nothing to show yet). */
  async function published(name: string): Promise<Snapshot | null> {
    let p: Awaited<ReturnType<typeof publishedSnapshotId>>;
    try {
      p = await publishedSnapshotId(store, name);
    } catch (e) {
      // published before snapshots existed, and nothing to compute yet (no completed response)
      if (isCairnetError(e) && e.code === 'CAIRNET_DATASET_EMPTY') return null;
      throw e;
    }
    return p ? load(p.snapshot) : null;
  }

  /** The snapshot an output renders: `?snapshot=ID`, else the survey's latest. */
  const chosen = async (query: Query) =>
    query.snapshot ? load(query.snapshot) : latestFor(await surveyOf(query)).latest();

  function notPublishedPage(reply: FastifyReply, lang: Lang) {
    reply.code(404).type('text/html; charset=utf-8');
    return page({
      lang,
      title: TEXT[lang].publicResults,
      body: `<main class="narrow"><h1>${escapeHtml(TEXT[lang].publicResults)}</h1><p>${escapeHtml(TEXT[lang].notPublished)}</p></main>`,
    });
  }

  // The team's publishing page: the latest snapshot's checklist and public page, before publishing.
  publishPage(app, { store, latest: latestFor, charts });

  app.get<{ Params: { name: string }; Querystring: Query }>(
    '/results/:name',
    { schema: { querystring: langQuery }, config: PUBLIC_PAGE_LIMIT },
    async (req, reply) => {
      const lang = req.query.lang ?? 'fr';
      const snap = await published(req.params.name);
      if (!snap) return notPublishedPage(reply, lang);
      const id = snap.snapshot.id;
      const cached = await pages.page(pageKey(req.params.name, `html:${lang}`), id, async () => {
        const shown = { ...snap, results: publicResults(snap.results) };
        return page({
          lang,
          title: TEXT[lang].publicResults,
          styles: ['/assets/results.css'],
          // drawn from what the public sees (an ordered chart where its first published indicator is)
          body: publicResultsBody(shown, await indicatorCharts(shown, lang), lang),
        });
      });
      reply.header('x-results-snapshot', id);
      return sendCachedPage(req, reply, cached, 'text/html; charset=utf-8');
    },
  );

  app.get<{ Params: { name: string } }>(
    '/api/results/:name',
    { config: PUBLIC_PAGE_LIMIT },
    async (req, reply) => {
      const snap = await published(req.params.name);
      if (!snap)
        throw cairnetError(
          'CAIRNET_RESULTS_NOT_PUBLISHED',
          `The results of "${req.params.name}" are not published`,
        );
      const id = snap.snapshot.id;
      const cached = await pages.page(pageKey(req.params.name, 'json'), id, () =>
        JSON.stringify({
          snapshot: id,
          ...publicResults(snap.results),
          computedAt: snap.snapshot.computedAt,
        }),
      );
      reply.header('x-results-snapshot', id);
      return sendCachedPage(req, reply, cached, 'application/json; charset=utf-8');
    },
  );

  /** What changed between the published snapshot and the latest one (null when nothing is published). */
  async function sincePublished(snap: Snapshot) {
    const pub = await findPublication(db, snap.snapshot.instrument);
    if (!pub?.snapshot) return null;
    const before = await load(pub.snapshot);
    return diffResults(before.results, snap.results, before.snapshot.id, snap.snapshot.id);
  }

  app.get<{ Querystring: Query }>(
    '/admin/dashboard',
    { schema: { querystring: langQuery }, config: { roles: DASHBOARD_ROLES } },
    async (req, reply) => {
      const lang = langOf(req.query);
      reply.type('text/html; charset=utf-8');
      let body: string;
      let main: ReturnType<typeof dashboardMain> | undefined;
      try {
        const snap = await latestFor(await surveyOf(req.query)).latest();
        const changes = snapshotDiffSection(await sincePublished(snap), snap, lang);
        body = dashboardBody(snap, await charts(snap, lang), lang, changes);
        main = dashboardMain(snap);
      } catch (e) {
        if (!isCairnetError(e) || e.code !== 'CAIRNET_DATASET_EMPTY') throw e;
        body = `<p>${escapeHtml(NO_RESULTS[lang])}</p>`;
      }
      return studioPage({
        lang,
        active: 'dashboard',
        title: TEXT[lang].dashboard,
        path: '/admin/dashboard',
        query: req.query,
        who: req.session!.user.email,
        role: req.session!.user.role,
        styles: ['/assets/results.css', '/assets/dashboard.css'],
        scripts: ['/assets/dashboard.js'],
        ...(main ? { main } : {}),
        body,
      });
    },
  );

  app.get<{ Querystring: Query }>(
    '/api/admin/dashboard',
    { schema: { querystring: langQuery }, config: { roles: DASHBOARD_ROLES } },
    async (req) => {
      const lang = req.query.lang ?? 'en';
      const snap = await latestFor(await surveyOf(req.query)).latest();
      const labels = outputLabels(snap.plan, snap.codebook, lang);
      const shown = withholdSuppressed(snap.results);
      const specs = Object.fromEntries(
        shown.indicators.flatMap((ind) => {
          const spec = indicatorChart(ind, lang, labels, shown);
          return spec ? [[ind.id, spec]] : [];
        }),
      );
      return {
        snapshot: snap.snapshot.id,
        ...shown,
        computedAt: snap.snapshot.computedAt,
        charts: specs,
        sincePublished: await sincePublished(snap),
      };
    },
  );

  app.get<{ Querystring: Query }>(
    '/api/admin/dashboard/summary',
    { schema: { querystring: langQuery }, config: { roles: DASHBOARD_ROLES } },
    async (req) => {
      const latest = latestFor(await surveyOf(req.query));
      const snap = await latest.latest().catch(() => null);
      const [status, publication] = await Promise.all([
        campaignStatus(db, snap?.snapshot.instrument ?? latest.instrument),
        findPublication(db, snap?.snapshot.instrument ?? latest.instrument),
      ]);
      // The team's summary follows the review at once: the live reconciliation (kept until a
      // response, decision or registry change), not the snapshot's counts, which a new snapshot
      // catches up with in the background (published outputs render the snapshot's).
      const cited = await reconciliation.get(20);
      return {
        snapshot: snap?.snapshot.id ?? null,
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
    async (req, reply) => {
      const r = await reconciliation.get();
      // The press office gets only respondents who agreed to press contacts, under ids made for
      // this download: neither a respondent nor a response can be named from the file.
      const survey = await dashboardSurvey(db);
      const { optIn } = await pressSearchDeclaration(db, survey);
      const edges =
        req.session!.user.role === 'press'
          ? pressEdges(r.cited, await responsesAnswering(db, survey, optIn.question, optIn.value))
          : bipartiteEdges(r.cited);
      reply
        .type('application/graphml+xml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="cairnet-network.graphml"');
      return edgesToGraphML(edges);
    },
  );

  app.get<{ Querystring: Query }>(
    '/admin/report',
    { schema: { querystring: outputQuery }, config: { roles: DASHBOARD_ROLES } },
    async (req, reply) => {
      const lang = req.query.lang ?? 'fr';
      const snap = await chosen(req.query);
      const html = await renderReportHtml(snap, { lang });
      reply.header('x-results-snapshot', snap.snapshot.id);
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
    { schema: { querystring: outputQuery }, config: { roles: DASHBOARD_ROLES } },
    async (req, reply) => {
      const lang = req.query.lang ?? 'fr';
      const format = req.query.format === 'md' ? 'md' : 'html';
      const snap = await chosen(req.query);
      // The team's preview: what the release leaves out is shown, with a warning.
      const text = renderPressRelease(snap.results, {
        lang,
        format,
        preview: true,
        template: readPressReleaseTemplate(lang, snap.source ?? null),
      });
      reply
        .type(format === 'md' ? 'text/markdown; charset=utf-8' : 'text/html; charset=utf-8')
        .header('x-results-snapshot', snap.snapshot.id);
      return text;
    },
  );

  app.get<{ Params: { name: string } }>(
    '/api/admin/results/:name/publication',
    { config: { roles: DASHBOARD_ROLES } },
    async (req) => ({
      publication: await findPublication(db, req.params.name),
      history: await publicationHistory(db, req.params.name),
    }),
  );

  app.put<{ Params: { name: string }; Body: { published: boolean; snapshot?: string } }>(
    '/api/admin/results/:name/publication',
    // The body is checked in the handler, after the role check (schema validation would run first).
    { config: { roles: PUBLISH_ROLES } },
    async (req) => {
      const body = req.body as unknown;
      const b = body as { published?: unknown; snapshot?: unknown } | null;
      if (
        !b ||
        typeof b !== 'object' ||
        typeof b.published !== 'boolean' ||
        (b.snapshot !== undefined &&
          (typeof b.snapshot !== 'string' || !new RegExp(SNAPSHOT_ID).test(b.snapshot)))
      )
        throw cairnetError(
          'CAIRNET_BAD_REQUEST',
          'The body must be {"published": true|false, "snapshot"?: ID}',
        );
      const name = req.params.name;
      if (!(await currentInstrument(db, name)))
        throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${name}"`);
      const user = req.session!.user.id;
      if (!b.published) await withdrawPublication(db, name, user);
      else {
        // the snapshot asked for, else the one the dashboard shows
        const id = typeof b.snapshot === 'string' ? b.snapshot : (await latestFor(name).latest()).snapshot.id;
        const snap = await load(id);
        if (snap.snapshot.instrument !== name)
          throw cairnetError(
            'CAIRNET_BAD_REQUEST',
            `Snapshot ${id} holds the results of "${snap.snapshot.instrument}", not "${name}"`,
          );
        await publishSnapshot(db, id, user);
      }
      pages.forget(name);
      return { publication: await findPublication(db, name) };
    },
  );
}
