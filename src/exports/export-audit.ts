import { userInfo } from 'node:os';
import type { Kysely } from 'kysely';
import { recordAudit } from '../store/repositories/users.js';
import type { CairnetDatabase } from '../store/schema.js';

/** What was exported: the responses, the codebook, or the population with identities. */
export type ExportKind = 'responses' | 'codebook' | 'population';

/** The audit actions of exports (`export.population.refused`: a role that may not tried). */
export const EXPORT_ACTIONS = {
  responses: 'export.responses',
  codebook: 'export.codebook',
  population: 'export.population',
  populationRefused: 'export.population.refused',
} as const;

/** The prefix of the actor recorded for the command line: `cli:` and the operating-system user. */
export const CLI_ACTOR_PREFIX = 'cli:';

/**
 * Who runs the command line, as the audit log records them: `cli:` and the operating-system
 * user (the CLI has no login: whoever can reach the database is trusted, and named this way).
 */
export function cliActor(): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back on the environment, then on the uid.
    name = process.env.USER ?? process.env.LOGNAME ?? process.env.USERNAME;
    if (!name && typeof process.getuid === 'function') name = `uid${process.getuid()}`;
  }
  return `${CLI_ACTOR_PREFIX}${name || 'unknown'}`;
}

export interface ExportRecord {
  /** A user id (HTTP) or {@link cliActor} (command line). */
  actor: string;
  kind: ExportKind;
  /** The instrument exported, or `population`. */
  target: string;
  format: string;
  /** Rows exported (responses, people), or variables for a codebook. */
  rows: number;
  via: 'http' | 'cli';
  /** Anything else worth keeping (labels, language, anonymous mode, the output file). */
  extra?: Record<string, string | number | boolean>;
}

/**
 * Writes one export to the audit log: who (`user_id`), what (`export.KIND`, the target, and in
 * `detail` a JSON object `{via, format, rows, …}`), when (`at`). Called before the data leave
 * (HTTP) or right after the file is written, which is removed if this fails (CLI).
 */
export async function recordExport(db: Kysely<CairnetDatabase>, e: ExportRecord): Promise<void> {
  await recordAudit(db, {
    userId: e.actor,
    action: EXPORT_ACTIONS[e.kind],
    target: e.target,
    detail: JSON.stringify({ via: e.via, format: e.format, rows: e.rows, ...e.extra }),
  });
}
