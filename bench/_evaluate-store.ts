/**
 * Child of `bench pushdown`: evaluates the Cairnet plan on a store and prints one JSON line with
 * the time, this process's peak memory (max RSS) and the results. Alone in its process so that
 * the peak is the evaluation's own.
 * Usage: node --import tsx bench/_evaluate-store.ts --db URL --counts sql|memory
 */
import { distinctAssociationCount } from '../src/dataset/association-names.js';
import { readPlanFile } from '../src/plan/parse-plan.js';
import { evaluateStorePlan } from '../src/results/store-plan.js';
import { openStore } from '../src/store/open-store.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const counts = option('--counts') === 'memory' ? 'memory' : 'sql';
const store = await openStore({ db: option('--db') });
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const evaluation = await evaluateStorePlan(store, readPlanFile(), {
  counts,
  distinctNames: distinctAssociationCount,
});
const seconds = (performance.now() - t0) / 1000;
await store.close();
process.stdout.write(
  `${JSON.stringify({
    counts,
    mode: evaluation.mode,
    seconds,
    startRssMB: Math.round(rssBefore / 2 ** 20),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    results: evaluation.results,
    rowsRead: evaluation.dataset?.n ?? 0,
  })}\n`,
);
