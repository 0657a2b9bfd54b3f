/**
 * `npm run bench -- pushdown`: the whole Cairnet plan evaluated on 1,000,000 responses stored in
 * PostgreSQL with the counting done by the database (`cairnet analyze --counts sql`: GROUP BY on
 * the server for proportions and crosstabs, the typology's answer patterns and the distinct
 * names cited), then, as the reference from the same run, with the responses read into the
 * application (`--counts memory`). Each evaluation runs in a fresh process; the benchmark prints
 * its time and peak memory (max RSS), the ratios, and whether both gave the same results.
 *
 * Options: `--rows=N` (default 1000000), `--db=URL` (default the local PostgreSQL, schema
 * `bench_pushdown`), `--reload` (write the responses again even when the store holds N),
 * `--no-memory` (skip the reference). The responses are drawn with replacement from a generated
 * panel (bench/_resampled-store.ts) and kept between runs.
 */
import { spawnSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { resampledStore } from './_resampled-store.js';

const args = process.argv.slice(2);
const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROWS = Number(value('rows') ?? 1_000_000);
const DB = value('db') ?? 'postgres://postgres@127.0.0.1:5432/test?schema=bench_pushdown';

interface Run {
  counts: string;
  mode: string;
  seconds: number;
  startRssMB: number;
  peakRssMB: number;
  rowsRead: number;
  results: unknown;
}

function evaluate(counts: 'sql' | 'memory'): Run {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/_evaluate-store.ts', '--db', DB, '--counts', counts],
    { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (r.status !== 0) throw new Error(`evaluation with --counts ${counts} failed (${r.status})`);
  const run = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Run;
  process.stdout.write(
    `--counts ${counts}: ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMB} MB (${run.startRssMB} MB before evaluating), ` +
      `${run.rowsRead} responses read into the application, mode ${run.mode}\n`,
  );
  return run;
}

await resampledStore(DB, ROWS, args.includes('--reload'));
const pushed = evaluate('sql');
const results = pushed.results as {
  n: number;
  indicators: { id: string; estimate: number | null; status: string }[];
  typology?: { patterns: number | null };
};
process.stdout.write(
  `  ${results.n} responses, ${results.indicators.length} indicators (${results.indicators.filter((i) => i.status === 'ok').length} computed), ` +
    `typology on ${results.typology?.patterns ?? '?'} answer patterns; ` +
    `F2 ${results.indicators.find((i) => i.id === 'F2')?.estimate?.toFixed(4)}, F6 ${results.indicators.find((i) => i.id === 'F6')?.estimate}\n`,
);
if (!args.includes('--no-memory')) {
  const reference = evaluate('memory');
  process.stdout.write(
    `ratio sql/memory: time ${(pushed.seconds / reference.seconds).toFixed(2)}, peak memory ${(pushed.peakRssMB / reference.peakRssMB).toFixed(2)}; ` +
      `same results: ${isDeepStrictEqual(pushed.results, reference.results) ? 'yes' : 'NO'}\n`,
  );
}
