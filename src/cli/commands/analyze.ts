import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import type { PlanResults } from '../../plan/evaluate-plan.js';
import type { CellResult, IndicatorResult } from '../../plan/indicator-result.js';
import { readPlanFile } from '../../plan/parse-plan.js';
import { evaluateStorePlan } from '../../results/store-plan.js';
import { surveyPlan } from '../../results/survey-plan.js';
import { openStore } from '../../store/open-store.js';
import { distinctNamesOf, reconcileStoredMentions } from '../../store/repositories/associations.js';
import { withDbOption } from '../db-option.js';
import { action } from '../run-action.js';

export interface AnalyzeOptions {
  db?: string | undefined;
  plan?: string | undefined;
  /** The survey (default: the one the plan file names, else cairnet). */
  instrument?: string | undefined;
  /**
   * 'sql': count with GROUP BY in the database (proportions, crosstabs, the typology's answer
   * patterns, the distinct names cited), reading no response unless an indicator needs rows;
   * default 'memory'.
   */
  counts?: 'memory' | 'sql' | undefined;
}

/**
 * Evaluates a survey's analysis plan (a file, the stored plan, the survey's own plan file, or
 * the default plan from its codebook; see src/plan/survey-plan.ts) on its completed responses.
 * A plan file is read and checked before the store is touched; no response is
 * `CAIRNET_DATASET_EMPTY`.
 */
export async function analyzeStore(options: AnalyzeOptions): Promise<PlanResults> {
  if (options.plan !== undefined) readPlanFile(options.plan);
  const store = await openStore({ db: options.db });
  try {
    const { parsed } = await surveyPlan(store.db, options);
    const { results } = await evaluateStorePlan(store, parsed, {
      counts: options.counts ?? 'memory',
      distinctNames: distinctNamesOf(await reconcileStoredMentions(store.db)),
    });
    return results;
  } finally {
    await store.close();
  }
}

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${(100 * v).toFixed(1)}%`;

function value(r: IndicatorResult | (CellResult & { kind?: string }), kind: string): string {
  if (r.estimate === null) return '—';
  return kind === 'distinctNames' || kind === 'mean' || kind === 'quartiles'
    ? String(Number(r.estimate.toFixed(3)))
    : pct(r.estimate);
}

function flags(c: CellResult): string {
  return [c.suppressed ? 'suppressed' : '', c.fragile ? 'fragile' : ''].filter(Boolean).join(',');
}

/** A readable table of results, one line per indicator and per group. */
export function resultsTable(results: PlanResults): string {
  const rows: string[][] = [['id', 'estimate', '95% CI', 'n', 'flags', 'published', 'label']];
  for (const r of results.indicators) {
    const ci = r.ci ? `${pct(r.ci[0])}–${pct(r.ci[1])}` : '';
    const published = r.published ? `${r.published.figure}: ${r.published.text}` : '';
    rows.push([
      r.id,
      r.status === 'ok' ? value(r, r.kind) : r.status,
      ci,
      String(r.n),
      flags(r),
      published,
      r.status === 'ok' ? r.label.en : `${r.label.en} (${r.note})`,
    ]);
    for (const g of r.groups ?? []) {
      rows.push([
        `  ${r.by}=${g.group}`,
        value(g, r.kind),
        g.ci ? `${pct(g.ci[0])}–${pct(g.ci[1])}` : '',
        String(g.n),
        flags(g),
        r.published?.groups?.[g.group] !== undefined ? pct(r.published.groups[g.group]) : '',
        '',
      ]);
    }
    for (const t of r.test ?? []) {
      const what = t.error
        ? `not computed: ${t.error}`
        : t.p !== undefined
          ? `p ${t.p < 1e-16 ? '< 1e-16' : `= ${t.p.toPrecision(3)}`}`
          : `${t.estimate?.toFixed(2)} [${t.ci?.map((x) => x.toFixed(2)).join(', ')}]${t.groups ? ` (${t.groups.join(' / ')})` : ''}`;
      rows.push([`  ${t.test}`, what, '', '', '', '', t.method]);
    }
  }
  const widths = rows[0]!.map((_, j) =>
    Math.max(...rows.map((row) => (j === 1 && row[1]!.length > 24 ? 0 : row[j]!.length))),
  );
  const lines = rows.map((row) =>
    row
      .map((c, j) => (j === row.length - 1 ? c : c.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd(),
  );
  const head = `${results.instrument}: ${results.n} responses${results.synthetic ? ' (synthetic demonstration data)' : ''}`;
  return `${head}\n${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  withDbOption(
    program
      .command('analyze')
      .description("Evaluate a survey's analysis plan on its stored responses")
      .option('--instrument <name>', 'the survey (default cairnet, or the one --plan names)')
      .option(
        '--plan <file>',
        "analysis plan (YAML); default the survey's stored plan, its instruments/<name>/plan.yaml, else the default plan from its codebook",
      )
      .option('--json', 'print {"indicators": [{id, estimate, ci, n, suppressed, …}]} as JSON')
      .option(
        '--counts <where>',
        'memory, or sql: count with GROUP BY in the database (no response read into memory unless an indicator needs rows)',
        'memory',
      ),
  ).action(
    action(
      async (opts: { db?: string; plan?: string; instrument?: string; json?: boolean; counts: string }) => {
        if (opts.counts !== 'memory' && opts.counts !== 'sql') {
          throw cairnetError('CAIRNET_USAGE', `--counts must be memory or sql, not "${opts.counts}"`);
        }
        const results = await analyzeStore({
          db: opts.db,
          plan: opts.plan,
          instrument: opts.instrument,
          counts: opts.counts,
        });
        process.stdout.write(opts.json ? `${JSON.stringify(results)}\n` : resultsTable(results));
      },
    ),
  );
}
