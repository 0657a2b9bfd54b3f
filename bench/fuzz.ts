/**
 * `npm run bench -- fuzz`: the property-based fuzzing of test/security at full size — 100,000
 * cases for each boundary (response and draft endpoints, SurveyJS JSON, XLSForm and .lss
 * imports, population CSV and XLSX, the CSV analysis commands), with the same arbitraries and
 * checks as the tests: no crash, no 500, a registered error code on every refusal, nothing
 * written by a refused input (every committed row is counted by triggers), and the invariants
 * of each boundary. A finding does not stop the run: it is counted and its input kept in
 * OUT/NAME.failures.jsonl. Each boundary runs in its own process, watched for hangs.
 *
 * Options: --runs N (100000), --dialect sqlite|postgres (sqlite), --only a,b (in that order), --jobs N (2),
 * --seed S (a fresh one, printed), --out DIR (/tmp/cairnet-fuzz), --case-timeout-ms (30000),
 * --hang-seconds (180), --minutes M (stop each boundary after M minutes; the figures say so),
 * --replay NAME=FILE (try the inputs of a failures file again on the code as it is now).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOUNDARIES, type BoundaryName, type BoundaryTally, replayFailures } from './_fuzz-boundary.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const runs = Number(option('runs', '100000'));
const dialect = option('dialect', 'sqlite');
const jobs = Math.max(1, Number(option('jobs', '2')));
const seed = Number(option('seed', String(Date.now() % 2 ** 31)));
const out = option('out', '/tmp/cairnet-fuzz');
const caseTimeoutMs = Number(option('case-timeout-ms', '30000'));
const hangSeconds = Number(option('hang-seconds', '180'));
const minutes = Number(option('minutes', '0'));
const only = option('only', '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const o of only) {
  if (!(BOUNDARIES as readonly string[]).includes(o)) {
    console.error(`error CAIRNET_USAGE: no boundary "${o}" (have: ${BOUNDARIES.join(', ')})`);
    process.exit(2);
  }
}
if (dialect !== 'sqlite' && dialect !== 'postgres') {
  console.error('error CAIRNET_USAGE: --dialect is sqlite or postgres');
  process.exit(2);
}
// The slowest first, so that two jobs finish close together.
const ORDER: BoundaryName[] = [
  'xlsform',
  'surveyjs',
  'population-xlsx',
  'lss',
  'analysis-csv',
  'population-csv',
  'response',
  'draft',
];
// --replay NAME=FILE: the inputs of a failures file tried again on the code as it is now.
const replay = option('replay', '');
if (replay) {
  const [name, file] = replay.split('=');
  if (!name || !file || !(BOUNDARIES as readonly string[]).includes(name)) {
    console.error('error CAIRNET_USAGE: --replay NAME=FILE, NAME one of the boundaries');
    process.exit(2);
  }
  const rows = await replayFailures(name as BoundaryName, file, dialect as 'sqlite' | 'postgres');
  for (const r of rows)
    console.log(`${r.now.startsWith('[') ? 'STILL ' : 'fixed '} ${r.now}  (was ${r.was})`);
  const still = rows.filter((r) => r.now.startsWith('[')).length;
  console.log(`replay: ${rows.length} inputs, ${rows.length - still} fixed, ${still} still failing`);
  process.exit(still ? 1 : 0);
}
const queue = only.length ? (only as BoundaryName[]) : ORDER;
const deadline = minutes > 0 ? Date.now() + minutes * 60_000 : undefined;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
console.log(
  `fuzz: ${runs} cases per boundary, ${queue.length} boundaries, ${dialect}, ${jobs} jobs, seed ${seed}, findings in ${out}`,
);

const merge = (a: BoundaryTally | undefined, b: BoundaryTally): BoundaryTally => {
  if (!a) return b;
  const add = (x: Record<string, number>, y: Record<string, number>) => {
    const r = { ...x };
    for (const [k, v] of Object.entries(y)) r[k] = (r[k] ?? 0) + v;
    return r;
  };
  return {
    ...b,
    cases: a.cases + b.cases,
    accepted: a.accepted + b.accepted,
    rejected: add(a.rejected, b.rejected),
    failures: add(a.failures, b.failures),
    signatures: add(a.signatures, b.signatures),
    slowestMs: Math.max(a.slowestMs, b.slowestMs),
    over1s: a.over1s + b.over1s,
    seconds: a.seconds + b.seconds,
    seed: a.seed,
  };
};

const failureCount = (t: BoundaryTally) => Object.values(t.failures).reduce((s, n) => s + n, 0);
const line = (t: BoundaryTally) =>
  `${t.name} [${t.dialect}]: ${t.cases} cases, ${t.accepted} accepted, ${t.cases - t.accepted - failureCount(t)} rejected, ${failureCount(t)} failures, ${t.seconds.toFixed(0)} s, ${(t.cases / Math.max(t.seconds, 1e-9)).toFixed(1)} cases/s`;

/** Runs one boundary to `runs` cases, restarting its process after a hang or a crash. */
async function runBoundary(name: BoundaryName, index: number): Promise<BoundaryTally> {
  let total: BoundaryTally | undefined;
  let attempt = 0;
  while ((total?.cases ?? 0) < runs && attempt < 6) {
    const remaining = runs - (total?.cases ?? 0);
    const s = seed + index * 1000 + attempt;
    attempt++;
    const { tally, ended } = await runChild(name, remaining, s);
    total = merge(total, tally);
    if (ended === 'done') break;
    if (deadline !== undefined && Date.now() > deadline) break;
  }
  return total!;
}

function runChild(
  name: BoundaryName,
  n: number,
  s: number,
): Promise<{ tally: BoundaryTally; ended: 'done' | 'hang' | 'crash' }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let last: BoundaryTally = {
      name,
      dialect,
      cases: 0,
      accepted: 0,
      rejected: {},
      failures: {},
      signatures: {},
      slowestMs: 0,
      over1s: 0,
      seconds: 0,
      seed: s,
    };
    let lastSeen = Date.now();
    let stderr = '';
    const child: ChildProcess = fork(
      join(import.meta.dirname, '_fuzz-boundary.ts'),
      [name, String(n), String(s), dialect, out, String(caseTimeoutMs), deadline ? String(deadline) : ''],
      {
        execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      },
    );
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-20_000);
    });
    let finished = false;
    const finish = (ended: 'done' | 'hang' | 'crash', why?: string) => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      if (ended !== 'done') {
        // The case being tried when the process hung or died is a finding of its own.
        let input = '';
        try {
          input = readFileSync(join(out, `${name}.current.txt`), 'utf8');
        } catch {}
        last.cases++;
        last.failures[ended] = (last.failures[ended] ?? 0) + 1;
        const sig = `[${ended}] ${why ?? ''}`.slice(0, 160);
        last.signatures[sig] = (last.signatures[sig] ?? 0) + 1;
        last.seconds = (Date.now() - started) / 1000;
        appendFileSync(
          join(out, `${name}.failures.jsonl`),
          `${JSON.stringify({ kind: ended, message: `${why}\n${stderr.slice(-4000)}`, input: input.slice(0, 300_000) })}\n`,
        );
        console.log(`${name}: ${ended} (${why}); restarting with the cases left`);
      }
      resolve({ tally: last, ended });
    };
    const watchdog = setInterval(() => {
      if (Date.now() - lastSeen > hangSeconds * 1000) {
        child.kill('SIGKILL');
        finish('hang', `no progress for ${hangSeconds} s`);
      }
    }, 5000);
    child.on('message', (m: { type: string; tally: BoundaryTally }) => {
      lastSeen = Date.now();
      last = m.tally;
      if (m.type === 'progress') console.log(`  … ${line(m.tally)}`);
      if (m.type === 'done') finish('done');
    });
    child.on('exit', (code, signal) => {
      if (!finished) finish('crash', `process ended (${signal ?? code}) after ${last.cases} cases`);
    });
  });
}

const results = new Map<BoundaryName, BoundaryTally>();
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    while (next < queue.length) {
      const i = next++;
      const name = queue[i]!;
      console.log(`start ${name}`);
      const t = await runBoundary(name, i);
      results.set(name, t);
      console.log(`done ${line(t)}`);
      writeFileSync(join(out, 'summary.json'), JSON.stringify([...results.values()], null, 2));
    }
  }),
);
const wall = (performance.now() - started) / 1000;

console.log(`\nfuzz: seed ${seed}, ${dialect}, ${jobs} jobs, ${(wall / 60).toFixed(1)} min wall`);
console.log(
  '| boundary | store | cases | accepted | rejected by code | failures | wall | cases/s | slowest case |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
let failed = 0;
for (const name of queue) {
  const t = results.get(name);
  if (!t) continue;
  const f = failureCount(t);
  failed += f;
  const rejected = Object.entries(t.rejected)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c.replace(/^CAIRNET_/, '')} ${n}`)
    .join(', ');
  const failures = f
    ? Object.entries(t.failures)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')
    : '0';
  console.log(
    `| ${name} | ${t.dialect} | ${t.cases} | ${t.accepted} | ${rejected} | ${failures} | ${t.seconds.toFixed(0)} s | ${(t.cases / t.seconds).toFixed(1)} | ${t.slowestMs.toFixed(0)} ms |`,
  );
}
for (const name of queue) {
  const t = results.get(name);
  if (!t || failureCount(t) === 0) continue;
  console.log(`\n${name}: distinct findings (inputs in ${join(out, `${name}.failures.jsonl`)})`);
  for (const [sig, n] of Object.entries(t.signatures).sort((a, b) => b[1] - a[1]))
    console.log(`  ${n} × ${sig}`);
}
const cut = queue.filter((name) => (results.get(name)?.cases ?? 0) < runs);
if (cut.length) console.log(`\n(stopped by --minutes ${minutes} under ${runs} cases: ${cut.join(', ')})`);
console.log(failed ? `\nfuzz: ${failed} FAILURES` : '\nfuzz: no failure');
process.exitCode = failed ? 1 : 0;
