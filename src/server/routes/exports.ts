import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { isCairnetError } from '../../errors.js';
import { EXPORT_ACTIONS, recordExport } from '../../exports/export-audit.js';
import {
  CODEBOOK_FORMATS,
  checkFormat,
  checkLanguage,
  codebookFile,
  type ExportFile,
  exportFileName,
  RESPONSE_FORMATS,
  responsesFile,
} from '../../exports/export-files.js';
import { readExportTable } from '../../exports/export-table.js';
import { POPULATION_FORMATS, populationFile, readPopulationExport } from '../../exports/population-export.js';
import type { Store } from '../../store/open-store.js';
import { AUDIT_LIMIT_MAX, listAudit } from '../../store/repositories/audit-log.js';
import { recordAudit } from '../../store/repositories/users.js';
import type { CairnetDatabase } from '../../store/schema.js';

/** The responses (pseudonymous answers): the roles that already page through them. */
export const RESPONSE_EXPORT_ROLES = ['admin', 'analyst'] as const;
/** The codebook describes the questionnaire, not anyone's data: the whole team. */
export const CODEBOOK_ROLES = ['admin', 'analyst', 'reviewer', 'press'] as const;
/**
 * Names and addresses: administrators only. Analysts work on pseudonymous answers, the press
 * office on handles, reviewers on association names; none of them needs to know who was surveyed.
 */
export const PERSONAL_DATA_ROLES = ['admin'] as const;
/** The audit log names the team and what each did: administrators only. */
export const AUDIT_ROLES = ['admin'] as const;

const instrument = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'cairnet' } as const;
const format = { type: 'string', maxLength: 32 } as const;
const lang = { type: 'string', maxLength: 16, default: 'fr' } as const;

function query(properties: Record<string, object>) {
  return { type: 'object', additionalProperties: false, properties } as const;
}

/**
 * Sends a download. A CSV starts with a byte order mark, so that Excel reads it as UTF-8 (its
 * accents intact); other programs skip the mark.
 */
function sendFile(reply: FastifyReply, file: ExportFile, name: string): FastifyReply {
  const csv = file.extension === 'csv' && typeof file.content === 'string';
  return reply
    .type(csv ? 'text/csv; charset=utf-8' : file.contentType)
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .send(csv ? `\uFEFF${file.content}` : file.content);
}

/**
 * Exports for the survey team: the responses (`/api/admin/export`, as `cairnet export`), the
 * codebook (`/api/admin/codebook`), the population with identities (`/api/admin/population/export`,
 * administrators only; refusals are logged too) and the audit log that records them all
 * (`/api/admin/audit`). Each export is written to the audit log before its data leave.
 */
export function exportRoutes(app: FastifyInstance, deps: { store: Store }): void {
  const { store } = deps;
  const db: Kysely<CairnetDatabase> = store.db;

  app.get<{ Querystring: { format?: string; labels?: string; lang: string; instrument: string } }>(
    '/api/admin/export',
    {
      schema: {
        querystring: query({
          format: { ...format, default: 'csv' },
          labels: { type: 'string', enum: ['0', '1', 'true', 'false'] },
          lang,
          instrument,
        }),
      },
      config: { roles: RESPONSE_EXPORT_ROLES },
    },
    async (req, reply) => {
      const fmt = checkFormat(req.query.format ?? 'csv', RESPONSE_FORMATS);
      const language = checkLanguage(req.query.lang);
      const labels = req.query.labels === '1' || req.query.labels === 'true';
      const table = await readExportTable(store, req.query.instrument);
      const { file, warnings } = await responsesFile(table, { format: fmt, labels, lang: language });
      await recordExport(db, {
        actor: req.session!.user.id,
        kind: 'responses',
        target: req.query.instrument,
        format: fmt,
        rows: table.rows.length,
        via: 'http',
        extra: { labels, lang: language, synthetic: table.syntheticCount },
      });
      if (warnings.length) reply.header('x-export-warnings', String(warnings.length));
      // Codes and labels (in each language) download under distinct names.
      const kind = labels && fmt !== 'sav' ? `responses-labels-${language}` : 'responses';
      return sendFile(reply, file, exportFileName(req.query.instrument, kind, file.extension));
    },
  );

  app.get<{ Querystring: { format?: string; lang: string; instrument: string } }>(
    '/api/admin/codebook',
    {
      schema: { querystring: query({ format: { ...format, default: 'md' }, lang, instrument }) },
      config: { roles: CODEBOOK_ROLES },
    },
    async (req, reply) => {
      const fmt = checkFormat(req.query.format ?? 'md', CODEBOOK_FORMATS);
      const language = checkLanguage(req.query.lang);
      const { file, variables } = await codebookFile(store, req.query.instrument, {
        format: fmt,
        lang: language,
      });
      await recordExport(db, {
        actor: req.session!.user.id,
        kind: 'codebook',
        target: req.query.instrument,
        format: fmt,
        rows: variables,
        via: 'http',
        extra: { lang: language },
      });
      return sendFile(reply, file, exportFileName(req.query.instrument, 'codebook', file.extension));
    },
  );

  app.get<{ Querystring: { format?: string; instrument: string } }>(
    '/api/admin/population/export',
    {
      schema: { querystring: query({ format: { ...format, default: 'csv' }, instrument }) },
      config: { roles: PERSONAL_DATA_ROLES },
      onError: auditRefusal(db),
    },
    async (req, reply) => {
      const fmt = checkFormat(req.query.format ?? 'csv', POPULATION_FORMATS);
      const pop = await readPopulationExport(db, req.query.instrument);
      const file = await populationFile(pop, fmt);
      await recordExport(db, {
        actor: req.session!.user.id,
        kind: 'population',
        target: 'population',
        format: fmt,
        rows: pop.rows.length,
        via: 'http',
        extra: { anonymous: pop.anonymous, instrument: req.query.instrument },
      });
      return sendFile(reply, file, exportFileName(req.query.instrument, 'population', file.extension));
    },
  );

  app.get<{ Querystring: { action?: string; since?: string; limit: number } }>(
    '/api/admin/audit',
    {
      schema: {
        querystring: query({
          action: { type: 'string', maxLength: 64 },
          since: { type: 'string', maxLength: 40 },
          limit: { type: 'integer', minimum: 1, maximum: AUDIT_LIMIT_MAX, default: 100 },
        }),
      },
      config: { roles: AUDIT_ROLES },
    },
    async (req, reply) => {
      const items = await listAudit(db, req.query);
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'audit.view',
        detail: JSON.stringify({ via: 'http', rows: items.length }),
      });
      reply.header('cache-control', 'no-store');
      return { items };
    },
  );
}

/**
 * A route's `onError` hook that logs a logged-in member of the team refused by their role
 * (`export.population.refused`). Runs for the refusal thrown by the auth hook, before the reply.
 */
function auditRefusal(db: Kysely<CairnetDatabase>) {
  return async (req: FastifyRequest, _reply: FastifyReply, error: Error): Promise<void> => {
    if (!req.session || !isCairnetError(error) || error.code !== 'CAIRNET_FORBIDDEN') return;
    try {
      await recordAudit(db, {
        userId: req.session.user.id,
        action: EXPORT_ACTIONS.populationRefused,
        target: 'population',
        detail: JSON.stringify({ via: 'http', role: req.session.user.role }),
      });
    } catch (e) {
      req.log.error({ err: e }, 'could not log a refused export');
    }
  };
}
