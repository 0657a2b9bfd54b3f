import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { openStore } from '../../store/open-store.js';
import { addUser, ROLES, type Role } from '../../store/repositories/users.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

export function register(program: Command): void {
  const user = program.command('user').description('Members of the survey team');
  withDbOption(
    user
      .command('add')
      .description('Add a member of the survey team (password from --password, $CAIRNET_PASSWORD or stdin)')
      .argument('<email>', 'their e-mail address, used to log in')
      .option('--role <role>', `one of ${ROLES.join(', ')}`, 'admin')
      .option(
        '--password <password>',
        'at least 10 characters (prefer stdin: it stays out of shell history)',
      ),
  ).action(
    action(async (email: string, opts: { role: string; password?: string; db?: string }) => {
      if (!ROLES.includes(opts.role as Role)) {
        throw cairnetError('CAIRNET_USAGE', `--role must be one of ${ROLES.join(', ')}, not "${opts.role}"`);
      }
      const password = opts.password ?? process.env.CAIRNET_PASSWORD ?? (await readStdin());
      if (!password) {
        throw cairnetError('CAIRNET_USAGE', 'Give a password with --password, $CAIRNET_PASSWORD or on stdin');
      }
      const store = await openStore({ db: opts.db });
      try {
        const u = await addUser(store.db, { email, password, role: opts.role as Role });
        process.stdout.write(`added ${u.email} (${u.role})\n`);
      } finally {
        await store.close();
      }
    }),
  );
}
