#!/usr/bin/env node
// `npm run bench [-- NAME …]`: runs bench/NAME.ts (every benchmark when no name is given).
// Each benchmark prints its own figures; none asserts a timing.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const all = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const args = process.argv.slice(2);
// Names come first; everything from the first option on is passed to each benchmark.
const firstOption = args.findIndex((a) => a.startsWith('-'));
const names = firstOption < 0 ? args : args.slice(0, firstOption);
const extra = firstOption < 0 ? [] : args.slice(firstOption);
const chosen = names.length ? names : all;
for (const name of chosen) {
  if (!all.includes(name)) {
    process.stderr.write(`error CAIRNET_USAGE: no benchmark named "${name}" (have: ${all.join(', ')})\n`);
    process.exit(2);
  }
}
let failed = 0;
for (const name of chosen) {
  process.stdout.write(`\n=== bench ${name}\n`);
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(benchDir, `${name}.ts`), ...extra],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
