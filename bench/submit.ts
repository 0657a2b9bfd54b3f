/**
 * `npm run bench -- submit`: completed Cairnet responses per second through HTTP on SQLite,
 * Cairnet's validated, idempotent route against a bare Fastify route that inserts the same row
 * with no validation, from the same run. The ratio is the figure.
 * Options: --total N (default 5000), --concurrency C (default 50).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePanel } from '../src/demo/index.js';
import { runLoad } from './_load.js';
import { spawnTarget } from './_spawn-target.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const total = option('total', 5000);
const concurrency = option('concurrency', 50);
const panel = generatePanel({ respondents: 651, seed: 2013 }).map((r) => r.data);
const run = `${Date.now()}`;
const body = (i: number) =>
  JSON.stringify({ data: panel[i % panel.length], idempotencyKey: `bench-${run}-${i}` });

const results: Record<string, Awaited<ReturnType<typeof runLoad>>> = {};
for (const mode of ['bare', 'app'] as const) {
  const dir = mkdtempSync(join(tmpdir(), 'cairnet-bench-'));
  const target = await spawnTarget(['--mode', mode, '--db', join(dir, 'bench.db')]);
  try {
    await runLoad({
      url: `${target.address}/api/instruments/cairnet/responses`,
      body,
      total: 200,
      concurrency,
    }); // warm-up
    results[mode] = await runLoad({
      url: `${target.address}/api/instruments/cairnet/responses`,
      body: (i) => body(i + 200),
      total,
      concurrency,
    });
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
const bare = results.bare!;
const app = results.app!;
const fmt = (r: typeof bare) =>
  `${r.perSecond.toFixed(0).padStart(6)} responses/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   ${JSON.stringify(r.statuses)}`;
console.log(
  `SQLite (synchronous=${process.env.CAIRNET_SQLITE_SYNC ?? 'FULL'}), ${total} completed Cairnet responses, ${concurrency} concurrent clients`,
);
console.log(`  bare Fastify insert : ${fmt(bare)}`);
console.log(`  Cairnet (validated) : ${fmt(app)}`);
console.log(
  `  ratio Cairnet / bare: throughput ${(app.perSecond / bare.perSecond).toFixed(2)}, p99 ${(app.p99 / bare.p99).toFixed(2)}`,
);
