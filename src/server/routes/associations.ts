import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { bipartiteEdges, edgesToCsv, edgesToGraphML } from '../../associations/citations.js';
import type { Decision } from '../../associations/decision.js';
import { networkSvg } from '../../associations/network-svg.js';
import type { ReconciledMention } from '../../associations/reconcile.js';
import { formatRegistryCsv, parseRegistryCsv } from '../../associations/registry-csv.js';
import { escapeHtml } from '../../report/html.js';
import {
  importRegistry,
  listDecisions,
  reconciliationCacheFor,
  recordDecision,
  undoDecision,
} from '../../store/repositories/associations.js';
import type { CairnetDatabase } from '../../store/schema.js';
import { langOf, studioPage } from '../studio/layout.js';
import { NETWORK_TEXT, networkPageBody } from './network-page.js';

const ROLES = ['admin', 'reviewer'] as const;
const text = { type: 'string', minLength: 1, maxLength: 300 } as const;

/** JSON schemas of the decisions a reviewer can post (see src/associations/decision.ts). */
const decisionBody = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'mention', 'entryId'],
      properties: { kind: { enum: ['accept', 'reject', 'alias'] }, mention: text, entryId: text },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'mentions', 'entryId'],
      properties: {
        kind: { const: 'accept' },
        mentions: { type: 'array', items: text, minItems: 1, maxItems: 1000 },
        entryId: text,
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'mentions'],
      properties: {
        kind: { const: 'merge' },
        mentions: { type: 'array', items: text, minItems: 2, maxItems: 2 },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'mentions'],
      properties: {
        kind: { const: 'split' },
        mentions: { type: 'array', items: text, minItems: 1, maxItems: 1000 },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'entry', 'mentions'],
      properties: {
        kind: { const: 'create' },
        entry: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name'],
          properties: {
            id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
            name: text,
            acronyms: { type: 'array', items: text, maxItems: 20 },
            aliases: { type: 'array', items: text, maxItems: 20 },
            area: { type: 'string', maxLength: 300 },
          },
        },
        mentions: { type: 'array', items: text, maxItems: 1000 },
      },
    },
  ],
} as const;

interface CreateBody {
  kind: 'create';
  entry: { id: string; name: string; acronyms?: string[]; aliases?: string[]; area?: string };
  mentions: string[];
}

function toDecision(body: Decision | CreateBody): Decision {
  if (body.kind !== 'create') return body as Decision;
  const e = (body as CreateBody).entry;
  return {
    kind: 'create',
    entry: {
      id: e.id,
      name: e.name,
      acronyms: e.acronyms ?? [],
      aliases: e.aliases ?? [],
      area: e.area ?? '',
      origin: 'real',
    },
    mentions: (body as CreateBody).mentions,
  };
}

/** What the review page shows: uncertain matches and candidate groups, most respondents first. */
export interface ReviewItems {
  uncertain: {
    mention: string;
    key: string;
    count: number;
    /** How many respondents wrote it: how many a decision on it moves. */
    respondents: number;
    match: ReconciledMention['match'];
  }[];
  groups: {
    group: string;
    mentions: { mention: string; count: number; respondents: number }[];
    count: number;
    respondents: number;
  }[];
  distinct: number;
  mostCited: { group: string; entryId: string | null; label: string; responses: number }[];
}

/** The response a mention id (`responseId#k`) belongs to. */
const respondentOf = (id: string) => id.slice(0, Math.max(0, id.lastIndexOf('#')) || id.length);

function reviewItems(
  mentions: readonly ReconciledMention[],
  limit: number,
): Omit<ReviewItems, 'distinct' | 'mostCited'> {
  const uncertain = new Map<
    string,
    { mention: string; key: string; count: number; who: Set<string>; match: ReconciledMention['match'] }
  >();
  const groups = new Map<string, Map<string, { count: number; who: Set<string> }>>();
  for (const m of mentions) {
    const who = respondentOf(m.id);
    if (m.match && m.uncertain && !m.decidedBy) {
      const u = uncertain.get(m.key) ?? {
        mention: m.mention,
        key: m.key,
        count: 0,
        who: new Set(),
        match: m.match,
      };
      u.count++;
      u.who.add(who);
      uncertain.set(m.key, u);
    }
    if (!m.match && m.group !== 'empty') {
      const g = groups.get(m.group) ?? new Map<string, { count: number; who: Set<string> }>();
      const t = g.get(m.mention) ?? { count: 0, who: new Set<string>() };
      t.count++;
      t.who.add(who);
      g.set(m.mention, t);
      groups.set(m.group, g);
    }
  }
  return {
    uncertain: [...uncertain.values()]
      .map(({ who, ...u }) => ({ ...u, respondents: who.size }))
      .sort((a, b) => b.respondents - a.respondents || b.count - a.count || (a.key < b.key ? -1 : 1))
      .slice(0, limit),
    groups: [...groups]
      .map(([group, g]) => ({
        group,
        mentions: [...g]
          .map(([mention, t]) => ({ mention, count: t.count, respondents: t.who.size }))
          .sort(
            (a, b) => b.respondents - a.respondents || b.count - a.count || (a.mention < b.mention ? -1 : 1),
          ),
        count: [...g.values()].reduce((a, b) => a + b.count, 0),
        respondents: new Set([...g.values()].flatMap((t) => [...t.who])).size,
      }))
      .sort((a, b) => b.respondents - a.respondents || b.count - a.count || (a.group < b.group ? -1 : 1))
      .slice(0, limit),
  };
}

/** How many association names wait for a review: uncertain matches and candidate groups. */
export function unreviewedNames(mentions: readonly ReconciledMention[]): number {
  const r = reviewItems(mentions, Number.MAX_SAFE_INTEGER);
  return r.uncertain.length + r.groups.length;
}

/**
 * JSON with `<`, `>` and `&` written as \u escapes: the same data once parsed, but no text of a
 * mention can read as markup (`<script`) if the body is ever shown as HTML.
 */
function safeJson(reply: FastifyReply, value: unknown): string {
  reply.type('application/json; charset=utf-8');
  return JSON.stringify(value).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Review of association reconciliation, the registry, and the researcher–association network. */
export function associationRoutes(app: FastifyInstance, deps: { db: Kysely<CairnetDatabase> }) {
  const { db } = deps;
  const reconciliation = reconciliationCacheFor(db);

  app.get<{ Querystring: { limit: number } }>(
    '/api/admin/associations/review',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 5000, default: 500 } },
        },
      },
      config: { roles: ROLES },
    },
    async (req, reply) => {
      const r = await reconciliation.get(20);
      const items: ReviewItems = {
        ...reviewItems(r.mentions, req.query.limit),
        distinct: r.distinct,
        mostCited: r.mostCited,
      };
      return safeJson(reply, items);
    },
  );

  // The registry as the decisions left it: the entries they created and the aliases they added.
  app.get('/api/admin/associations/registry', { config: { roles: ROLES } }, async (_req, reply) =>
    safeJson(reply, { entries: (await reconciliation.get()).registry }),
  );

  app.get('/api/admin/associations/registry.csv', { config: { roles: ROLES } }, async (_req, reply) => {
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="registry.csv"');
    return formatRegistryCsv((await reconciliation.get()).registry);
  });

  app.post<{ Body: { csv: string } }>(
    '/api/admin/associations/registry',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['csv'],
          properties: { csv: { type: 'string', maxLength: 5_000_000 } },
        },
      },
      bodyLimit: 6 * 1024 * 1024,
      config: { roles: ROLES },
    },
    async (req) => {
      return importRegistry(db, parseRegistryCsv(req.body.csv), req.session!.user.id);
    },
  );

  app.get('/api/admin/associations/decisions', { config: { roles: ROLES } }, async (_req, reply) =>
    safeJson(reply, { decisions: await listDecisions(db) }),
  );

  app.post<{ Body: Decision | CreateBody }>(
    '/api/admin/associations/decisions',
    { schema: { body: decisionBody }, config: { roles: ROLES } },
    async (req, reply) => {
      const stored = await recordDecision(db, toDecision(req.body), req.session!.user.id);
      reply.code(201);
      return safeJson(reply, stored);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/admin/associations/decisions/:id',
    {
      schema: {
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', minLength: 1, maxLength: 100 } },
        },
      },
      config: { roles: ROLES },
    },
    async (req, reply) => {
      await undoDecision(db, req.params.id, req.session!.user.id);
      reply.code(204);
      return reply.send();
    },
  );

  app.get('/api/admin/associations/cited', { config: { roles: ROLES } }, async (_req, reply) => {
    const r = await reconciliation.get(20);
    return safeJson(reply, {
      distinct: r.distinct,
      mostCited: r.mostCited,
      responses: r.cited.map((c) => ({
        responseId: c.responseId,
        associations: c.associations.map((a) => a.entryId ?? a.group),
      })),
    });
  });

  app.get('/api/admin/associations/network.graphml', { config: { roles: ROLES } }, async (_req, reply) => {
    const r = await reconciliation.get();
    reply.type('application/graphml+xml; charset=utf-8');
    return edgesToGraphML(bipartiteEdges(r.cited));
  });

  app.get('/api/admin/associations/network.csv', { config: { roles: ROLES } }, async (_req, reply) => {
    const r = await reconciliation.get();
    reply.type('text/csv; charset=utf-8');
    return edgesToCsv(bipartiteEdges(r.cited));
  });

  const langSchema = {
    querystring: { type: 'object', properties: { lang: { type: 'string', enum: ['fr', 'en'] } } },
  } as const;

  app.get<{ Querystring: { lang?: 'fr' | 'en' } }>(
    '/admin/associations/network',
    { schema: langSchema, config: { roles: ROLES } },
    async (req, reply) => {
      const lang = langOf(req.query);
      const r = await reconciliation.get();
      const view = await networkSvg(bipartiteEdges(r.cited));
      reply.type('text/html; charset=utf-8');
      return studioPage({
        lang,
        active: 'associations',
        title: NETWORK_TEXT[lang].title,
        heading: NETWORK_TEXT[lang].heading,
        path: '/admin/associations/network',
        query: req.query,
        who: req.session!.user.email,
        role: req.session!.user.role,
        styles: ['/assets/review.css'],
        scripts: ['/assets/network-view.js'],
        main: { className: 'network' },
        body: networkPageBody(view, lang),
      });
    },
  );

  app.get<{ Querystring: { lang?: 'fr' | 'en' } }>(
    '/admin/associations',
    { schema: langSchema, config: { roles: ROLES } },
    async (req, reply) => {
      const lang = langOf(req.query);
      const t = REVIEW_TEXT[lang];
      reply.type('text/html; charset=utf-8');
      return studioPage({
        lang,
        active: 'associations',
        title: t.title,
        path: '/admin/associations',
        query: req.query,
        who: req.session!.user.email,
        role: req.session!.user.role,
        styles: ['/assets/review.css'],
        scripts: ['/assets/review.js'],
        main: { className: 'review' },
        body: `<ul class="page-links">
  <li><a href="/admin/associations/network?lang=${lang}">${escapeHtml(t.networkView)}</a></li>
  <li><a href="/api/admin/associations/network.graphml">${escapeHtml(t.network)} (GraphML)</a></li>
  <li><a href="/api/admin/associations/network.csv">${escapeHtml(t.network)} (CSV)</a></li>
  <li><a href="/api/admin/associations/registry.csv">${escapeHtml(t.registry)} (CSV)</a></li>
</ul>
  <p id="summary" aria-live="polite"></p>
  <p id="status" role="status"></p>
  <section aria-labelledby="uncertain-h"><h2 id="uncertain-h">${escapeHtml(t.uncertain)}</h2>
    <div class="table-wrap"><table id="uncertain"><thead><tr><th scope="col">${escapeHtml(t.mention)}</th><th scope="col">${escapeHtml(t.respondents)}</th><th scope="col">${escapeHtml(t.matchedTo)}</th><th scope="col">${escapeHtml(t.score)}</th><th scope="col">${escapeHtml(t.decision)}</th></tr></thead><tbody></tbody></table></div>
  </section>
  <section aria-labelledby="groups-h"><h2 id="groups-h">${escapeHtml(t.groups)}</h2>
    <div class="table-wrap"><table id="groups"><thead><tr><th scope="col">${escapeHtml(t.mentions)}</th><th scope="col">${escapeHtml(t.respondents)}</th><th scope="col">${escapeHtml(t.decision)}</th></tr></thead><tbody></tbody></table></div>
  </section>
  <section aria-labelledby="cited-h"><h2 id="cited-h">${escapeHtml(t.mostCited)}</h2><ol id="cited"></ol></section>
  <section aria-labelledby="history-h"><h2 id="history-h">${escapeHtml(t.history)}</h2><div id="history"></div></section>`,
      });
    },
  );
}

/** The review page's fixed texts (the rest are in src/web/client/review.ts), in both languages. */
export const REVIEW_TEXT = {
  en: {
    title: 'Associations cited',
    network: 'Network',
    networkView: 'Network (view)',
    registry: 'Registry',
    uncertain: 'Uncertain matches',
    groups: 'Candidate new associations',
    mostCited: 'Most cited',
    history: 'Decisions by entry',
    mention: 'Mention',
    mentions: 'Mentions',
    respondents: 'Respondents',
    matchedTo: 'Matched to',
    score: 'Score',
    decision: 'Decision',
  },
  fr: {
    title: 'Associations citées',
    network: 'Réseau',
    networkView: 'Réseau (vue)',
    registry: 'Référentiel',
    uncertain: 'Correspondances incertaines',
    groups: 'Nouvelles associations candidates',
    mostCited: 'Les plus citées',
    history: 'Décisions par entrée',
    mention: 'Mention',
    mentions: 'Mentions',
    respondents: 'Répondants',
    matchedTo: 'Rapprochée de',
    score: 'Score',
    decision: 'Décision',
  },
} as const;
