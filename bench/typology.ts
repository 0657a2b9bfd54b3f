// `npm run bench -- typology`: MCA + Ward clustering (+ consolidation and description) on 20,000 and
// 1,000,000 generated rows of 15 categorical variables; FactoMineR's time on the same 20,000 rows
// when Rscript is there. Prints figures, asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adjustedRandIndex } from '../src/stats/clustering/adjusted-rand-index.js';
import { buildTypology } from '../src/stats/clustering/typology.js';
import type { CategoricalColumn } from '../src/stats/mca/categorical-variable.js';

const Q = 15;
const LEVELS = ['strongly disagree', 'disagree', 'agree', 'strongly agree'];

function generate(n: number, seed: number): { columns: CategoricalColumn[]; profile: Int32Array } {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Four profiles, each with its own preferred answer per item; answers drift by ±1 at random.
  const centre = Array.from({ length: 4 }, (_, p) =>
    Array.from({ length: Q }, (_, q) => (p * 7 + q * 3) % 4),
  );
  const profile = new Int32Array(n);
  const values: (string | null)[][] = Array.from({ length: Q }, () => new Array(n));
  for (let i = 0; i < n; i++) {
    const p = Math.floor(random() * 4);
    profile[i] = p;
    for (let q = 0; q < Q; q++) {
      const u = random();
      const shift = u < 0.55 ? 0 : u < 0.775 ? -1 : 1;
      const k = Math.min(3, Math.max(0, centre[p]![q]! + shift));
      values[q]![i] = random() < 0.02 ? null : LEVELS[k]!;
    }
  }
  return { columns: values.map((v, q) => ({ name: `q${q + 1}`, values: v })), profile };
}

function run(n: number) {
  const { columns, profile } = generate(n, 2012 + n);
  global.gc?.();
  const before = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const t = buildTypology({ active: columns, dimensions: 5, clusters: 4, individualDetails: n <= 100_000 });
  const ms = performance.now() - t0;
  const rss = process.resourceUsage().maxRSS;
  const ari = adjustedRandIndex(t.clustering.clusterOf, profile);
  process.stdout.write(
    `cairnet ${n.toLocaleString('en')} rows × ${Q} variables: ${(ms / 1000).toFixed(2)} s (MCA + Ward + consolidation + description), ` +
      `peak RSS ${(rss / 1024).toFixed(0)} MB (${((rss - before) / 1024).toFixed(0)} MB more than before), ` +
      `method ${t.clustering.method}, ARI vs generated profiles ${ari.toFixed(4)}, ` +
      `eig1 ${t.mca.eigenvalues[0]!.toFixed(6)}\n`,
  );
  if (t.clustering.approximation) process.stdout.write(`  approximation: ${t.clustering.approximation}\n`);
  return { columns, seconds: ms / 1000 };
}

function rTime(columns: CategoricalColumn[]): number | null {
  const which = spawnSync('Rscript', ['--version'], { encoding: 'utf8' });
  if (which.error || which.status !== 0) {
    process.stdout.write('Rscript not found: no FactoMineR comparison\n');
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'typology-bench-'));
  const n = columns[0]!.values.length;
  const lines = [columns.map((c) => c.name).join(',')];
  for (let i = 0; i < n; i++) lines.push(columns.map((c) => c.values[i] ?? '').join(','));
  writeFileSync(join(dir, 'data.csv'), `${lines.join('\n')}\n`);
  const script = `suppressMessages(library(FactoMineR))
X <- read.csv("${join(dir, 'data.csv')}", na.strings = "", stringsAsFactors = TRUE)
t0 <- proc.time()[["elapsed"]]
res <- MCA(X, ncp = 5, graph = FALSE)
h <- HCPC(res, nb.clust = 4, consol = TRUE, graph = FALSE)
cat(sprintf("%.3f %.6f\\n", proc.time()[["elapsed"]] - t0, res$eig[1, 1]))`;
  writeFileSync(join(dir, 'run.R'), script);
  const r = spawnSync('Rscript', [join(dir, 'run.R')], { encoding: 'utf8', timeout: 900_000 });
  if (r.status !== 0) {
    process.stdout.write(`FactoMineR failed or timed out: ${(r.stderr ?? '').slice(-300)}\n`);
    return null;
  }
  const [secs, eig1] = r.stdout.trim().split(/\s+/).map(Number);
  process.stdout.write(
    `FactoMineR ${n.toLocaleString('en')} rows: ${secs!.toFixed(2)} s (MCA + HCPC), eig1 ${eig1!.toFixed(6)}\n`,
  );
  return secs!;
}

const small = run(20_000);
const r = process.argv.includes('--no-r') ? null : rTime(small.columns);
if (r !== null)
  process.stdout.write(`ratio FactoMineR / cairnet on 20,000 rows: ${(r / small.seconds).toFixed(1)}×\n`);
run(1_000_000);
