#!/usr/bin/env node
// Compiles Cairnet once, so that the command line runs plain JavaScript (no TypeScript loader):
//   - every `src/**/*.ts` except the browser code → `dist/**/*.js` (esbuild, one file per file,
//     same folder depth as `src/`, so paths relative to a module — `../../instruments/…` — still
//     reach the package's folders);
//   - every other file of `src/` (seed CSVs, style sheets, scripts served as they are) copied
//     beside them;
//   - the browser code, each `src/web/client/*.ts` page, bundled into `dist/web/public/NAME.js`,
//     the folder the server serves under `/assets/`.
// esbuild does not type-check: `npm run check` does (tsc --noEmit).
//
// `npm install` and `npm ci` run it (the `prepare` script); `bin/cairnet.mjs` and the test
// suite's global setup call `ensureBuild()`, which rebuilds when a file of `src/` changed since
// the last build (a fingerprint of paths, sizes and modification times; about 5 ms to check).
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
const SRC = join(ROOT, 'src');
const CLIENT = join(SRC, 'web', 'client');
const STAMP = join(DIST, '.build-stamp.json');
const LOCK = join(DIST, '.lock');
/** Files outside `src/` whose change makes a build stale. */
const ALSO = ['bin/build.mjs', 'tsconfig.json', 'package.json'];

/** Every file under `dir` (absolute paths), folders first-level sorted. */
function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/** A hash of the path, size and modification time of every source file. */
export function sourceFingerprint() {
  const hash = createHash('sha256');
  for (const path of [...walk(SRC), ...ALSO.map((p) => join(ROOT, p))]) {
    const st = statSync(path);
    hash.update(`${relative(ROOT, path)}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** The fingerprint the current build was made from, or undefined. */
export function builtFingerprint() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8')).fingerprint;
  } catch {
    return undefined;
  }
}

const isClient = (path) => path.startsWith(CLIENT + sep);

/** Builds `dist/` from `src/` (see the top of this file); returns the build's duration in ms. */
export async function build() {
  const started = Date.now();
  const fingerprint = sourceFingerprint();
  const esbuild = await import('esbuild');
  const files = walk(SRC);
  const written = new Set([STAMP]);
  const server = await esbuild.build({
    entryPoints: files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !isClient(f)),
    outdir: DIST,
    outbase: SRC,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    metafile: true,
  });
  for (const out of Object.keys(server.metafile.outputs)) written.add(join(ROOT, out));
  const pages = files.filter((f) => dirname(f) === CLIENT && f.endsWith('.ts') && !f.endsWith('.d.ts'));
  if (pages.length > 0) {
    const client = await esbuild.build({
      entryPoints: pages,
      outdir: join(DIST, 'web', 'public'),
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      sourcemap: 'linked',
      logLevel: 'error',
      metafile: true,
    });
    for (const out of Object.keys(client.metafile.outputs)) written.add(join(ROOT, out));
  }
  for (const file of files) {
    if (file.endsWith('.ts') || isClient(file)) continue;
    const to = join(DIST, relative(SRC, file));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(file, to);
    written.add(to);
  }
  // Files of an earlier build whose source is gone (a renamed command file would still be loaded).
  for (const file of walk(DIST)) {
    if (!written.has(file) && !file.startsWith(LOCK)) rmSync(file, { force: true });
  }
  const tmp = `${STAMP}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ fingerprint, builtAt: new Date().toISOString() }));
  renameSync(tmp, STAMP);
  return Date.now() - started;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` holding `dist/.lock` (a folder: creating it is atomic), so that builds never overlap. */
async function withLock(fn) {
  mkdirSync(DIST, { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      try {
        // A lock older than two minutes was left by a build that died.
        if (Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      } catch {}
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Builds when `dist/` is missing or older than the sources; returns whether it built. Two
 * processes starting together build once: the second waits for the first, then finds it fresh.
 */
export async function ensureBuild() {
  if (builtFingerprint() === sourceFingerprint()) return false;
  return withLock(async () => {
    if (builtFingerprint() === sourceFingerprint()) return false;
    await build();
    return true;
  });
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const ms = await withLock(build);
  console.log(`cairnet: built dist/ in ${ms} ms`);
  // The top-level help is drawn from the command list the build's first `--help` writes: write
  // it now, so that `cairnet --help` is fast from the first run after `npm install`.
  try {
    const { writeCommandList } = await import(pathToFileURL(join(DIST, 'cli', 'main.js')).href);
    await writeCommandList();
  } catch (e) {
    console.warn(`cairnet: the command list was not written (${e.message}); the first --help writes it`);
  }
}
