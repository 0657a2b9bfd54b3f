import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { readPressReleaseTemplate, renderPressRelease } from '../../report/press-release.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';
import { parseLang, snapshotFor } from './report.js';

interface PressReleaseOpts {
  lang: string;
  format: string;
  out: string;
  template?: string;
  plan?: string;
  snapshot?: string;
  instrument?: string;
  db?: string;
  preview?: boolean;
}

export function register(program: Command): void {
  withDbOption(
    program
      .command('press-release')
      .description(
        'Write the press release from its template (instruments/<name>/press-release.<lang>.md), every figure bound to an indicator',
      )
      .option('--lang <lang>', 'fr or en', 'fr')
      .option('--format <format>', 'md or html', 'md')
      .requiredOption('--out <file>', 'the file to write')
      .option('--template <file>', 'another template (Markdown with {{INDICATOR | filter}} placeholders)')
      .option('--snapshot <id>', 'the stored snapshot to word (default: a new one of the current responses)')
      .option('--instrument <name>', 'the survey (default cairnet, or the one --plan names)')
      .option('--plan <file>', 'analysis plan of a new snapshot (YAML); default the survey’s own')
      .option(
        '--preview',
        'the team’s preview: sentences left out of the release shown with their placeholders and a warning',
      ),
  ).action(
    action(async (opts: PressReleaseOpts) => {
      if (opts.format !== 'md' && opts.format !== 'html') {
        throw cairnetError('CAIRNET_USAGE', `--format ${opts.format}: use md or html`);
      }
      const lang = parseLang(opts.lang);
      let template: string | undefined;
      if (opts.template) {
        try {
          template = readFileSync(opts.template, 'utf8');
        } catch (e) {
          throw cairnetError(
            'CAIRNET_FILE_UNREADABLE',
            `Cannot read ${opts.template}: ${(e as Error).message}`,
          );
        }
      }
      const snapshot = await snapshotFor(opts);
      const { results } = snapshot;
      const text = renderPressRelease(results, {
        lang,
        format: opts.format,
        preview: opts.preview === true,
        template: template ?? readPressReleaseTemplate(lang, snapshot.source ?? null),
      });
      writeFileSync(opts.out, text);
      process.stderr.write(
        `wrote ${opts.out} (${opts.format}, ${lang}, snapshot ${snapshot.snapshot.id}${opts.snapshot === undefined ? ', stored now' : ''})${results.synthetic ? ' — synthetic demonstration data' : ''}\n`,
      );
    }),
  );
}
