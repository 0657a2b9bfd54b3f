#!/usr/bin/env node
// Entry point of the `cairnet` command: runs the compiled build in dist/ (bin/build.mjs), made by
// `npm install` and remade here, before running, when a file of src/ changed since (a developer
// editing the sources never runs stale code). If it cannot be built (a read-only install, a
// syntax error esbuild refuses), it says so on one line and runs the sources through tsx.
import { ensureBuild, ROOT } from './build.mjs';

// A reader that stops early (`cairnet campaign status | head`) closes the pipe: stop writing
// quietly, as command-line tools do, instead of dying on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

let main = new URL('../dist/cli/main.js', import.meta.url);
try {
  await ensureBuild();
} catch (e) {
  process.stderr.write(
    `cairnet: could not build ${ROOT}/dist (${e.message}); running the sources through tsx\n`,
  );
  const { register } = await import('tsx/esm/api');
  register();
  main = new URL('../src/cli/main.ts', import.meta.url);
}
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv.slice(2));
