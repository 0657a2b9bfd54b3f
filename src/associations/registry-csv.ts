import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { cairnetError } from '../errors.js';
import type { RegistryEntry } from './registry-entry.js';

/** Columns of a registry CSV written by {@link formatRegistryCsv}. Lists are joined with `|`. */
export const REGISTRY_COLUMNS = ['id', 'name', 'acronyms', 'aliases', 'area', 'origin'] as const;
/** Columns of the survey team's source list (`cairnet/associations.csv`). */
const SOURCE_COLUMNS = ['acronym', 'name', 'kind', 'note'] as const;

const MAX_FIELD = 500;

function fail(message: string): never {
  throw cairnetError('CAIRNET_REGISTRY_INVALID', message);
}

function splitList(v: string | undefined): string[] {
  return (v ?? '')
    .split('|')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Reads the notes of the source list: "also cited as AFM", "now APF France handicap", "FRM", the
 * official name ("officially France Alzheimer et maladies apparentées") and former names
 * ("formerly Ensemble contre le sida"). An all-capitals word becomes an acronym; other names
 * become aliases, which the matcher reads as names of the entry.
 */
function readNote(note: string): { acronyms: string[]; aliases: string[] } {
  const acronyms: string[] = [];
  const aliases: string[] = [];
  for (const raw of note.split(';')) {
    const part = raw.trim();
    if (!part || /member$/i.test(part)) continue;
    const m = /^(?:also cited as|now|officially|formerly)\s+(.+)$/i.exec(part);
    const name = (m ? m[1] : part)?.trim() ?? '';
    if (!name) continue;
    if (/^[A-Z0-9][A-Z0-9+&-]{1,11}$/.test(name)) acronyms.push(name);
    else if (m) aliases.push(name);
  }
  return { acronyms, aliases };
}

/**
 * Parses a registry CSV. Two layouts are accepted: the registry's own
 * (`id,name,acronyms,aliases,area,origin`) and the survey team's source list
 * (`acronym,name,kind,note`, given ids `${idPrefix}001…` in row order).
 *
 * @throws CairnetError CAIRNET_REGISTRY_INVALID on an empty, binary or malformed file, a missing
 * column, an empty name, a duplicate id or a bad origin.
 */
export function parseRegistryCsv(
  text: string,
  options: { idPrefix?: string; origin?: RegistryEntry['origin'] } = {},
): RegistryEntry[] {
  if (text.trim() === '') fail('the registry file is empty');
  if (text.includes('\u0000')) fail('the registry file is binary, not CSV text');
  let rows: Record<string, string>[];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      relax_column_count: false,
      trim: true,
    }) as Record<string, string>[];
  } catch (e) {
    fail(`the registry file is not valid CSV: ${(e as Error).message}`);
  }
  if (rows.length === 0) fail('the registry file has a header but no entries');
  const header = Object.keys(rows[0] ?? {});
  const own = REGISTRY_COLUMNS.every((c) => header.includes(c));
  const source = SOURCE_COLUMNS.slice(0, 3).every((c) => header.includes(c));
  if (!own && !source) {
    fail(
      `the registry file needs the columns ${REGISTRY_COLUMNS.join(',')} ` +
        `(or ${SOURCE_COLUMNS.join(',')}); it has ${header.join(',')}`,
    );
  }
  const seen = new Set<string>();
  const entries = rows.map((row, i): RegistryEntry => {
    const line = i + 2;
    for (const [k, v] of Object.entries(row)) {
      if (v.length > MAX_FIELD) fail(`line ${line}: column ${k} is longer than ${MAX_FIELD} characters`);
    }
    const name = row.name ?? '';
    if (!name) fail(`line ${line}: the name is empty`);
    let entry: RegistryEntry;
    if (own) {
      const origin = row.origin ?? '';
      if (origin !== 'real' && origin !== 'invented') {
        fail(`line ${line}: origin must be "real" or "invented", not "${origin}"`);
      }
      entry = {
        id: row.id ?? '',
        name,
        acronyms: splitList(row.acronyms),
        aliases: splitList(row.aliases),
        area: row.area ?? '',
        origin,
      };
      if (!entry.id) fail(`line ${line}: the id is empty`);
    } else {
      const note = readNote(row.note ?? '');
      const acronyms = [...splitList(row.acronym), ...note.acronyms];
      entry = {
        id: `${options.idPrefix ?? 'R'}${String(i + 1).padStart(3, '0')}`,
        name,
        acronyms: [...new Set(acronyms)],
        aliases: note.aliases,
        area: row.kind ?? '',
        origin: options.origin ?? 'real',
      };
    }
    if (seen.has(entry.id)) fail(`line ${line}: the id ${entry.id} is used twice`);
    seen.add(entry.id);
    return entry;
  });
  return entries;
}

/** Neutralises spreadsheet formulas (cells beginning with = + - @). */
function safeCell(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** Writes a registry as CSV (`id,name,acronyms,aliases,area,origin`), readable by {@link parseRegistryCsv}. */
export function formatRegistryCsv(entries: readonly RegistryEntry[]): string {
  return stringify(
    entries.map((e) => [
      e.id,
      safeCell(e.name),
      e.acronyms.map(safeCell).join('|'),
      e.aliases.map(safeCell).join('|'),
      safeCell(e.area),
      e.origin,
    ]),
    { header: true, columns: [...REGISTRY_COLUMNS] },
  );
}

/** Reads a registry CSV file; see {@link parseRegistryCsv}. */
export function readRegistryFile(path: string): RegistryEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw cairnetError(
      'CAIRNET_FILE_UNREADABLE',
      `cannot read the registry ${path}: ${(e as Error).message}`,
    );
  }
  return parseRegistryCsv(text);
}
