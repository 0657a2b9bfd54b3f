import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { codebookJson, codebookMarkdown } from '../../exports/codebook-document.js';
import type { ExportLanguage } from '../../exports/value-labels.js';
import { deriveCodebook } from '../../instrument/derive-codebook.js';
import type { InstrumentJson } from '../../instrument/types.js';
import { openStore } from '../../store/open-store.js';
import { currentInstrument } from '../../store/repositories/instruments.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';
import { writeOut } from './export.js';

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
      .description("The current instrument's codebook (variables, labels, value labels) as Markdown or JSON")
      .option('--format <format>', 'md or json', 'md')
      .option('--lang <lang>', 'language of the Markdown labels: fr or en', 'fr')
      .option('--out <file>', 'write to this file (default: standard output)')
      .option('--instrument <name>', 'which instrument', 'cairnet'),
  ).action(
    action(async (opts: CodebookOpts) => {
      if (opts.format !== 'md' && opts.format !== 'json') {
        throw cairnetError('CAIRNET_EXPORT_FORMAT_UNKNOWN', `--format ${opts.format}: use md or json`);
      }
      if (opts.lang !== 'fr' && opts.lang !== 'en') {
        throw cairnetError('CAIRNET_USAGE', `--lang ${opts.lang}: use fr or en`);
      }
      const store = await openStore({ db: opts.db });
      try {
        const stored = await currentInstrument(store.db, opts.instrument);
        if (!stored) {
          throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${opts.instrument}"`);
        }
        const json = stored.json as InstrumentJson;
        const codebook = deriveCodebook(json);
        const source = {
          name: stored.name,
          version: stored.version,
          hash: stored.hash,
          title: titleOf(json),
        };
        const text =
          opts.format === 'json'
            ? codebookJson(source, codebook)
            : codebookMarkdown(source, codebook, opts.lang as ExportLanguage);
        if (opts.out) writeOut(opts.out, text);
        else process.stdout.write(text);
      } finally {
        await store.close();
      }
    }),
  );
}

function titleOf(json: InstrumentJson): string {
  const t = json.title;
  if (typeof t === 'string') return t;
  const v = t?.en ?? t?.default ?? t?.fr;
  return typeof v === 'string' ? v : '';
}
