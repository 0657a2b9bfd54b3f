import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { bipartiteEdges, edgesToCsv, edgesToGraphML } from '../../associations/citations.js';
import type { Decision } from '../../associations/decision.js';
import { networkSvg } from '../../associations/network-svg.js';
import type { ReconciledMention } from '../../associations/reconcile.js';
import { formatRegistryCsv, parseRegistryCsv } from '../../associations/registry-csv.js';
import { cairnetError } from '../../errors.js';
import { escapeHtml, page } from '../../report/html.js';
import {
  importRegistry,
  listDecisions,
  listRegistry,
  recordDecision,
  StoredReconciliationCache,
} from '../../store/repositories/associations.js';
import type { CairnetDatabase } from '../../store/schema.js';

const ROLES = ['admin', 'reviewer'] as const;
const text = { type: 'string', minLength: 1, maxLength: 300 } as const;

/** JSON schemas of the decisions a reviewer can post (see src/associations/decision.ts). */
const decisionBody = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'mention', 'entryId'],
      properties: { kind: { enum: ['accept', 'reject'] }, mention: text, entryId: text },
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

/** What the review page shows: uncertain matches and candidate groups, distinct texts with counts. */
export interface ReviewItems {
  uncertain: { mention: string; key: string; count: number; match: ReconciledMention['match'] }[];
  groups: { group: string; mentions: { mention: string; count: number }[]; count: number }[];
  distinct: number;
  mostCited: { group: string; entryId: string | null; label: string; responses: number }[];
}

function reviewItems(
  mentions: readonly ReconciledMention[],
  limit: number,
): Omit<ReviewItems, 'distinct' | 'mostCited'> {
  const uncertain = new Map<string, ReviewItems['uncertain'][number]>();
  const groups = new Map<string, Map<string, number>>();
  for (const m of mentions) {
    if (m.match && m.uncertain && !m.decidedBy) {
      const u = uncertain.get(m.key) ?? { mention: m.mention, key: m.key, count: 0, match: m.match };
      u.count++;
      uncertain.set(m.key, u);
    }
    if (!m.match && m.group !== 'empty') {
      const g = groups.get(m.group) ?? new Map<string, number>();
      g.set(m.mention, (g.get(m.mention) ?? 0) + 1);
      groups.set(m.group, g);
    }
  }
  return {
    uncertain: [...uncertain.values()].sort((a, b) => b.count - a.count).slice(0, limit),
    groups: [...groups]
      .map(([group, g]) => ({
        group,
        mentions: [...g].map(([mention, count]) => ({ mention, count })).sort((a, b) => b.count - a.count),
        count: [...g.values()].reduce((a, b) => a + b, 0),
      }))
      .sort((a, b) => b.count - a.count || (a.group < b.group ? -1 : 1))
      .slice(0, limit),
  };
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
  const reconciliation = new StoredReconciliationCache(db);

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

  app.get('/api/admin/associations/registry', { config: { roles: ROLES } }, async (_req, reply) =>
    safeJson(reply, { entries: await listRegistry(db) }),
  );

  app.get('/api/admin/associations/registry.csv', { config: { roles: ROLES } }, async (_req, reply) => {
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="registry.csv"');
    return formatRegistryCsv(await listRegistry(db));
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
      const imported = await importRegistry(db, parseRegistryCsv(req.body.csv), req.session!.user.id);
      reconciliation.invalidate();
      return imported;
    },
  );

  app.get('/api/admin/associations/decisions', { config: { roles: ROLES } }, async (_req, reply) =>
    safeJson(reply, { decisions: await listDecisions(db) }),
  );

  app.post<{ Body: Decision | CreateBody }>(
    '/api/admin/associations/decisions',
    { schema: { body: decisionBody }, config: { roles: ROLES } },
    async (req, reply) => {
      const decision = toDecision(req.body);
      if (decision.kind === 'merge' && decision.mentions[0] === decision.mentions[1]) {
        throw cairnetError('CAIRNET_DECISION_INVALID', 'a merge needs two different mentions');
      }
      const stored = await recordDecision(db, decision, req.session!.user.id);
      reconciliation.invalidate();
      reply.code(201);
      return safeJson(reply, stored);
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

  app.get('/admin/associations/network', { config: { roles: ROLES } }, async (_req, reply) => {
    const r = await reconciliation.get();
    const view = await networkSvg(bipartiteEdges(r.cited));
    reply.type('text/html; charset=utf-8');
    return page({
      lang: 'en',
      title: 'Cairnet: researcher–association network',
      body: `<header class="bar"><h1>Researchers and the associations they cited</h1>
  <p><a href="/admin/associations">Associations</a> · <a href="/api/admin/associations/network.graphml">Whole network (GraphML)</a> ·
  <a href="/api/admin/associations/network.csv">Whole network (CSV)</a></p></header>
<main>
  <figure>
    <div role="img" aria-label="Force-directed drawing of the researcher–association network">${view.svg}</div>
    <figcaption>The ${view.associations} most cited associations (blue, named) of ${view.totalAssociations}, and the
    ${view.researchers} researchers (grey dots, anonymous) who cited them: ${view.edges} links.
    The whole network is in the GraphML and CSV files.</figcaption>
  </figure>
</main>`,
    });
  });

  app.get('/admin/associations', { config: { roles: ROLES } }, async (_req, reply) => {
    reply.type('text/html; charset=utf-8');
    return page({
      lang: 'en',
      title: 'Cairnet: association review',
      styles: ['/assets/review.css'],
      scripts: ['/assets/review.js'],
      body: `<header class="bar"><h1>${escapeHtml('Cairnet: associations cited')}</h1>
  <p><a href="/admin">Dashboard</a> · <a href="/api/admin/associations/network.graphml">Network (GraphML)</a> ·
  <a href="/api/admin/associations/network.csv">Network (CSV)</a> ·
  <a href="/admin/associations/network">Network (view)</a> ·
  <a href="/api/admin/associations/registry.csv">Registry (CSV)</a></p></header>
<main class="review">
  <p id="summary" aria-live="polite"></p>
  <p id="status" role="status"></p>
  <section aria-labelledby="uncertain-h"><h2 id="uncertain-h">Uncertain matches</h2>
    <table id="uncertain"><thead><tr><th scope="col">Mention</th><th scope="col">Times</th><th scope="col">Matched to</th><th scope="col">Score</th><th scope="col">Decision</th></tr></thead><tbody></tbody></table>
  </section>
  <section aria-labelledby="groups-h"><h2 id="groups-h">Candidate new associations</h2>
    <table id="groups"><thead><tr><th scope="col">Mentions</th><th scope="col">Times</th><th scope="col">Decision</th></tr></thead><tbody></tbody></table>
  </section>
  <section aria-labelledby="cited-h"><h2 id="cited-h">Most cited</h2><ol id="cited"></ol></section>
</main>`,
    });
  });
}
