import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../bin/build.mjs';

/**
 * The rule: queries (Kysely) live in src/store/ only, so that SQLite and PostgreSQL differ there
 * and nowhere else. Code outside src/store/ calls repository functions; it may hold a `Kysely`
 * handle (a type import) to pass along, but never builds a query with it.
 *
 * Files still breaking the rule while someone rewrites them. Each entry must still hold a
 * query (the last test fails otherwise): remove a file from here once it is clean. None today.
 */
const ALLOWED: ReadonlyMap<string, string> = new Map<string, string>([]);

/** What builds or runs a query: a Kysely builder's entry points, or the `sql` template tag. */
const QUERY_PATTERNS: readonly RegExp[] = [
  /\.\s*(selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)\s*[(<]/,
  /\bsql\s*(<[^`;]*>)?\s*`/,
  /\bsql\s*\.\s*(raw|ref|id|lit|val|join|table)\s*\(/,
];

/** An import from 'kysely' that brings in anything but types (`sql`, `expressionBuilder`, …). */
function importsKyselyValues(source: string): boolean {
  if (/\bimport\s*\(\s*['"]kysely['"]\s*\)/.test(source)) return true;
  for (const m of source.matchAll(/\bimport\s+([^;]*?)\s+from\s+['"]kysely['"]/g)) {
    const clause = m[1]!.trim();
    if (clause.startsWith('type ')) continue;
    const named = /^\{([^}]*)\}$/.exec(clause);
    if (!named) return true; // a default or namespace import
    const specifiers = named[1]!
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (specifiers.some((s) => !s.startsWith('type '))) return true;
  }
  return false;
}

/** Whether a source file builds a query, by the patterns above. */
function buildsQuery(source: string): boolean {
  return importsKyselyValues(source) || QUERY_PATTERNS.some((p) => p.test(source));
}

/** Every script under src/ but src/store/, as a path relative to the repository. */
function sourcesOutsideStore(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      const rel = relative(ROOT, path).split('\\').join('/');
      if (e.isDirectory()) {
        // src/store/ is where queries belong; vendored browser libraries are not Cairnet's code.
        if (rel !== 'src/store' && rel !== 'src/web/public/vendor') walk(path);
      } else if (/\.(ts|mts|cts|js|mjs)$/.test(e.name)) files.push(rel);
    }
  };
  walk(join(ROOT, 'src'));
  return files.sort();
}

describe('queries live in src/store/ only', () => {
  it('recognises a query, and not a handle passed along', () => {
    const builds = [
      "const r = await db\n  .selectFrom('responses')\n  .select('id')\n  .execute();",
      "await trx.insertInto('drafts').values(row).execute();",
      "await db.updateTable('campaign_people').set({ completed: 1 }).execute();",
      "await db.deleteFrom('drafts').execute();",
      'const n = sql<number>`count(*)`;',
      'await sql`select 1`.execute(db);',
      "const t = sql.ref('responses.id');",
      "import { type Kysely, sql } from 'kysely';",
      "import * as k from 'kysely';",
      "const { sql } = await import('kysely');",
    ];
    for (const source of builds) expect(buildsQuery(source), source).toBe(true);
    const plain = [
      "import type { Kysely } from 'kysely';",
      "import { type Kysely, type Selectable } from 'kysely';",
      'export async function f(db: Kysely<CairnetDatabase>) { return countResponses(db); }',
      "const sqlite = 'sqlite'; // selectFrom is a Kysely method",
      "import { selectRecipients } from '../store/repositories/campaign-messages.js';",
    ];
    for (const source of plain) expect(buildsQuery(source), source).toBe(false);
  });

  it('no file outside src/store/ builds a query, but those allowed while they are rewritten', () => {
    const files = sourcesOutsideStore();
    expect(files).toContain('src/server/routes/campaign.ts');
    expect(files.some((f) => f.startsWith('src/store/'))).toBe(false);
    const offenders = files.filter(
      (f) => !ALLOWED.has(f) && buildsQuery(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(offenders, 'move these queries into src/store/repositories/').toEqual([]);
  });

  it('allows only files that still build a query (remove a file from the list once it is clean)', () => {
    const stale = [...ALLOWED.keys()].filter(
      (f) => !existsSync(join(ROOT, f)) || !buildsQuery(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(stale).toEqual([]);
  });
});
