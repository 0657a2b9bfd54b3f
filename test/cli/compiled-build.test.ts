import { execFile } from 'node:child_process';
import { mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { builtFingerprint, DIST, ensureBuild, ROOT, sourceFingerprint } from '../../bin/build.mjs';

const run = promisify(execFile);
const BIN = join(ROOT, 'bin/cairnet.mjs');

/**
 * Runs `node bin/cairnet.mjs ARGS` with a module hook that prints every module URL it loads on
 * stderr (`LOADED url`); returns stdout and the loaded URLs.
 */
async function cairnetLoading(args: string[]): Promise<{ stdout: string; loaded: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'cairnet-loads-'));
  writeFileSync(
    join(dir, 'hook.mjs'),
    `export async function resolve(s, c, next) {
  const r = await next(s, c);
  process.stderr.write('LOADED ' + r.url + '\\n');
  return r;
}\n`,
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hook.mjs')).href)});\n`,
  );
  const { stdout, stderr } = await run(
    process.execPath,
    ['--import', join(dir, 'register.mjs'), BIN, ...args],
    {
      cwd: ROOT,
    },
  );
  const loaded = stderr
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => l.slice(7));
  return { stdout, loaded };
}

describe('the compiled command line', () => {
  it('runs `cairnet --help` from dist/ without tsx, and from the second run without loading any command', async () => {
    await ensureBuild();
    const first = await cairnetLoading(['--help']);
    const second = await cairnetLoading(['--help']);
    for (const { stdout, loaded } of [first, second]) {
      expect(stdout).toMatch(/^Usage: cairnet/);
      expect(stdout).toMatch(/serve \[options\]/);
      expect(loaded).toContain(pathToFileURL(join(DIST, 'cli/main.js')).href);
      expect(loaded.filter((u) => u.includes('/node_modules/tsx/'))).toEqual([]);
      expect(loaded.filter((u) => u.endsWith('.ts'))).toEqual([]);
    }
    // The second help reads the command list the first wrote: no command module, same text.
    expect(second.loaded.filter((u) => u.includes('/dist/cli/commands/'))).toEqual([]);
    expect(second.loaded.filter((u) => u.includes('/node_modules/kysely/'))).toEqual([]);
    expect(second.stdout).toBe(first.stdout);
  }, 120_000);

  it('rebuilds dist/ when a source file changed since the build, and only then', async () => {
    await ensureBuild();
    expect(builtFingerprint()).toBe(sourceFingerprint());
    expect(await ensureBuild()).toBe(false);
    // A developer saves a file: its modification time moves, the build is stale.
    const file = join(ROOT, 'src/errors.ts');
    const { atime, mtime } = statSync(file);
    utimesSync(file, atime, new Date(mtime.getTime() + 1000));
    expect(builtFingerprint()).not.toBe(sourceFingerprint());
    expect(await ensureBuild()).toBe(true);
    expect(builtFingerprint()).toBe(sourceFingerprint());
  }, 120_000);
});
