import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { cairnetError } from '../../errors.js';
import { listInstruments } from '../../store/repositories/instruments.js';
import { countResponsesByVersion, getResponse, listResponses } from '../../store/repositories/responses.js';
import { recordAudit } from '../../store/repositories/users.js';
import type { CairnetDatabase } from '../../store/schema.js';

const DATA_ROLES = ['admin', 'analyst'] as const;

const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    instrument: { type: 'string', maxLength: 64 },
    order: { type: 'string', enum: ['oldest', 'newest'], default: 'oldest' },
  },
} as const;

/** The survey team's API. Every route declares its roles (see auth.ts). */
export function adminRoutes(app: FastifyInstance, deps: { db: Kysely<CairnetDatabase> }) {
  const { db } = deps;

  app.get<{
    Querystring: { page: number; pageSize: number; instrument?: string; order: 'oldest' | 'newest' };
  }>(
    '/api/admin/responses',
    { schema: { querystring: pageQuery }, config: { roles: DATA_ROLES } },
    async (req) => {
      const page = await listResponses(db, {
        page: req.query.page,
        pageSize: req.query.pageSize,
        order: req.query.order,
        ...(req.query.instrument ? { instrumentName: req.query.instrument } : {}),
      });
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'responses.list',
        target: req.query.instrument ?? '*',
        detail: `page ${req.query.page}`,
      });
      return page;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/admin/responses/:id',
    {
      schema: { params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } } } },
      config: { roles: DATA_ROLES },
    },
    async (req) => {
      const r = await getResponse(db, req.params.id);
      if (!r) throw cairnetError('CAIRNET_NOT_FOUND', `No response ${req.params.id}`);
      await recordAudit(db, { userId: req.session!.user.id, action: 'responses.view', target: r.id });
      return r;
    },
  );

  app.get(
    '/api/admin/instruments',
    { config: { roles: ['admin', 'analyst', 'reviewer', 'press'] } },
    async () => {
      const all = await listInstruments(db);
      const counts = await countResponsesByVersion(db);
      // The responses each version holds (not the instrument's total on every version).
      return all.map((i) => ({
        name: i.name,
        version: i.version,
        hash: i.hash,
        createdAt: i.createdAt,
        responses: counts.get(`${i.name}@${i.version}`) ?? 0,
      }));
    },
  );
}
