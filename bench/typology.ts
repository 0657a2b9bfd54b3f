// `npm run bench -- typology [--no-r] [--r-timeout=SECONDS]`: MCA + Ward clustering (+ consolidation
// and description) on generated rows of 15 categorical variables, K = 4. FactoMineR (MCA + HCPC,
// same data, same K) is timed on 2,000 and 5,000 rows, where it finishes, and tried on 20,000 with
// a timeout (its HCPC builds several n × n matrices); Cairnet on the same sizes in the same run, and
// on 1,000,000 rows. Prints figures and FactoMineR / Cairnet ratios (wall clock and CPU time: the
// CPU ratio is the steadier one on a busy machine), asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

function run(n: number, columns: CategoricalColumn[], profile: Int32Array) {
  global.gc?.();
  const before = process.resourceUsage().maxRSS;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const t = buildTypology({ active: columns, dimensions: 5, clusters: 4, individualDetails: n <= 100_000 });
  const ms = performance.now() - t0;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  const rss = process.resourceUsage().maxRSS;
  // Up to 20,000 rows, a second run of the same call: the first includes V8's compilation.
  let warm: number | null = null;
  if (n <= 20_000) {
    const t1 = performance.now();
    buildTypology({ active: columns, dimensions: 5, clusters: 4, individualDetails: true });
    warm = (performance.now() - t1) / 1000;
  }
  const ari = adjustedRandIndex(t.clustering.clusterOf, profile);
  process.stdout.write(
    `cairnet ${n.toLocaleString('en')} rows × ${Q} variables: ${(ms / 1000).toFixed(3)} s (CPU ${cpu.toFixed(3)} s)` +
      `${warm === null ? '' : ` (second run ${warm.toFixed(3)} s)`} (MCA + Ward + consolidation + description), ` +
      `peak RSS ${(rss / 1024).toFixed(0)} MB (${((rss - before) / 1024).toFixed(0)} MB more than before), ` +
      `method ${t.clustering.method}, consolidation ${t.clustering.consolidationAlgorithm}, ` +
      `ARI vs generated profiles ${ari.toFixed(4)}, eig1 ${t.mca.eigenvalues[0]!.toFixed(6)}\n`,
  );
  if (t.clustering.approximation) process.stdout.write(`  approximation: ${t.clustering.approximation}\n`);
  return { seconds: ms / 1000, cpu, warm, clusterOf: t.clustering.clusterOf, eig1: t.mca.eigenvalues[0]! };
}

type RRun =
  | { status: 'done'; seconds: number; cpu: number; eig1: number; clusters: number[] }
  | { status: 'none' };

function rAvailable(): boolean {
  const which = spawnSync('Rscript', ['-e', 'cat(requireNamespace("FactoMineR", quietly = TRUE))'], {
    encoding: 'utf8',
  });
  return !which.error && which.status === 0 && which.stdout.trim() === 'TRUE';
}

/** FactoMineR's MCA + HCPC (nb.clust = 4, consolidation) on the same rows, timed inside R. */
function rTime(columns: CategoricalColumn[], timeoutSeconds: number): RRun {
  const dir = mkdtempSync(join(tmpdir(), 'typology-bench-'));
  try {
    const n = columns[0]!.values.length;
    const lines = [columns.map((c) => c.name).join(',')];
    for (let i = 0; i < n; i++) lines.push(columns.map((c) => c.values[i] ?? '').join(','));
    writeFileSync(join(dir, 'data.csv'), `${lines.join('\n')}\n`);
    const script = `suppressMessages(library(FactoMineR))
X <- read.csv("${join(dir, 'data.csv')}", na.strings = "", stringsAsFactors = TRUE)
t0 <- proc.time()
res <- MCA(X, ncp = 5, graph = FALSE)
h <- HCPC(res, nb.clust = 4, consol = TRUE, graph = FALSE)
el <- proc.time() - t0
writeLines(as.character(as.integer(h$data.clust$clust)), "${join(dir, 'clusters.txt')}")
cat(sprintf("%.3f %.12f %.3f\\n", el[["elapsed"]], res$eig[1, 1], el[["user.self"]] + el[["sys.self"]]))`;
    writeFileSync(join(dir, 'run.R'), script);
    const started = performance.now();
    const r = spawnSync('Rscript', [join(dir, 'run.R')], {
      encoding: 'utf8',
      timeout: timeoutSeconds * 1000,
      killSignal: 'SIGKILL',
    });
    const wall = (performance.now() - started) / 1000;
    if (r.error || r.signal) {
      process.stdout.write(
        `FactoMineR ${n.toLocaleString('en')} rows: did not finish in ${timeoutSeconds} s (stopped after ${wall.toFixed(0)} s wall clock, including R's start and reading the CSV)\n`,
      );
      return { status: 'none' };
    }
    if (r.status !== 0) {
      process.stdout.write(
        `FactoMineR ${n.toLocaleString('en')} rows failed: ${(r.stderr ?? '').slice(-300)}\n`,
      );
      return { status: 'none' };
    }
    const [secs, eig1, cpu] = r.stdout.trim().split(/\s+/).map(Number);
    const clusters = readFileSync(join(dir, 'clusters.txt'), 'utf8').trim().split('\n').map(Number);
    process.stdout.write(
      `FactoMineR ${n.toLocaleString('en')} rows: ${secs!.toFixed(3)} s (CPU ${cpu!.toFixed(3)} s) (MCA + HCPC with consolidation and description, timed inside R), eig1 ${eig1!.toFixed(6)}\n`,
    );
    return { status: 'done', seconds: secs!, cpu: cpu!, eig1: eig1!, clusters };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const useR = !process.argv.includes('--no-r') && rAvailable();
if (!process.argv.includes('--no-r') && !useR)
  process.stdout.write('Rscript or FactoMineR not found: no comparison\n');
const timeoutArg = process.argv.find((a) => a.startsWith('--r-timeout='));
const rTimeout = timeoutArg ? Number(timeoutArg.slice('--r-timeout='.length)) : 300;
const ratios: string[] = [];
for (const n of [2_000, 5_000, 20_000]) {
  const { columns, profile } = generate(n, 2012 + n);
  const ours = run(n, columns, profile);
  if (!useR) continue;
  // R's 20,000 is only tried, with a timeout; the smaller sizes are where the ratio is measured.
  const limit = n >= 20_000 ? rTimeout : 3 * rTimeout;
  const theirs = rTime(columns, limit);
  if (theirs.status !== 'done') {
    ratios.push(
      `${n.toLocaleString('en')} rows: FactoMineR did not finish in ${limit} s; Cairnet ${ours.seconds.toFixed(3)} s, so more than ${(limit / ours.seconds).toFixed(0)}×`,
    );
    continue;
  }
  const same = adjustedRandIndex(ours.clusterOf, theirs.clusters);
  process.stdout.write(
    `  same data: eig1 relative difference ${(Math.abs(ours.eig1 - theirs.eig1) / theirs.eig1).toExponential(1)}, ` +
      `partition vs FactoMineR's ARI ${same.toFixed(6)}${same === 1 ? ' (identical up to numbering)' : ''}\n`,
  );
  const warmRatio =
    ours.warm === null ? '' : `; ${(theirs.seconds / ours.warm).toFixed(1)}× on Cairnet's second run`;
  ratios.push(
    `${n.toLocaleString('en')} rows: FactoMineR ${theirs.seconds.toFixed(3)} s / Cairnet ${ours.seconds.toFixed(3)} s = ${(theirs.seconds / ours.seconds).toFixed(1)}× (first run${warmRatio}); CPU time ${theirs.cpu.toFixed(3)} s / ${ours.cpu.toFixed(3)} s = ${(theirs.cpu / ours.cpu).toFixed(1)}×`,
  );
}
{
  const { columns, profile } = generate(1_000_000, 2012 + 1_000_000);
  run(1_000_000, columns, profile);
}
if (ratios.length)
  process.stdout.write(
    `ratio FactoMineR / Cairnet, same data, same run (goal ≥ 10×):\n  ${ratios.join('\n  ')}\n`,
  );
