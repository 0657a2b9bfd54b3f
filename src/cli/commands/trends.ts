import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { readPlanFile } from '../../plan/parse-plan.js';
import type { Lang } from '../../report/number-format.js';
import { textFor } from '../../report/survey-texts.js';
import { renderTrendsHtml } from '../../report/trends-html.js';
import { compareWaves, type WaveResults } from '../../report/wave-comparison.js';
import { loadSnapshot, publishedSnapshotId } from '../../results/load-snapshot.js';
import { action } from '../run-action.js';
import { freshSnapshot, withStore } from './results.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * `cairnet trends --wave LABEL=DB --wave LABEL=DB [--format html|json] [--lang fr|en] --out FILE`:
 * each wave's store (the same instrument fielded again) gives its published snapshot, or a new
 * stored one of its responses (always with `--plan`), each figure per wave with the test of its
 * change.
 */
export function register(program: Command): void {
  program
    .command('trends')
    .description('Each indicator per wave (one store per wave) with the test of its change, as HTML or JSON')
    .requiredOption(
      '--wave <label=db>',
      'a wave: its label and its store (repeat, oldest first)',
      collect,
      [],
    )
    .option('--format <format>', 'html or json', 'html')
    .option('--lang <lang>', 'fr or en', 'fr')
    .requiredOption('--out <file>', 'the file to write')
    .option('--plan <file>', "analysis plan (YAML); default the survey's own")
    .option('--instrument <name>', 'the survey in each store (default cairnet, or the one --plan names)')
    .action(
      action(
        async (opts: {
          wave: string[];
          format: string;
          lang: string;
          out: string;
          plan?: string;
          instrument?: string;
        }) => {
          if (opts.format !== 'html' && opts.format !== 'json')
            throw cairnetError('CAIRNET_USAGE', `--format ${opts.format}: use html or json`);
          if (opts.lang !== 'fr' && opts.lang !== 'en')
            throw cairnetError('CAIRNET_USAGE', `--lang ${opts.lang}: use fr or en`);
          const specs = opts.wave.map((w) => {
            const at = w.indexOf('=');
            if (at <= 0 || at === w.length - 1)
              throw cairnetError(
                'CAIRNET_USAGE',
                `--wave ${w}: write LABEL=DB, e.g. --wave 2012=./data/2012.db`,
              );
            return { wave: w.slice(0, at), db: w.slice(at + 1) };
          });
          if (specs.length < 2) throw cairnetError('CAIRNET_USAGE', 'Give at least two --wave LABEL=DB');
          // each wave: its published snapshot, else a new one of its responses (stored, id on stderr)
          const instrument =
            opts.instrument ?? (opts.plan ? readPlanFile(opts.plan).plan.instrument : 'cairnet');
          const waves: WaveResults[] = [];
          let survey: string | undefined;
          for (const s of specs) {
            const snap = await withStore(s.db, async (store) => {
              const pub = opts.plan === undefined ? await publishedSnapshotId(store, instrument) : null;
              return pub
                ? loadSnapshot(store, pub.snapshot)
                : freshSnapshot(store, { plan: opts.plan, instrument: opts.instrument });
            });
            process.stderr.write(`wave ${s.wave}: snapshot ${snap.snapshot.id}\n`);
            waves.push({ wave: s.wave, results: snap.results });
            survey = textFor(opts.lang as Lang, snap.texts).reportTitle;
          }
          const trends = compareWaves(waves);
          const content =
            opts.format === 'json'
              ? `${JSON.stringify({ waves: waves.map((w) => ({ wave: w.wave, n: w.results.n, synthetic: w.results.synthetic })), indicators: trends })}\n`
              : await renderTrendsHtml(trends, waves, opts.lang as Lang, survey);
          writeFileSync(opts.out, content);
          process.stderr.write(`wrote ${opts.out} (${opts.format}, ${waves.length} waves)\n`);
        },
      ),
    );
}
