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
const names = args.filter((a) => !a.startsWith('-'));
const extra = args.filter((a) => a.startsWith('-'));
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
