import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { readPressReleaseTemplate, renderPressRelease } from '../../report/press-release.js';
import { resultsFromDb } from '../../report/store-results.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';
import { parseLang } from './report.js';

interface PressReleaseOpts {
  lang: string;
  format: string;
  out: string;
  template?: string;
  plan?: string;
  instrument?: string;
  db?: string;
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
      .option('--plan <file>', "analysis plan (YAML); default the survey's own")
      .option('--instrument <name>', 'the survey (default cairnet, or the one --plan names)'),
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
      const { results, source } = await resultsFromDb(opts.db, {
        plan: opts.plan,
        instrument: opts.instrument,
      });
      const text = renderPressRelease(results, {
        lang,
        format: opts.format,
        template: template ?? readPressReleaseTemplate(lang, source ?? null),
      });
      writeFileSync(opts.out, text);
      process.stderr.write(
        `wrote ${opts.out} (${opts.format}, ${lang})${results.synthetic ? ' — synthetic demonstration data' : ''}\n`,
      );
    }),
  );
}
