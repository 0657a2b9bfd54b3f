import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { openStore } from '../../store/open-store.js';
import { AUDIT_LIMIT_MAX, listAudit } from '../../store/repositories/audit-log.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

interface AuditOpts {
  action?: string;
  since?: string;
  limit: string;
  json?: boolean;
  db?: string;
}

export function register(program: Command): void {
  withDbOption(
    program
      .command('audit')
      .description(
        'Read the audit log, newest first: logins, views of responses, exports (who, what, how many rows, when), decisions…',
      )
      .option('--action <action>', 'one action (export.population) or a family (export: export.*)')
      .option('--since <date>', 'only entries at or after this date (ISO 8601)')
      .option('--limit <n>', `at most this many entries (1–${AUDIT_LIMIT_MAX})`, '100')
      .option('--json', 'print {"items": [{id, at, actor, userEmail, action, target, detail}]}'),
  ).action(
    action(async (opts: AuditOpts) => {
      if (!/^\d{1,6}$/.test(opts.limit)) {
        throw cairnetError(
          'CAIRNET_USAGE',
          `--limit ${opts.limit}: a whole number from 1 to ${AUDIT_LIMIT_MAX}`,
        );
      }
      const store = await openStore({ db: opts.db });
      try {
        const items = await listAudit(store.db, {
          action: opts.action,
          since: opts.since,
          limit: Number(opts.limit),
        });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ items }, null, 2)}\n`);
          return;
        }
        for (const e of items) {
          const who = e.userEmail ?? e.actor ?? '-';
          const line = [e.at, who, e.action, e.target ?? '-', e.detail ?? ''].join('  ');
          process.stdout.write(`${line.replace(/[\r\n]+/g, ' ')}\n`);
        }
        if (items.length === 0) process.stderr.write('no entry\n');
      } finally {
        await store.close();
      }
    }),
  );
}
