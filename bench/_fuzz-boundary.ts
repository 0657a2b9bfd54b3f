/**
 * One boundary of `npm run bench -- fuzz`, in its own process (started by bench/fuzz.ts):
 * runs N fast-check cases, counts what each case came to, and keeps the inputs of every
 * finding. It reports to its parent over IPC; the parent is the watchdog for synchronous hangs
 * (the input being tried is always in OUT/NAME.current.txt).
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { type DialectName, openTestStore } from '../test/helpers/dialects.js';
import { analysisCase, analysisHarness } from '../test/security/fuzz/analysis-csv.js';
import { FuzzFinding, type FuzzOutcome, withinTime } from '../test/security/fuzz/finding.js';
import {
  instrumentImportHarness,
  lssCase,
  surveyJsCase,
  type XlsformCase,
  xlsformBytes,
  xlsformCase,
} from '../test/security/fuzz/instrument-import.js';
import {
  csvBytes,
  mapping,
  populationImportHarness,
  xlsxBytes,
  xlsxCase,
} from '../test/security/fuzz/population-import.js';
import { draftCase, type RespondCase, respondHarness, responseCase } from '../test/security/fuzz/respond.js';

export const BOUNDARIES = [
  'response',
  'draft',
  'surveyjs',
  'xlsform',
  'lss',
  'population-csv',
  'population-xlsx',
  'analysis-csv',
] as const;
export type BoundaryName = (typeof BOUNDARIES)[number];

export interface BoundaryTally {
  name: string;
  dialect: string;
  cases: number;
  accepted: number;
  rejected: Record<string, number>;
  failures: Record<string, number>;
  /** Distinct findings: kind and first line of the message → count. */
  signatures: Record<string, number>;
  slowestMs: number;
  over1s: number;
  seconds: number;
  seed: number;
}

interface Boundary<T> {
  arbitrary: fc.Arbitrary<T>;
  run(c: T): Promise<FuzzOutcome>;
  /** Whether this case touches a store (for the "dialect" column). */
  store: boolean;
  close(): Promise<void>;
}

async function boundary(name: BoundaryName, dialect: DialectName, dir: string): Promise<Boundary<unknown>> {
  const withStore = async <T>(
    make: (
      t: Awaited<ReturnType<typeof openTestStore>>,
    ) => Promise<{ arbitrary: fc.Arbitrary<T>; run(c: T): Promise<FuzzOutcome>; close?(): Promise<void> }>,
  ): Promise<Boundary<unknown>> => {
    const t = await openTestStore(dialect);
    const b = await make(t);
    return {
      arbitrary: b.arbitrary as fc.Arbitrary<unknown>,
      run: b.run as (c: unknown) => Promise<FuzzOutcome>,
      store: true,
      async close() {
        await b.close?.();
        await t.dispose();
      },
    };
  };
  switch (name) {
    case 'response':
    case 'draft':
      return withStore(async (t) => {
        const h = await respondHarness(t.store);
        return name === 'response'
          ? { arbitrary: responseCase, run: (c: RespondCase) => h.response(c), close: () => h.close() }
          : { arbitrary: draftCase, run: (c: RespondCase) => h.draft(c), close: () => h.close() };
      });
    case 'surveyjs':
      return withStore(async (t) => {
        const check = await instrumentImportHarness(t.store);
        return { arbitrary: surveyJsCase, run: (bytes: Buffer) => check(bytes, 'upload.json') };
      });
    case 'xlsform':
      return withStore(async (t) => {
        const check = await instrumentImportHarness(t.store);
        return {
          arbitrary: xlsformCase,
          run: async (c: XlsformCase) => check(await xlsformBytes(c), 'form.xlsx'),
        };
      });
    case 'lss':
      return withStore(async (t) => {
        const check = await instrumentImportHarness(t.store);
        return { arbitrary: lssCase, run: (xml: string) => check(Buffer.from(xml), 'survey.lss') };
      });
    case 'population-csv':
      return withStore(async (t) => {
        const check = await populationImportHarness(t.store, dir);
        return {
          arbitrary: fc.tuple(csvBytes, mapping, fc.boolean()),
          run: ([bytes, map, dryRun]) => check('.csv', bytes, map, dryRun),
        };
      });
    case 'population-xlsx':
      return withStore(async (t) => {
        const check = await populationImportHarness(t.store, dir);
        return {
          arbitrary: fc.tuple(xlsxCase, mapping, fc.boolean()),
          run: async ([c, map, dryRun]) => check('.xlsx', await xlsxBytes(c), map, dryRun),
        };
      });
    case 'analysis-csv': {
      const run = analysisHarness(dir);
      return {
        arbitrary: analysisCase as fc.Arbitrary<unknown>,
        run: run as (c: unknown) => Promise<FuzzOutcome>,
        store: false,
        close: async () => {},
      };
    }
  }
}

/** Runs `runs` cases of one boundary; `progress` is called every few seconds with the tally so far. */
export async function fuzzBoundary(opts: {
  name: BoundaryName;
  runs: number;
  seed: number;
  dialect: DialectName;
  out: string;
  caseTimeoutMs: number;
  deadline?: number | undefined;
  progress?: (t: BoundaryTally) => void;
}): Promise<BoundaryTally> {
  mkdirSync(opts.out, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), `cairnet-fuzz-${opts.name}-`));
  const b = await boundary(opts.name, opts.dialect, dir);
  const tally: BoundaryTally = {
    name: opts.name,
    dialect: b.store ? opts.dialect : '-',
    cases: 0,
    accepted: 0,
    rejected: {},
    failures: {},
    signatures: {},
    slowestMs: 0,
    over1s: 0,
    seconds: 0,
    seed: opts.seed,
  };
  const current = join(opts.out, `${opts.name}.current.txt`);
  const failures = join(opts.out, `${opts.name}.failures.jsonl`);
  const started = performance.now();
  let lastReport = started;
  let stopped = false;
  await fc.check(
    fc.asyncProperty(b.arbitrary, async (c) => {
      if (stopped) return true;
      if (opts.deadline !== undefined && Date.now() > opts.deadline) {
        stopped = true;
        return true;
      }
      // The input being tried, for the watchdog: raw when it is bytes or text (cheap), else as fast-check shows it.
      let shownCache: string | undefined;
      const shown = () => (shownCache ??= fc.stringify(c));
      writeFileSync(current, Buffer.isBuffer(c) || typeof c === 'string' ? c : shown());
      const t0 = performance.now();
      try {
        const outcome = await withinTime(opts.caseTimeoutMs, b.run(c));
        if (outcome.accepted) tally.accepted++;
        else tally.rejected[outcome.code] = (tally.rejected[outcome.code] ?? 0) + 1;
      } catch (e) {
        const finding =
          e instanceof FuzzFinding
            ? e
            : new FuzzFinding('crash', `thrown by the harness: ${(e as Error)?.stack ?? e}`);
        tally.failures[finding.kind] = (tally.failures[finding.kind] ?? 0) + 1;
        const signature = finding.message.split('\n')[0]!.slice(0, 160);
        tally.signatures[signature] = (tally.signatures[signature] ?? 0) + 1;
        // Every input of the first 20 of each signature, for the regression tests.
        if (tally.signatures[signature]! <= 20) {
          appendFileSync(
            failures,
            `${JSON.stringify({ kind: finding.kind, message: finding.message.slice(0, 4000), input: shown().slice(0, 300_000) })}\n`,
          );
        }
      }
      const ms = performance.now() - t0;
      if (ms > tally.slowestMs) {
        tally.slowestMs = ms;
        writeFileSync(join(opts.out, `${opts.name}.slowest.txt`), `${ms.toFixed(0)} ms\n${shown()}`);
      }
      if (ms > 1000) tally.over1s++;
      tally.cases++;
      const now = performance.now();
      if (now - lastReport > 5000) {
        lastReport = now;
        tally.seconds = (now - started) / 1000;
        opts.progress?.(tally);
      }
      return true;
    }),
    { numRuns: opts.runs, seed: opts.seed, endOnFailure: true },
  );
  tally.seconds = (performance.now() - started) / 1000;
  await b.close();
  rmSync(dir, { recursive: true, force: true });
  return tally;
}

/**
 * Tries again the inputs of a failures file (OUT/NAME.failures.jsonl) on the code as it is now:
 * for each, what it comes to (accepted, a refusal's code, or the finding still there).
 */
export async function replayFailures(
  name: BoundaryName,
  file: string,
  dialect: DialectName,
): Promise<{ input: string; was: string; now: string }[]> {
  const dir = mkdtempSync(join(tmpdir(), `cairnet-fuzz-${name}-`));
  const b = await boundary(name, dialect, dir);
  const results: { input: string; was: string; now: string }[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { message, input } = JSON.parse(line) as { message: string; input: string };
    // fast-check's stringify is a JavaScript expression (Buffer.from([…]), undefined, …).
    const value = new Function('Buffer', `return (${input});`)(Buffer) as unknown;
    let now: string;
    try {
      const outcome = await withinTime(60_000, b.run(value));
      now = outcome.accepted ? 'accepted' : outcome.code;
    } catch (e) {
      now = (e instanceof FuzzFinding ? e.message : `${(e as Error)?.stack ?? e}`)
        .split('\n')[0]!
        .slice(0, 200);
    }
    results.push({ input: input.slice(0, 120), was: message.split('\n')[0]!.slice(0, 120), now });
  }
  await b.close();
  rmSync(dir, { recursive: true, force: true });
  return results;
}

// Started by bench/fuzz.ts: `_fuzz-boundary.ts NAME RUNS SEED DIALECT OUT TIMEOUT_MS [DEADLINE]`.
if (process.argv[1]?.endsWith('_fuzz-boundary.ts') && process.send) {
  const [name, runs, seed, dialect, out, timeout, deadline] = process.argv.slice(2);
  const send = (m: unknown) => process.send!(m);
  const tally = await fuzzBoundary({
    name: name as BoundaryName,
    runs: Number(runs),
    seed: Number(seed),
    dialect: dialect as DialectName,
    out: out!,
    caseTimeoutMs: Number(timeout),
    deadline: deadline ? Number(deadline) : undefined,
    progress: (t) => send({ type: 'progress', tally: t }),
  });
  send({ type: 'done', tally });
  process.disconnect();
}
