import type { Command } from 'commander';
import { cliActor, recordExport } from '../../exports/export-audit.js';
import { CODEBOOK_FORMATS, checkFormat, checkLanguage, codebookFile } from '../../exports/export-files.js';
import { openStore } from '../../store/open-store.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';
import { writeAudited } from './export.js';

interface CodebookOpts {
  format: string;
  lang: string;
  out?: string;
  instrument: string;
  db?: string;
}

export function register(program: Command): void {
  withDbOption(
    program
      .command('codebook')
      .description(
        "The current instrument's codebook (variables, labels, value labels) as Markdown or JSON; written to the audit log",
      )
      .option('--format <format>', 'md or json', 'md')
      .option('--lang <lang>', 'language of the Markdown labels: fr or en', 'fr')
      .option('--out <file>', 'write to this file (default: standard output)')
      .option('--instrument <name>', 'which instrument', 'cairnet'),
  ).action(
    action(async (opts: CodebookOpts) => {
      const format = checkFormat(opts.format, CODEBOOK_FORMATS, '--format');
      const lang = checkLanguage(opts.lang, '--lang');
      const store = await openStore({ db: opts.db });
      try {
        const { file, variables } = await codebookFile(store, opts.instrument, { format, lang });
        const record = {
          actor: cliActor(),
          kind: 'codebook' as const,
          target: opts.instrument,
          format,
          rows: variables,
          via: 'cli' as const,
          extra: { lang },
        };
        if (opts.out) await writeAudited(store, opts.out, file.content, record);
        else {
          process.stdout.write(file.content);
          await recordExport(store.db, record);
        }
      } finally {
        await store.close();
      }
    }),
  );
}
