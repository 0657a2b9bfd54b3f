import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { exportCsv } from '../../exports/export-csv.js';
import { readExportTable, syntheticNote } from '../../exports/export-table.js';
import { exportXlsx } from '../../exports/export-xlsx.js';
import { exportSav } from '../../exports/sav/export-sav.js';
import type { ExportLanguage } from '../../exports/value-labels.js';
import { openStore } from '../../store/open-store.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

interface ExportOpts {
  format: string;
  labels?: boolean;
  lang: string;
  out: string;
  instrument: string;
  db?: string;
}

export function register(program: Command): void {
  withDbOption(
    program
      .command('export')
      .description(
        'Export the completed responses with their codebook: csv (codes, or labels with --labels), ' +
          'xlsx (data, codebook, value labels, notes sheets) or sav (SPSS, numeric codes with value labels)',
      )
      .requiredOption('--format <format>', 'csv, xlsx or sav')
      .option('--labels', 'write value labels instead of codes (csv, xlsx)')
      .option('--lang <lang>', 'language of labels: fr or en', 'fr')
      .requiredOption('--out <file>', 'the file to write')
      .option('--instrument <name>', 'which instrument', 'cairnet'),
  ).action(
    action(async (opts: ExportOpts) => {
      if (!['csv', 'xlsx', 'sav'].includes(opts.format)) {
        throw cairnetError('CAIRNET_EXPORT_FORMAT_UNKNOWN', `--format ${opts.format}: use csv, xlsx or sav`);
      }
      if (opts.lang !== 'fr' && opts.lang !== 'en') {
        throw cairnetError('CAIRNET_USAGE', `--lang ${opts.lang}: use fr or en`);
      }
      const lang = opts.lang as ExportLanguage;
      const store = await openStore({ db: opts.db });
      try {
        const table = await readExportTable(store, opts.instrument);
        let content: string | Buffer;
        const warnings: string[] = [];
        if (opts.format === 'csv') content = exportCsv(table, { labels: opts.labels === true, lang });
        else if (opts.format === 'xlsx')
          content = await exportXlsx(table, { labels: opts.labels === true, lang });
        else {
          const sav = exportSav(table, { lang });
          content = sav.buffer;
          warnings.push(...sav.warnings);
          if (opts.labels) warnings.push('--labels is ignored for sav: codes carry value labels.');
        }
        writeOut(opts.out, content);
        for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
        process.stderr.write(
          `wrote ${table.rows.length} responses to ${opts.out} (${syntheticNote(table)})\n`,
        );
      } finally {
        await store.close();
      }
    }),
  );
}

/** Writes an output file, turning a file-system failure into a clear error. */
export function writeOut(path: string, content: string | Buffer): void {
  try {
    writeFileSync(path, content);
  } catch (e) {
    throw cairnetError('CAIRNET_FILE_UNREADABLE', `Cannot write ${path}: ${(e as Error).message}`);
  }
}
