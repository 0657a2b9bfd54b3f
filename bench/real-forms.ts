/**
 * `npm run bench -- real-forms --dir DIR` (or `node --import tsx bench/real-forms.ts DIR`): how
 * many real questionnaires of a folder import. Each file (searched in DIR and its subfolders)
 * goes through the command a survey team runs, `cairnet instrument import FILE --dry-run --json`,
 * in its own process; it counts as imported when that command succeeds, and as refused with its
 * `CAIRNET_…` code otherwise. Prints one line per file and, per format, "n of N imported", the
 * refusals grouped by code and the losses reported (`notCarried`) per attribute.
 *
 * Files read: `.lss` (LimeSurvey), `.xlsx` / `.xls` (XLSForm), `.json` (SurveyJS), and the text
 * forms of an XLSForm that pyxform's tests use: `.md` (markdown tables, `| survey |` then a row
 * per line) and `.csv` (a sheet name alone on its line, then its rows). Those two are written as
 * an `.xlsx` workbook first (cells as text, in a temporary folder) and imported as XLSForms.
 *
 * Options: --dir DIR (the first argument otherwise), --json (the per-file results as JSON).
 * Real files stay out of the repository: keep them in a folder such as /tmp/realforms.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, relative } from 'node:path';
import ExcelJS from 'exceljs';

const args = process.argv.slice(2);
const dirAt = args.indexOf('--dir');
const dir = dirAt >= 0 ? args[dirAt + 1] : args.find((a) => !a.startsWith('-'));
if (!dir) {
  console.error('error CAIRNET_USAGE: give the folder of questionnaires: --dir DIR');
  process.exit(2);
}
const asJson = args.includes('--json');
const ROOT = join(import.meta.dirname, '..');
const FORMATS: Record<string, string> = {
  '.lss': 'LimeSurvey',
  '.xlsx': 'XLSForm',
  '.xls': 'XLSForm',
  '.md': 'XLSForm',
  '.csv': 'XLSForm',
  '.json': 'SurveyJS',
};

interface Result {
  file: string;
  format: string;
  imported: boolean;
  code?: string;
  message?: string;
  questions?: number;
  notCarried?: { where: string; attribute?: string; message: string }[];
}

function filesOf(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return filesOf(path);
      return FORMATS[extname(name).toLowerCase()] ? [path] : [];
    });
}

/** The sheets of a pyxform markdown form: `| sheet |` opens a sheet, `| | a | b |` is a row of it. */
function sheetsOfMarkdown(text: string): Map<string, string[][]> {
  const sheets = new Map<string, string[][]>();
  let current: string[][] | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim().startsWith('|')) continue;
    const cells = line
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((c) => c.trim());
    if (cells[0] !== '') {
      current = [];
      sheets.set(cells[0]!, current);
    } else current?.push(cells.slice(1));
  }
  return sheets;
}

/** The sheets of a pyxform CSV form: a line whose first cell alone is filled names the next sheet. */
function sheetsOfCsv(text: string): Map<string, string[][]> {
  const sheets = new Map<string, string[][]>();
  let current: string[][] | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const cells = parseCsvLine(line);
    if (cells[0] !== '' && cells.slice(1).every((c) => c === '')) {
      current = [];
      sheets.set(cells[0]!, current);
    } else current?.push(cells.slice(1));
  }
  return sheets;
}

function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

async function asWorkbook(path: string, work: string): Promise<string> {
  const text = readFileSync(path, 'utf8');
  const sheets = extname(path).toLowerCase() === '.md' ? sheetsOfMarkdown(text) : sheetsOfCsv(text);
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of sheets) {
    const ws = wb.addWorksheet(name.slice(0, 31));
    // Trailing empty cells are dropped, as a spreadsheet would not store them.
    for (const row of rows) ws.addRow(row.slice(0, 1 + row.findLastIndex((c) => c !== '')));
  }
  const out = join(work, `${basename(path, extname(path))}.xlsx`);
  writeFileSync(out, Buffer.from(await wb.xlsx.writeBuffer()));
  return out;
}

function importOne(path: string): Omit<Result, 'file' | 'format'> {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'bin/cairnet.mjs'), 'instrument', 'import', path, '--dry-run', '--json'],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, LOG_LEVEL: 'silent' } },
  );
  if (r.status === 0) {
    const out = JSON.parse(r.stdout) as {
      report: { questions: number; notCarried: Result['notCarried'] };
    };
    return { imported: true, questions: out.report.questions, notCarried: out.report.notCarried };
  }
  const err = /error (CAIRNET_[A-Z_]+): (.*)/.exec(`${r.stderr}\n${r.stdout}`);
  return {
    imported: false,
    code: err?.[1] ?? (r.signal ? `killed by ${r.signal}` : `exit ${r.status}`),
    message: (err?.[2] ?? r.stderr.trim().split('\n').at(-1) ?? '').slice(0, 200),
  };
}

const work = mkdtempSync(join(tmpdir(), 'cairnet-real-forms-'));
const results: Result[] = [];
try {
  for (const path of filesOf(dir)) {
    const ext = extname(path).toLowerCase();
    const format = FORMATS[ext]!;
    const target = ext === '.md' || ext === '.csv' ? await asWorkbook(path, work) : path;
    const result: Result = { file: relative(dir, path), format, ...importOne(target) };
    results.push(result);
    if (!asJson) {
      const what = result.imported
        ? `imported, ${result.questions} question(s), ${result.notCarried?.length ?? 0} loss(es) reported`
        : `REFUSED ${result.code}: ${result.message}`;
      console.log(`${format.padEnd(10)} ${result.file}: ${what}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (asJson) {
  console.log(JSON.stringify(results, null, 2));
} else {
  console.log('');
  for (const format of [...new Set(results.map((r) => r.format))]) {
    const of = results.filter((r) => r.format === format);
    const ok = of.filter((r) => r.imported).length;
    console.log(`${format}: ${ok} of ${of.length} imported (${Math.round((100 * ok) / of.length)} %)`);
    const codes = new Map<string, number>();
    for (const r of of) if (!r.imported) codes.set(r.code!, (codes.get(r.code!) ?? 0) + 1);
    for (const [code, n] of codes) console.log(`  refused ${code}: ${n}`);
    const losses = new Map<string, number>();
    for (const r of of)
      for (const n of r.notCarried ?? [])
        losses.set(n.attribute ?? '-', (losses.get(n.attribute ?? '-') ?? 0) + 1);
    const top = [...losses].sort((a, b) => b[1] - a[1]).slice(0, 8);
    if (top.length)
      console.log(`  losses reported, by attribute: ${top.map(([a, n]) => `${a} ${n}`).join(', ')}`);
  }
  const ok = results.filter((r) => r.imported).length;
  console.log(`all: ${ok} of ${results.length} imported`);
}
