import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { MAX_MENTION_LENGTH } from '../../associations/normalise.js';
import { createReconciler, type ReconciledMention } from '../../associations/reconcile.js';
import { readRegistryFile } from '../../associations/registry-csv.js';
import { loadSeedRegistry } from '../../associations/seed-registry.js';
import { cairnetError } from '../../errors.js';
import { action } from '../run-action.js';

const MAX_FILE_BYTES = 200 * 1024 * 1024;

/** Reads the mentions file: one mention per row in `column`, an optional `id` column. */
function readMentions(file: string, column: string): { id: string; text: string }[] {
  let buf: Buffer;
  try {
    if (statSync(file).size > MAX_FILE_BYTES) {
      throw cairnetError(
        'CAIRNET_FILE_UNREADABLE',
        `${file} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`,
      );
    }
    buf = readFileSync(file);
  } catch (e) {
    if ((e as { code?: string }).code === 'CAIRNET_FILE_UNREADABLE') throw e;
    throw cairnetError('CAIRNET_FILE_UNREADABLE', `cannot read ${file}: ${(e as Error).message}`);
  }
  if (buf.length === 0 || buf.toString('utf8').trim() === '') {
    throw cairnetError('CAIRNET_CSV_INVALID', `${file} is empty: expected a CSV with a "${column}" column`);
  }
  if (buf.subarray(0, 8192).includes(0)) {
    throw cairnetError('CAIRNET_CSV_INVALID', `${file} is a binary file, not CSV text`);
  }
  let rows: Record<string, string>[];
  try {
    rows = parse(buf.toString('utf8').replace(/^\uFEFF/, ''), {
      columns: (h: string[]) => h.map((c) => c.trim()),
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
    }) as Record<string, string>[];
  } catch (e) {
    throw cairnetError('CAIRNET_CSV_INVALID', `${file} is not valid CSV: ${(e as Error).message}`);
  }
  const header = rows.length ? Object.keys(rows[0] ?? {}) : [];
  if (rows.length === 0) throw cairnetError('CAIRNET_CSV_INVALID', `${file} has a header but no rows`);
  if (!header.includes(column)) {
    throw cairnetError(
      'CAIRNET_COLUMN_UNKNOWN',
      `${file} has no column "${column}" (columns: ${header.join(', ').slice(0, 200)}); use --column NAME`,
    );
  }
  return rows.map((r, i) => ({ id: (r.id ?? '').slice(0, 100) || String(i + 1), text: r[column] ?? '' }));
}

/** Makes control characters visible so that a terminal shows them and is not driven by them. */
function printable(s: string): string {
  let out = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    const hidden = code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e);
    out += hidden || (code >= 0x2066 && code <= 0x2069) ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  }
  return out;
}

function table(result: readonly ReconciledMention[]): string {
  const groups = new Map<string, ReconciledMention[]>();
  for (const m of result) groups.set(m.group, [...(groups.get(m.group) ?? []), m]);
  const ordered = [...groups].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const lines: string[] = [];
  for (const [group, ms] of ordered) {
    const first = ms[0];
    const head = first?.match
      ? `${group}  ${first.match.name}`
      : `${printable(group)}  (no registry match: candidate new entry)`;
    lines.push(`${head}  [${ms.length} mention${ms.length > 1 ? 's' : ''}]`);
    for (const m of ms) {
      const score = m.match ? m.match.score.toFixed(2) : '  - ';
      const flag = m.uncertain ? ' ?' : '';
      lines.push(
        `  ${score}${flag}  ${printable(m.id)}: ${printable(m.mention)}${m.truncated ? ' […cut]' : ''}`,
      );
    }
  }
  const matched = result.filter((m) => m.match).length;
  lines.push('');
  lines.push(
    `${result.length} mentions, ${groups.size} groups, ${matched} matched to the registry; ? = to review`,
  );
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('reconcile')
    .description(
      'Match association mentions to the registry and group the ones that name the same association',
    )
    .argument('<file>', 'CSV file with one mention per row')
    .option('--column <name>', 'column holding the mention', 'mention')
    .option('--registry <file>', 'registry CSV (default: the built-in seed registry)')
    .option('--json', 'print JSON: {"mentions": [{id, mention, group, match}]}')
    .action(
      action((file: string, opts: { column: string; registry?: string; json?: boolean }) => {
        const mentions = readMentions(file, opts.column);
        const registry = opts.registry ? readRegistryFile(opts.registry) : loadSeedRegistry();
        const result = createReconciler(registry).reconcile(mentions);
        const cut = result.filter((m) => m.truncated).length;
        if (cut > 0) {
          process.stderr.write(
            `note: ${cut} mention${cut > 1 ? 's were' : ' was'} longer than ${MAX_MENTION_LENGTH} characters and cut\n`,
          );
        }
        if (opts.json) {
          const out = result.map((m) => ({ id: m.id, mention: m.mention, group: m.group, match: m.match }));
          process.stdout.write(`${JSON.stringify({ mentions: out })}\n`);
        } else {
          process.stdout.write(table(result));
        }
      }),
    );
}
