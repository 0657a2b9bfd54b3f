import { type Kysely, sql } from 'kysely';
import { cairnetError } from '../../errors.js';
import type { CairnetDatabase } from '../schema.js';

/** One entry of the audit log, with the e-mail of the member of the team when there is one. */
export interface AuditEntry {
  id: string;
  at: string;
  /** A user id, `cli:OSUSER` for the command line, or null (an anonymous event, an old CLI entry). */
  actor: string | null;
  /** The e-mail of the user `actor` names (null for the CLI or a deleted user). */
  userEmail: string | null;
  action: string;
  target: string | null;
  /** Free text, or a JSON object (exports: `{via, format, rows, …}`). */
  detail: string | null;
}

export interface AuditQuery {
  /** An action (`export.population`) or a family of actions (`export` matches `export.*` too). */
  action?: string | undefined;
  /** Only entries at or after this time (ISO 8601). */
  since?: string | undefined;
  /** At most this many (newest first); 100 by default, 10,000 at most. */
  limit?: number | undefined;
}

export const AUDIT_LIMIT_MAX = 10_000;

/**
 * Reads the audit log, newest first (`cairnet audit`, `GET /api/admin/audit`). A malformed
 * filter is `CAIRNET_BAD_REQUEST`.
 */
export async function listAudit(db: Kysely<CairnetDatabase>, q: AuditQuery = {}): Promise<AuditEntry[]> {
  const limit = q.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_LIMIT_MAX) {
    throw cairnetError(
      'CAIRNET_BAD_REQUEST',
      `limit ${q.limit}: a whole number from 1 to ${AUDIT_LIMIT_MAX}`,
    );
  }
  let since: string | undefined;
  if (q.since !== undefined) {
    const t = Date.parse(q.since);
    if (Number.isNaN(t)) throw cairnetError('CAIRNET_BAD_REQUEST', `since "${q.since}" is not a date`);
    since = new Date(t).toISOString();
  }
  if (q.action !== undefined && !/^[a-z][a-z0-9_.-]{0,63}$/.test(q.action)) {
    throw cairnetError('CAIRNET_BAD_REQUEST', `action "${q.action}" is not an audit action`);
  }
  let query = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.id', 'a.at', 'a.user_id', 'u.email', 'a.action', 'a.target', 'a.detail']);
  if (since) query = query.where('a.at', '>=', since);
  const action = q.action;
  if (action) {
    query = query.where((eb) =>
      eb.or([
        eb('a.action', '=', action),
        eb(sql<string>`substr(a.action, 1, ${sql.lit(action.length + 1)})`, '=', `${action}.`),
      ]),
    );
  }
  const rows = await query.orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.user_id,
    userEmail: r.email ?? null,
    action: r.action,
    target: r.target,
    detail: r.detail,
  }));
}
