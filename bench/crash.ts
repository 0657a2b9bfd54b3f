/**
 * `npm run bench -- crash`: the crash test at full size — 20,000 completed responses from 100
 * clients, the server killed with SIGKILL after 30% are acknowledged, restarted, every client
 * retrying with its idempotency key — on SQLite and PostgreSQL. It fails if any acknowledged
 * response is missing, altered or doubled. Options: --total N, --concurrency C.
 */
import { spawnSync } from 'node:child_process';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const total = option('total', '20000');
const concurrency = option('concurrency', '100');
const started = performance.now();
const r = spawnSync('npx', ['vitest', 'run', 'test/durability/crash.test.ts', '--testTimeout', '0'], {
  stdio: 'inherit',
  env: { ...process.env, CAIRNET_CRASH_TOTAL: total, CAIRNET_CRASH_CONCURRENCY: concurrency },
});
const seconds = (performance.now() - started) / 1000;
console.log(
  `crash: ${total} responses, ${concurrency} clients, SIGKILL after 30%, both databases: ${seconds.toFixed(1)} s, ${r.status === 0 ? 'every acknowledged response kept, once' : 'FAILED'}`,
);
process.exitCode = r.status ?? 1;
