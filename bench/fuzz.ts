/**
 * `npm run bench -- fuzz`: the property-based fuzzing of test/security at full size
 * (100,000 cases per property unless --runs N), on SQLite (--dialect postgres to change).
 * Prints the time taken; a failure prints fast-check's shrunk counterexample and exits non-zero.
 */
import { spawnSync } from 'node:child_process';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const runs = option('runs', '100000');
const dialect = option('dialect', 'sqlite');
const started = performance.now();
const r = spawnSync('npx', ['vitest', 'run', 'test/security', '--testTimeout', '0', '--hookTimeout', '0'], {
  stdio: 'inherit',
  env: { ...process.env, CAIRNET_FUZZ_RUNS: runs, CAIRNET_TEST_DIALECTS: dialect },
});
const seconds = (performance.now() - started) / 1000;
console.log(
  `fuzz: ${runs} cases per property on ${dialect}, ${seconds.toFixed(1)} s, ${r.status === 0 ? 'no failure' : 'FAILED'}`,
);
process.exitCode = r.status ?? 1;
