/**
 * The `cairnet` command line. Each file in `commands/` exports `register(program)` and adds one
 * command (or one command group) to the program; this file only assembles them.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { reportFailure } from './run-action.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Builds the program. With `only`, loads just the command file of that name (when there is one):
 * each command pulls in its own dependencies, so running one command need not load them all.
 */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command('cairnet')
    .description('Cairnet: an institutional survey from questionnaire to published results')
    .showHelpAfterError()
    .exitOverride();
  const dir = join(here, 'commands');
  let files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  const own = only && files.filter((f) => f.replace(/\.(ts|js)$/, '') === only);
  if (own && own.length === 1) files = own;
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as {
      register?: (p: Command) => void;
    };
    mod.register?.(program);
  }
  return program;
}

/**
 * Runs the command line on `args` (without node and script) and returns the exit status it set.
 * Tests call it in-process; bin/cairnet.mjs calls it with the real arguments.
 */
export async function runCli(args: string[]): Promise<number> {
  const first = args[0];
  const program = await buildProgram(first && !first.startsWith('-') && first !== 'help' ? first : undefined);
  process.exitCode = 0;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') {
      return 0;
    }
    if (typeof code === 'string' && code.startsWith('commander.')) {
      process.exitCode = 2;
      return 2;
    }
    reportFailure(e);
  }
  return Number(process.exitCode ?? 0);
}
