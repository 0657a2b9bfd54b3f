/**
 * Reconciliation benchmark: 100,000 messy mentions against a registry of 20,000 entries
 * (seed + generated), 2% of them naming associations left out of the registry. Prints time,
 * peak memory (maxRSS), and pairwise precision/recall on the labelled set and on the synthetic run.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { enlargedRegistry } from '../src/associations/enlarged-registry.js';
import { matchAccuracy, pairwiseScore } from '../src/associations/evaluation.js';
import { createReconciler } from '../src/associations/reconcile.js';
import { loadSeedRegistry, messyMention } from '../src/associations/variants.js';

const MENTIONS = Number(process.env.MENTIONS ?? 100_000);
const ENTRIES = Number(process.env.ENTRIES ?? 20_000);

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

// Labelled set, seed registry.
const rows = parse(readFileSync('test/fixtures/associations/labelled.csv', 'utf8'), { columns: true }) as {
  mention: string;
  label: string;
  registry_id: string;
}[];
let t0 = performance.now();
const labelled = createReconciler(loadSeedRegistry()).reconcile(rows.map((r) => ({ text: r.mention })));
const lt = performance.now() - t0;
const ls = pairwiseScore(
  labelled.map((m) => m.group),
  rows.map((r) => r.label),
);
const la = matchAccuracy(
  labelled.map((m) => m.match?.id ?? null),
  rows.map((r) => r.registry_id),
);
console.log(`labelled set: ${rows.length} mentions in ${lt.toFixed(0)} ms`);
console.log(
  `  pairwise precision ${ls.precision.toFixed(4)}, recall ${ls.recall.toFixed(4)}, match accuracy ${la.toFixed(4)}`,
);

// Large run.
const all = enlargedRegistry(loadSeedRegistry(), ENTRIES + 300);
const rand = mulberry32(7);
const absent = all.slice(all.length - 300);
const registry = all.slice(0, all.length - 300);
const truth: string[] = [];
const mentions = Array.from({ length: MENTIONS }, (_, i) => {
  const e =
    rand() < 0.02
      ? absent[Math.floor(rand() * absent.length)]
      : registry[Math.floor(rand() * registry.length)];
  if (!e) throw new Error('no entry');
  truth.push(e.id);
  return { id: String(i + 1), text: messyMention(e, rand) };
});
global.gc?.();
t0 = performance.now();
const reconciler = createReconciler(registry);
const tIndex = performance.now() - t0;
const result = reconciler.reconcile(mentions);
const total = performance.now() - t0;
const inRegistry = new Set(registry.map((e) => e.id));
const s = pairwiseScore(
  result.map((m) => m.group),
  truth,
);
const acc = matchAccuracy(
  result.map((m) => m.match?.id ?? null),
  truth.map((t) => (inRegistry.has(t) ? t : '')),
);
console.log(`${MENTIONS} mentions against ${registry.length} entries:`);
console.log(`  index ${tIndex.toFixed(0)} ms, total ${(total / 1000).toFixed(2)} s`);
console.log(`  peak memory (maxRSS) ${mb(process.resourceUsage().maxRSS)}`);
console.log(
  `  groups ${new Set(result.map((m) => m.group)).size}, matched ${result.filter((m) => m.match).length}`,
);
console.log(
  `  synthetic: pairwise precision ${s.precision.toFixed(4)}, recall ${s.recall.toFixed(4)}, match accuracy ${acc.toFixed(4)}`,
);
