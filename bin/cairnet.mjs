#!/usr/bin/env node
// Entry point of the `cairnet` command: loads the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

// A reader that stops early (`cairnet campaign status | head`) closes the pipe: stop writing
// quietly, as command-line tools do, instead of dying on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
