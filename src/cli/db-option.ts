import { type Command, Option } from 'commander';

/** The `--db` option every command takes: a SQLite file path or a postgres:// URL. */
export function withDbOption(cmd: Command): Command {
  return cmd.addOption(
    new Option(
      '--db <location>',
      'SQLite file or postgres://… URL (default: $DATABASE_URL, then ./data/cairnet.db)',
    ),
  );
}
