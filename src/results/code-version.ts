import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

let cached: string | undefined;

/**
 * The version of the code a snapshot was computed with, without git: package.json's version
 * and the first 16 hex digits of a sha256 over every file of `src/` (path and content, in path
 * order), e.g. `0.1.0+3f9a1c0b2e4d5a67`. Computed once per process.
 */
export function codeVersion(): string {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version?: string };
  const hash = createHash('sha256');
  for (const path of files(join(ROOT, 'src')).sort()) {
    hash.update(`${relative(ROOT, path).split('\\').join('/')}\n`);
    hash.update(readFileSync(path));
  }
  cached = `${pkg.version ?? '0.0.0'}+${hash.digest('hex').slice(0, 16)}`;
  return cached;
}
