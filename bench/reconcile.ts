/**
 * Reconciliation benchmark: 100,000 messy mentions against a registry of 20,000 entries
 * (seed + generated), 2% of them naming associations left out of the registry. Prints time
 * (wall and CPU, of the index build and in all: the machine is shared, so wall time depends on
 * the load, printed beside it), peak memory (maxRSS), and pairwise precision/recall on the
 * labelled set and on the synthetic run. `MENTIONS=… ENTRIES=…` change the sizes.
 *
 * The generated registry holds near-identical names that differ only by place ("Vivre avec la
 * drépanocytose" and "… de Savoie") and generated acronyms that collide, so some generated
 * mentions ("Vivre avec la drépanocy", "CASDV") name no entry a reader could single out. A
 * mention is called ambiguous when the same typing (the same random draws) applied to a sibling
 * entry (same name but for the place, or same initials) gives the same text, or when the same
 * text was generated from two entries; precision and recall are printed on all mentions and on
 * the fair set (the others).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parse } from 'csv-parse/sync';
import { enlargedRegistry, PLACES } from '../src/associations/enlarged-registry.js';
import { matchAccuracy, pairwiseScore } from '../src/associations/evaluation.js';
import { initialsOf } from '../src/associations/normalise.js';
import { createReconciler, mentionKey } from '../src/associations/reconcile.js';
import type { RegistryEntry } from '../src/associations/registry-entry.js';
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
const seeds: number[] = [];
const mentions = Array.from({ length: MENTIONS }, (_, i) => {
  const e =
    rand() < 0.02
      ? absent[Math.floor(rand() * absent.length)]
      : registry[Math.floor(rand() * registry.length)];
  if (!e) throw new Error('no entry');
  truth.push(e.id);
  seeds.push(Math.floor(rand() * 2 ** 31));
  return { id: String(i + 1), text: messyMention(e, mulberry32(seeds[i] ?? 0)) };
});
const ambiguous = ambiguousMentions();
global.gc?.();
const cpu0 = process.cpuUsage();
t0 = performance.now();
const reconciler = createReconciler(registry);
const tIndex = performance.now() - t0;
const cpuIndex = process.cpuUsage(cpu0);
const result = reconciler.reconcile(mentions);
const total = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const seconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
const inRegistry = new Set(registry.map((e) => e.id));
console.log(`${MENTIONS} mentions against ${registry.length} entries:`);
console.log(
  `  index ${tIndex.toFixed(0)} ms wall, ${(seconds(cpuIndex) * 1000).toFixed(0)} ms CPU; total ${(total / 1000).toFixed(2)} s wall, ${seconds(cpu).toFixed(2)} s CPU (load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores)`,
);
console.log(`  peak memory (maxRSS) ${mb(process.resourceUsage().maxRSS)}`);
console.log(
  `  distinct texts ${new Set(mentions.map((m) => m.text)).size}, groups ${new Set(result.map((m) => m.group)).size}, matched ${result.filter((m) => m.match).length}`,
);
const fair = result.map((_, i) => !ambiguous[i]);
for (const [label, keep] of [
  ['all mentions', result.map(() => true)],
  [`fair set (${fair.filter(Boolean).length} mentions, ambiguous ones left out)`, fair],
] as const) {
  const idx = keep.flatMap((k, i) => (k ? [i] : []));
  const s = pairwiseScore(
    idx.map((i) => result[i]?.group ?? ''),
    idx.map((i) => truth[i] ?? ''),
  );
  const acc = matchAccuracy(
    idx.map((i) => result[i]?.match?.id ?? null),
    idx.map((i) => (inRegistry.has(truth[i] ?? '') ? (truth[i] ?? '') : '')),
  );
  console.log(
    `  synthetic, ${label}: pairwise precision ${s.precision.toFixed(4)}, recall ${s.recall.toFixed(4)}, match accuracy ${acc.toFixed(4)}`,
  );
}

/** For each mention: could a sibling entry, typed the same way, give the same text? */
function ambiguousMentions(): boolean[] {
  const placeSuffix = new RegExp(` de (${PLACES.join('|')})$`);
  const siblings = new Map<string, RegistryEntry[]>();
  const add = (k: string, e: RegistryEntry) => {
    const list = siblings.get(k);
    if (list) list.push(e);
    else siblings.set(k, [e]);
  };
  for (const e of all) {
    add(`s:${e.name.replace(placeSuffix, '')}`, e);
    for (const a of initialsOf(e.name)) add(`i:${a}`, e);
    for (const a of e.acronyms) add(`i:${mentionKey(a)}`, e);
  }
  const byId = new Map(all.map((e) => [e.id, e]));
  const sourcesOfKey = new Map<string, Set<string>>();
  const keys = mentions.map((m, i) => {
    const k = mentionKey(m.text);
    const set = sourcesOfKey.get(k) ?? new Set<string>();
    set.add(truth[i] ?? '');
    sourcesOfKey.set(k, set);
    return k;
  });
  return mentions.map((_, i) => {
    const key = keys[i] ?? '';
    if ((sourcesOfKey.get(key)?.size ?? 0) > 1) return true;
    const e = byId.get(truth[i] ?? '');
    if (!e) return false;
    const near = new Set<RegistryEntry>();
    for (const k of [`s:${e.name.replace(placeSuffix, '')}`, ...initialsOf(e.name).map((a) => `i:${a}`)]) {
      for (const f of siblings.get(k) ?? []) if (f !== e) near.add(f);
    }
    for (const f of near) {
      if (mentionKey(messyMention(f, mulberry32(seeds[i] ?? 0))) === key) return true;
    }
    return false;
  });
}
