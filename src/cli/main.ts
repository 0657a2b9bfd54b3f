/**
 * The `cairnet` command line. Each file in `commands/` exports `register(program)` and adds one
 * command (or one command group) to the program; this file only assembles them.
 */
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Argument, Command, Option } from 'commander';
import { reportFailure } from './run-action.js';

const here = dirname(fileURLToPath(import.meta.url));

function newProgram(): Command {
  return new Command('cairnet')
    .description('Cairnet: an institutional survey from questionnaire to published results')
    .showHelpAfterError()
    .exitOverride();
}

/**
 * Builds the program. With `only`, loads just the command file of that name (when there is one):
 * each command pulls in its own dependencies, so running one command need not load them all.
 */
export async function buildProgram(only?: string): Promise<Command> {
  const program = newProgram();
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

/** What the top-level help shows of a command: the list written by a compiled build. */
interface CommandEntry {
  name: string;
  aliases: string[];
  description: string;
  summary: string;
  args: { name: string; required: boolean; variadic: boolean }[];
  options: boolean;
  hidden: boolean;
  group: string;
}

/**
 * The top-level help (`cairnet`, `cairnet --help`, `cairnet help`) needs every command's name and
 * description, not the modules behind them. A compiled build (dist/) keeps them in
 * `dist/cli/commands.json`, written by `npm install`'s build or by the first such help after a
 * rebuild and valid for that build only (the build's fingerprint is in it); with it, the help
 * loads no command module. Run from the TypeScript sources, there is no list and all load.
 */
const COMMAND_LIST = join(here, 'commands.json');
const BUILD_STAMP = join(here, '..', '.build-stamp.json');

function buildFingerprint(): string | undefined {
  try {
    return (JSON.parse(readFileSync(BUILD_STAMP, 'utf8')) as { fingerprint?: string }).fingerprint;
  } catch {
    return undefined;
  }
}

function commandEntries(program: Command): CommandEntry[] {
  return program.commands.map((c) => ({
    name: c.name(),
    aliases: c.aliases(),
    description: c.description(),
    summary: c.summary(),
    args: c.registeredArguments.map((a) => ({ name: a.name(), required: a.required, variadic: a.variadic })),
    options: c.options.length > 0,
    hidden: (c as unknown as { _hidden?: boolean })._hidden === true,
    group: c.helpGroup(),
  }));
}

/** Writes the command list of a compiled build (see COMMAND_LIST); no-op from the sources. */
export async function writeCommandList(program?: Command): Promise<void> {
  const fingerprint = buildFingerprint();
  if (!fingerprint) return;
  const commands = commandEntries(program ?? (await buildProgram()));
  const tmp = `${COMMAND_LIST}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ fingerprint, commands }));
  renameSync(tmp, COMMAND_LIST);
}

/** The program with stand-ins drawn from the command list, or undefined when there is none. */
function programFromList(): Command | undefined {
  const fingerprint = buildFingerprint();
  if (!fingerprint) return undefined;
  let list: { fingerprint?: string; commands?: CommandEntry[] };
  try {
    list = JSON.parse(readFileSync(COMMAND_LIST, 'utf8'));
  } catch {
    return undefined;
  }
  if (list.fingerprint !== fingerprint || !Array.isArray(list.commands)) return undefined;
  const program = newProgram();
  for (const e of list.commands) {
    const cmd = new Command(e.name).description(e.description).summary(e.summary).aliases(e.aliases);
    for (const a of e.args) {
      const name = `${a.name}${a.variadic ? '...' : ''}`;
      cmd.addArgument(new Argument(a.required ? `<${name}>` : `[${name}]`));
    }
    if (e.options) cmd.addOption(new Option('--stand-in').hideHelp());
    if (e.group) cmd.helpGroup(e.group);
    program.addCommand(cmd, { hidden: e.hidden });
  }
  return program;
}

const isTopHelp = (args: string[]) =>
  args.length === 0 || (args.length === 1 && ['--help', '-h', 'help'].includes(args[0]!));

/**
 * Runs the command line on `args` (without node and script) and returns the exit status it set.
 * Tests call it in-process; bin/cairnet.mjs calls it with the real arguments.
 */
export async function runCli(args: string[]): Promise<number> {
  const first = args[0];
  let program = isTopHelp(args) ? programFromList() : undefined;
  if (!program) {
    program = await buildProgram(first && !first.startsWith('-') && first !== 'help' ? first : undefined);
    if (isTopHelp(args)) await writeCommandList(program).catch(() => {});
  }
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
