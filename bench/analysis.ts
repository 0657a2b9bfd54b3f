/**
 * `npm run bench -- analysis`: the whole Cairnet analysis plan on the 651-response demonstration
 * panel and on 1,000,000 generated responses, with time and peak memory; then, when Rscript is
 * installed, the same proportions, intervals and tests in R (survey package) on a CSV of the
 * same data, timed, as a ratio. Options: `--million=N` (default 1000000), `--no-r`.
 *
 * The million responses are drawn with replacement from a generated panel (generating each with
 * the latent-class model would take half an hour): each is serialised to JSON and parsed again
 * while the dataset is built, as when it is streamed from the store.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { distinctAssociationCount } from '../src/dataset/association-names.js';
import { conditionMask } from '../src/dataset/condition.js';
import type { Dataset } from '../src/dataset/dataset.js';
import { DatasetBuilder } from '../src/dataset/dataset-builder.js';
import { generatePanel } from '../src/demo/index.js';
import { seededRandom } from '../src/demo/random.js';
import { loadCairnetInstrument } from '../src/instrument/index.js';
import { proportionOf } from '../src/plan/evaluate-indicator.js';
import {
  evaluatePlan,
  type PlanResults,
  planVariables,
  preparePlanDataset,
} from '../src/plan/evaluate-plan.js';
import { type ParsedPlan, readPlanFile } from '../src/plan/parse-plan.js';

const args = process.argv.slice(2);
const millionArg = args.find((a) => a.startsWith('--million='));
const MILLION = millionArg ? Number(millionArg.slice('--million='.length)) : 1_000_000;
const WITH_R = !args.includes('--no-r') && spawnSync('Rscript', ['--version']).status === 0;
const OUT = join(process.cwd(), 'bench', 'out');
mkdirSync(OUT, { recursive: true });

const { codebook } = loadCairnetInstrument();
const parsed = readPlanFile();
const variables = planVariables(parsed, codebook);
const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const seconds = (t0: number) => (performance.now() - t0) / 1000;

function buildFrom(texts: Iterable<string>): Dataset {
  const builder = new DatasetBuilder(codebook, { variables });
  for (const t of texts) builder.add({ data: JSON.parse(t) as Record<string, unknown>, synthetic: true });
  return builder.finish();
}

async function run(
  label: string,
  texts: () => Iterable<string>,
): Promise<{ results: PlanResults; dataset: Dataset }> {
  globalThis.gc?.();
  const t0 = performance.now();
  const source = buildFrom(texts());
  const tBuild = seconds(t0);
  const t1 = performance.now();
  const results = await evaluatePlan(parsed, codebook, source, { distinctNames: distinctAssociationCount });
  const tPlan = seconds(t1);
  const tTotal = seconds(t0);
  process.stdout.write(
    `${label}: ${source.n} responses, ${results.indicators.length} indicators — dataset ${tBuild.toFixed(2)} s ` +
      `(JSON parse + columns), plan ${tPlan.toFixed(2)} s, total ${tTotal.toFixed(2)} s, peak RSS ${mb()} MB\n`,
  );
  return { results, dataset: source };
}

/** A CSV with, per indicator (and group), the 0/1 outcome and the 0/1 filter, for R. */
function writeIndicatorCsv(
  file: string,
  plan: ParsedPlan,
  source: Dataset,
): { columns: string[]; spec: RSpec[] } {
  const { dataset, vocabulary } = preparePlanDataset(plan, codebook, source);
  const levels = (v: string) => vocabulary.get(v)?.levels ?? [];
  const cols: { name: string; mask: Uint8Array }[] = [];
  const spec: RSpec[] = [];
  for (const ind of plan.plan.indicators) {
    const p = proportionOf(ind, { levels });
    if (!p) continue;
    const y = conditionMask(dataset, p.outcome);
    const among = p.among ? conditionMask(dataset, p.among) : new Uint8Array(dataset.n).fill(1);
    cols.push({ name: `${ind.id}_y`, mask: y }, { name: `${ind.id}_in`, mask: among });
    const s: RSpec = { id: ind.id, groups: [] };
    if (ind.by) {
      const by = dataset.columns.get(ind.by);
      if (by?.kind === 'categorical') {
        by.levels.forEach((g, k) => {
          const m = new Uint8Array(dataset.n);
          for (let i = 0; i < dataset.n; i++) m[i] = among[i]! && by.codes[i] === k ? 1 : 0;
          cols.push({ name: `${ind.id}_g_${g}`, mask: m });
          s.groups.push(g);
        });
      }
    }
    spec.push(s);
  }
  // Fixed-width rows of 0/1 written as bytes: a million rows in a moment.
  const header = Buffer.from(`${cols.map((c) => c.name).join(',')}\n`);
  const width = 2 * cols.length;
  const body = Buffer.alloc(width * dataset.n);
  for (let i = 0; i < dataset.n; i++) {
    const at = i * width;
    cols.forEach((c, j) => {
      body[at + 2 * j] = 48 + c.mask[i]!;
      body[at + 2 * j + 1] = j === cols.length - 1 ? 10 : 44;
    });
  }
  writeFileSync(file, Buffer.concat([header, body]));
  return { columns: cols.map((c) => c.name), spec };
}

interface RSpec {
  id: string;
  groups: string[];
}

const R_SCRIPT = `
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
spec <- jsonlite_free <- NULL
d <- read.csv(args[1])
ids <- strsplit(args[2], ",")[[1]]
t0 <- proc.time()[["elapsed"]]
des <- svydesign(ids = ~1, data = d)
out <- character(0)
row <- function(id, y, inn) {
  sub <- subset(des, d[[inn]] == 1)
  m <- svymean(as.formula(paste0("~", y)), sub)
  x <- sum(d[[y]][d[[inn]] == 1]); n <- sum(d[[inn]] == 1)
  ci <- prop.test(x, n, correct = FALSE)$conf.int
  sprintf('{"id":"%s","estimate":%.15g,"se":%.15g,"lo":%.15g,"hi":%.15g,"n":%d}', id, coef(m), SE(m), ci[1], ci[2], n)
}
for (id in ids) {
  out <- c(out, row(id, paste0(id, "_y"), paste0(id, "_in")))
  gs <- grep(paste0("^", id, "_g_"), names(d), value = TRUE)
  if (length(gs) > 1) {
    for (g in gs) out <- c(out, row(sub("_g_", "/", g), paste0(id, "_y"), g))
    tab <- t(sapply(gs, function(g) c(sum(d[[paste0(id, "_y")]][d[[g]] == 1]), sum(d[[g]] == 1) - sum(d[[paste0(id, "_y")]][d[[g]] == 1]))))
    ct <- suppressWarnings(chisq.test(tab, correct = FALSE))
    out <- c(out, sprintf('{"id":"%s/chisq","estimate":%.15g,"p":%.15g}', id, ct$statistic, ct$p.value))
  }
}
elapsed <- proc.time()[["elapsed"]] - t0
cat(sprintf('{"seconds":%.3f,"rows":[%s]}\\n', elapsed, paste(out, collapse = ",")))
`;

function compareWithR(label: string, results: PlanResults, source: Dataset, jsSeconds: number): void {
  const csv = join(OUT, `analysis-${label}.csv`);
  const script = join(OUT, 'analysis.R');
  writeFileSync(script, R_SCRIPT);
  const t0 = performance.now();
  const { spec } = writeIndicatorCsv(csv, parsed, source);
  const tCsv = seconds(t0);
  const t1 = performance.now();
  const r = spawnSync('Rscript', [script, csv, spec.map((s) => s.id).join(',')], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const tR = seconds(t1);
  if (r.status !== 0) {
    process.stdout.write(`R (${label}) failed: ${r.stderr.slice(0, 500)}\n`);
    return;
  }
  const parsedR = JSON.parse(r.stdout) as {
    seconds: number;
    rows: { id: string; estimate: number; lo?: number; hi?: number; p?: number }[];
  };
  const js = new Map<string, { estimate: number | null; ci: [number, number] | null; p?: number }>();
  for (const ind of results.indicators) {
    js.set(ind.id, { estimate: ind.estimate, ci: ind.ci });
    for (const g of ind.groups ?? []) js.set(`${ind.id}/${g.group}`, { estimate: g.estimate, ci: g.ci });
    for (const t of ind.test ?? [])
      if (t.test === 'chisq')
        js.set(`${ind.id}/chisq`, {
          estimate: t.statistic ?? null,
          ci: null,
          ...(t.p !== undefined ? { p: t.p } : {}),
        });
  }
  let maxDiff = 0;
  let compared = 0;
  for (const row of parsedR.rows) {
    const mine = js.get(row.id);
    if (!mine || mine.estimate === null) continue;
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
    maxDiff = Math.max(maxDiff, rel(mine.estimate, row.estimate));
    if (mine.ci && row.lo !== undefined && row.hi !== undefined) {
      maxDiff = Math.max(maxDiff, rel(mine.ci[0], row.lo), rel(mine.ci[1], row.hi));
    }
    compared++;
  }
  process.stdout.write(
    `R survey (${label}): ${compared} estimates (svymean, prop.test intervals, chisq.test) in ${parsedR.seconds.toFixed(2)} s ` +
      `inside R (${tR.toFixed(2)} s with start-up and CSV read; CSV written in ${tCsv.toFixed(2)} s); ` +
      `largest relative difference from ours ${maxDiff.toExponential(2)}; ` +
      `R / Cairnet time ratio ${(parsedR.seconds / jsSeconds).toFixed(1)} (R's ${(tR / jsSeconds).toFixed(1)} with start-up). ` +
      `R does not redo the typology (F20's profiles come from ours) nor F6's reconciliation.\n`,
  );
}

async function main(): Promise<void> {
  process.stdout.write(
    `node ${process.version}, ${MILLION.toLocaleString('en')} responses for the large run${WITH_R ? ', with R' : ''}\n`,
  );
  let t0 = performance.now();
  const panel = generatePanel({ respondents: 651, seed: 2013 }).map((r) => JSON.stringify(r.data));
  process.stdout.write(`generated the 651-response panel in ${seconds(t0).toFixed(2)} s\n`);
  t0 = performance.now();
  const small = await run('panel (651, seed 2013)', () => panel);
  const smallSeconds = seconds(t0);
  if (WITH_R) compareWithR('651', small.results, small.dataset, smallSeconds);

  t0 = performance.now();
  const pool = generatePanel({ respondents: 2000, seed: 2026 }).map((r) => JSON.stringify(r.data));
  process.stdout.write(
    `generated a pool of 2,000 responses in ${seconds(t0).toFixed(2)} s; drawing ${MILLION.toLocaleString('en')} from it\n`,
  );
  const rand = seededRandom(1_000_000);
  const draws = new Uint16Array(MILLION);
  for (let i = 0; i < MILLION; i++) draws[i] = Math.floor(rand() * pool.length);
  function* stream(): Iterable<string> {
    for (let i = 0; i < MILLION; i++) yield pool[draws[i]!]!;
  }
  t0 = performance.now();
  const large = await run(`generated (${MILLION.toLocaleString('en')})`, stream);
  const largeSeconds = seconds(t0);
  const f = (id: string) => large.results.indicators.find((r) => r.id === id);
  process.stdout.write(
    `  F2 ${f('F2')?.estimate?.toFixed(4)}, F3 ${f('F3')?.estimate?.toFixed(4)}, F20 profiles ${f('F20')
      ?.groups?.map((g) => `${g.group} ${g.estimate?.toFixed(3)}`)
      .join(', ')}\n`,
  );
  if (WITH_R) compareWithR('large', large.results, large.dataset, largeSeconds);
  const stream2 = createWriteStream(join(OUT, 'analysis-results.json'));
  stream2.end(JSON.stringify({ panel: small.results, large: large.results }));
}

await main();
