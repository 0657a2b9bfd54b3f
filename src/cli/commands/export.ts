import { rmSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { cliActor, type ExportRecord, recordExport } from '../../exports/export-audit.js';
import { checkFormat, checkLanguage, RESPONSE_FORMATS, responsesFile } from '../../exports/export-files.js';
import { readExportTable, syntheticNote } from '../../exports/export-table.js';
import type { Store } from '../../store/open-store.js';
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
          'xlsx (data, codebook, value labels, notes sheets) or sav (SPSS, numeric codes with value labels); ' +
          'the export is written to the audit log',
      )
      .requiredOption('--format <format>', 'csv, xlsx or sav')
      .option('--labels', 'write value labels instead of codes (csv, xlsx)')
      .option('--lang <lang>', 'language of labels: fr or en', 'fr')
      .requiredOption('--out <file>', 'the file to write')
      .option('--instrument <name>', 'which instrument', 'cairnet'),
  ).action(
    action(async (opts: ExportOpts) => {
      const format = checkFormat(opts.format, RESPONSE_FORMATS, '--format');
      const lang = checkLanguage(opts.lang, '--lang');
      const store = await openStore({ db: opts.db });
      try {
        const table = await readExportTable(store, opts.instrument);
        const labels = opts.labels === true;
        const { file, warnings } = await responsesFile(table, { format, labels, lang });
        await writeAudited(store, opts.out, file.content, {
          actor: cliActor(),
          kind: 'responses',
          target: opts.instrument,
          format,
          rows: table.rows.length,
          via: 'cli',
          extra: { labels, lang, synthetic: table.syntheticCount },
        });
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
export function writeOut(path: string, content: string | Buffer, mode?: number): void {
  try {
    writeFileSync(path, content, mode === undefined ? undefined : { mode });
  } catch (e) {
    throw cairnetError('CAIRNET_FILE_UNREADABLE', `Cannot write ${path}: ${(e as Error).message}`);
  }
}

/**
 * Writes an export's file, then its audit entry (with the file's path); if the entry cannot be
 * written, the file is removed: an export leaves the store logged, or not at all.
 */
export async function writeAudited(
  store: Store,
  path: string,
  content: string | Buffer,
  record: ExportRecord,
  mode?: number,
): Promise<void> {
  writeOut(path, content, mode);
  try {
    await recordExport(store.db, { ...record, extra: { ...record.extra, out: path } });
  } catch (e) {
    rmSync(path, { force: true });
    throw e;
  }
}
