import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { registerPublish } from '../../publish/publish-command.js';
import { registerTrends } from '../../publish/trends-command.js';
import type { Lang } from '../../report/number-format.js';
import { renderReportHtml } from '../../report/report-html.js';
import { printPdf } from '../../report/report-pdf.js';
import { resultsFromDb } from '../../report/store-results.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

interface ReportOpts {
  format: string;
  lang: string;
  out: string;
  plan?: string;
  instrument?: string;
  db?: string;
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
export async function writeReport(opts: ReportOpts): Promise<{ bytes: number; synthetic: boolean }> {
  if (opts.format !== 'html' && opts.format !== 'pdf') {
    throw cairnetError('CAIRNET_USAGE', `--format ${opts.format}: use html or pdf`);
  }
  const lang = parseLang(opts.lang);
  const published = await resultsFromDb(opts.db, {
    plan: opts.plan,
    instrument: opts.instrument,
    factorMap: true,
  });
  const html = await renderReportHtml(published, { lang });
  const content = opts.format === 'html' ? html : await printPdf(html, lang);
  try {
    writeFileSync(opts.out, content);
  } catch (e) {
    throw cairnetError('CAIRNET_FILE_UNREADABLE', `Cannot write ${opts.out}: ${(e as Error).message}`);
  }
  return { bytes: Buffer.byteLength(content), synthetic: published.results.synthetic };
}

export function register(program: Command): void {
  registerPublish(program);
  registerTrends(program);
  withDbOption(
    program
      .command('report')
      .description(
        'Write the results report (charts, tables, bases, intervals, tests, methods, codebook) as HTML or PDF',
      )
      .requiredOption('--format <format>', 'html or pdf')
      .option('--lang <lang>', 'fr or en', 'fr')
      .requiredOption('--out <file>', 'the file to write')
      .option('--plan <file>', "analysis plan (YAML); default the survey's own")
      .option('--instrument <name>', 'the survey (default cairnet, or the one --plan names)'),
  ).action(
    action(async (opts: ReportOpts) => {
      const r = await writeReport(opts);
      process.stderr.write(
        `wrote ${opts.out} (${opts.format}, ${r.bytes} bytes)${r.synthetic ? ' — synthetic demonstration data' : ''}\n`,
      );
    }),
  );
}
