import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import type { Lang } from '../../report/number-format.js';
import { renderReportHtml } from '../../report/report-html.js';
import { printPdf } from '../../report/report-pdf.js';
import { loadSnapshot } from '../../results/load-snapshot.js';
import type { Snapshot } from '../../results/snapshot.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';
import { freshSnapshot, withStore } from './results.js';

interface ReportOpts {
  format: string;
  lang: string;
  out: string;
  plan?: string;
  snapshot?: string;
  instrument?: string;
  db?: string;
}

/** The snapshot an output renders: `--snapshot ID`, else a new one stored first (its id on stderr). */
export function snapshotFor(opts: {
  db?: string | undefined;
  snapshot?: string | undefined;
  instrument?: string | undefined;
  plan?: string | undefined;
}): Promise<Snapshot> {
  if (opts.snapshot !== undefined && opts.plan !== undefined)
    throw cairnetError(
      'CAIRNET_USAGE',
      '--plan applies to a new snapshot: give --snapshot or --plan, not both',
    );
  return withStore(opts.db, (store) =>
    opts.snapshot !== undefined ? loadSnapshot(store, opts.snapshot) : freshSnapshot(store, opts),
  );
}

/** Checks `--lang`: fr or en. */
export function parseLang(value: string): Lang {
  if (value !== 'fr' && value !== 'en') throw cairnetError('CAIRNET_USAGE', `--lang ${value}: use fr or en`);
  return value;
}

/**
 * Writes the report of the analysis plan's results: a self-contained HTML document, or the PDF
 * Chromium prints from it.
 */
export async function writeReport(
  opts: ReportOpts,
): Promise<{ bytes: number; synthetic: boolean; snapshot: string }> {
  if (opts.format !== 'html' && opts.format !== 'pdf') {
    throw cairnetError('CAIRNET_USAGE', `--format ${opts.format}: use html or pdf`);
  }
  const lang = parseLang(opts.lang);
  const published = await snapshotFor(opts);
  const html = await renderReportHtml(published, { lang });
  const content = opts.format === 'html' ? html : await printPdf(html, lang);
  try {
    writeFileSync(opts.out, content);
  } catch (e) {
    throw cairnetError('CAIRNET_FILE_UNREADABLE', `Cannot write ${opts.out}: ${(e as Error).message}`);
  }
  return {
    bytes: Buffer.byteLength(content),
    synthetic: published.results.synthetic,
    snapshot: published.snapshot.id,
  };
}

export function register(program: Command): void {
  withDbOption(
    program
      .command('report')
      .description(
        'Write the results report (charts, tables, bases, intervals, tests, methods, codebook) as HTML or PDF',
      )
      .requiredOption('--format <format>', 'html or pdf')
      .option('--lang <lang>', 'fr or en', 'fr')
      .requiredOption('--out <file>', 'the file to write')
      .option(
        '--snapshot <id>',
        'the stored snapshot to report (default: a new one of the current responses)',
      )
      .option('--instrument <name>', 'which instrument, for a new snapshot (default cairnet)')
      .option('--plan <file>', 'analysis plan of a new snapshot (YAML); default instruments/NAME/plan.yaml'),
  ).action(
    action(async (opts: ReportOpts) => {
      const r = await writeReport(opts);
      process.stderr.write(
        `wrote ${opts.out} (${opts.format}, ${r.bytes} bytes, snapshot ${r.snapshot}${opts.snapshot === undefined ? ', stored now' : ''})${r.synthetic ? ' — synthetic demonstration data' : ''}\n`,
      );
    }),
  );
}
