import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { cairnetError } from '../../errors.js';
import { dendrogramSvg } from '../../stats/clustering/dendrogram-svg.js';
import { buildTypology, type Typology } from '../../stats/clustering/typology.js';
import { matrixRow } from '../../stats/mca/dense-matrix.js';
import { factorMapSvg } from '../../stats/mca/factor-map-svg.js';
import { readCategoricalCsv } from '../read-categorical-csv.js';
import { action } from '../run-action.js';

interface TypologyOptions {
  active?: string;
  supplementary?: string;
  weights?: string;
  dims: string;
  clusters?: string;
  consolidation: boolean;
  json?: boolean;
  out?: string;
  exactLimit?: string;
}

export function register(program: Command): void {
  program
    .command('typology')
    .description(
      'Respondent profiles: multiple correspondence analysis then Ward clustering (FactoMineR MCA + HCPC)',
    )
    .argument('<file>', 'CSV file, first line = column names; empty cells and NA are missing answers')
    .option('--active <vars>', 'active categorical variables, comma-separated (at least 2)')
    .option('--supplementary <vars>', 'supplementary categorical variables, comma-separated')
    .option('--weights <column>', 'column of positive row weights')
    .option('--dims <n>', 'dimensions kept and clustered on', '5')
    .option('--clusters <k>', 'number of clusters (default: FactoMineR’s suggestion)')
    .option('--no-consolidation', 'no k-means consolidation after cutting the tree')
    .option('--json', 'print the result as JSON')
    .option('--out <dir>', 'also write factor-map.svg and dendrogram.svg there')
    .option('--exact-limit <n>', 'above this many distinct rows, Ward runs on pre-clusters', '30000')
    .action(action(async (file: string, opts: TypologyOptions) => runTypology(file, opts)));
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function positiveInteger(value: string, what: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < min) {
    throw cairnetError('CAIRNET_USAGE', `${what} must be a whole number ≥ ${min}; got "${value}".`);
  }
  return n;
}

async function runTypology(file: string, opts: TypologyOptions): Promise<void> {
  const active = list(opts.active);
  const supplementary = list(opts.supplementary);
  if (active.length < 2) {
    throw cairnetError('CAIRNET_USAGE', `--active needs at least 2 variables (got ${active.length}).`);
  }
  const dims = positiveInteger(opts.dims, '--dims', 1);
  const clusters = opts.clusters === undefined ? undefined : positiveInteger(opts.clusters, '--clusters', 2);
  const exactLimit = positiveInteger(opts.exactLimit ?? '30000', '--exact-limit', 2);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw cairnetError('CAIRNET_FILE_UNREADABLE', `Cannot read ${file}: ${(e as Error).message}`);
  }
  const csv = readCategoricalCsv(text);
  const column = (name: string) => ({ name, values: csv.column(name) });
  const activeColumns = active.map(column);
  const supColumns = supplementary.map(column);
  let weights: number[] | null = null;
  if (opts.weights) {
    weights = csv.column(opts.weights).map((v, i) => {
      const w = v === null ? Number.NaN : Number(v);
      if (!(Number.isFinite(w) && w > 0)) {
        throw cairnetError(
          'CAIRNET_TYPOLOGY_INVALID',
          `Row ${i + 1}: weight "${v ?? ''}" is not a positive number.`,
        );
      }
      return w;
    });
    // Weights of wildly different sizes leave nothing of the small ones in double precision.
    const [lo, hi] = [Math.min(...weights), Math.max(...weights)];
    if (hi / lo > 1e12) {
      throw cairnetError(
        'CAIRNET_TYPOLOGY_INVALID',
        `Row weights range from ${lo} to ${hi}: more than 12 orders of magnitude apart, too far for an MCA in double precision.`,
      );
    }
  }
  if (clusters !== undefined && clusters > csv.rowCount) {
    throw cairnetError(
      'CAIRNET_TYPOLOGY_INVALID',
      `--clusters ${clusters} is more than the ${csv.rowCount} rows of the file.`,
    );
  }
  const t = buildTypology({
    active: activeColumns,
    supplementary: supColumns,
    rowWeights: weights,
    dimensions: dims,
    clusters,
    consolidation: opts.consolidation,
    exactLimit,
  });
  if (opts.out) {
    mkdirSync(opts.out, { recursive: true });
    writeFileSync(join(opts.out, 'factor-map.svg'), factorMapSvg(t.mca, t.clustering.clusterOf));
    writeFileSync(join(opts.out, 'dendrogram.svg'), dendrogramSvg(t.clustering));
  }
  const json = typologyJson(t);
  // Nulls are part of the output's contract; a NaN or an infinity is not (JSON would print null).
  const undefinedAt = nonFiniteNumber(json);
  if (undefinedAt !== undefined) {
    throw cairnetError(
      'CAIRNET_TYPOLOGY_INVALID',
      `The MCA is not numerically defined on these data (${undefinedAt} is not a finite number).`,
    );
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(json)}\n`);
  else process.stdout.write(typologySummary(t, opts.out));
}

/** The JSON the CLI prints: a contract other checks rely on. */
export function typologyJson(t: Typology): Record<string, unknown> {
  const { mca, clustering, description } = t;
  const categoryJson = (res: NonNullable<Typology['mca']['qualiSup']>, j: number) => {
    const c = res.categories[j]!;
    return {
      variable: c.variable,
      level: c.level,
      missing: c.missing,
      weight: c.weight,
      coord: matrixRow(res.coord, j),
      contrib: res.contrib ? matrixRow(res.contrib, j) : null,
      cos2: matrixRow(res.cos2, j),
      vtest: matrixRow(res.vtest, j),
    };
  };
  return {
    eigenvalues: mca.eigenvalues,
    inertiaPercent: mca.inertiaPercent,
    cumulativePercent: mca.cumulativePercent,
    dimensions: mca.dimensions,
    signNote: mca.signNote,
    rows: Array.from({ length: mca.ind.coord.rows }, (_, i) => ({
      coord: matrixRow(mca.ind.coord, i),
      cluster: clustering.clusterOf[i]!,
    })),
    categories: mca.var.categories.map((_, j) => categoryJson(mca.var, j)),
    eta2: mca.var.variables.map((variable, q) => ({ variable, values: matrixRow(mca.var.eta2, q) })),
    supplementaryCategories: mca.qualiSup
      ? mca.qualiSup.categories.map((_, j) => categoryJson(mca.qualiSup!, j))
      : [],
    supplementaryEta2: mca.qualiSup
      ? mca.qualiSup.variables.map((variable, q) => ({ variable, values: matrixRow(mca.qualiSup!.eta2, q) }))
      : [],
    clusters: clustering.sizes.map((size, g) => ({
      id: g + 1,
      size,
      weight: clustering.weights[g],
      centre: matrixRow(clustering.centres, g),
      categories: description.categories[g]!.map((c) => ({
        variable: c.variable,
        level: c.level,
        missing: c.missing,
        supplementary: c.supplementary,
        vtest: Number.isFinite(c.vtest) ? c.vtest : c.vtest > 0 ? 'Infinity' : '-Infinity',
        pValue: c.pValue,
        claMod: c.claMod,
        modCla: c.modCla,
        global: c.global,
      })),
    })),
    clustering: {
      method: clustering.method,
      approximation: clustering.approximation,
      consolidated: clustering.consolidated,
      consolidationAlgorithm: clustering.consolidationAlgorithm,
      consolidationIterations: clustering.consolidationIterations,
      suggestedClusters: clustering.suggestedClusters,
      inertiaGain: clustering.inertiaGain,
      totalInertia: clustering.totalInertia,
      betweenInertia: clustering.betweenInertia,
      variableTests: description.tests,
    },
  };
}

function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : x > 0 ? 'Inf' : '-Inf';
}

function typologySummary(t: Typology, out: string | undefined): string {
  const { mca, clustering, description } = t;
  const lines: string[] = [];
  lines.push(
    `Multiple correspondence analysis: ${mca.ind.coord.rows} rows, ${t.active.length} active variables`,
  );
  lines.push('  dim  eigenvalue  % inertia  cumulative %');
  mca.eigenvalues.slice(0, Math.max(mca.dimensions, 5)).forEach((e, k) => {
    lines.push(
      `  ${String(k + 1).padStart(3)}  ${fmt(e, 4).padStart(10)}  ${fmt(mca.inertiaPercent[k]!, 2).padStart(9)}  ${fmt(mca.cumulativePercent[k]!, 2).padStart(12)}`,
    );
  });
  lines.push(`  (${mca.eigenvalues.length} non-trivial eigenvalues in all; ${mca.signNote})`);
  for (let s = 0; s < Math.min(2, mca.dimensions); s++) {
    const top = mca.var.categories
      .map((c, j) => ({
        c,
        ctr: mca.var.contrib!.data[j * mca.dimensions + s]!,
        x: mca.var.coord.data[j * mca.dimensions + s]!,
      }))
      .sort((a, b) => b.ctr - a.ctr)
      .slice(0, 6);
    lines.push(`Axis ${s + 1}, largest contributions:`);
    for (const { c, ctr, x } of top)
      lines.push(`  ${c.variable}=${c.level}  contrib ${fmt(ctr, 1)}%  coord ${fmt(x)}`);
  }
  lines.push('');
  lines.push(
    `Ward clustering on ${mca.dimensions} dimensions: ${clustering.clusters} clusters` +
      ` (suggested: ${clustering.suggestedClusters}; ${clustering.consolidated ? 'consolidated by k-means' : 'no consolidation'})`,
  );
  lines.push(
    `  between-cluster inertia: ${fmt((100 * clustering.betweenInertia.final) / clustering.totalInertia, 1)}% of the total`,
  );
  if (clustering.approximation) lines.push(`  approximation: ${clustering.approximation}`);
  clustering.sizes.forEach((size, g) => {
    lines.push(`Cluster ${g + 1}: ${size} rows (weight ${fmt(clustering.weights[g]!, 1)})`);
    const cats = description.categories[g]!;
    const over = cats.filter((c) => c.vtest > 0).slice(0, 6);
    const under = cats
      .filter((c) => c.vtest < 0)
      .slice(-3)
      .reverse();
    for (const c of over) {
      lines.push(
        `  + ${c.variable}=${c.level}${c.supplementary ? ' (sup.)' : ''}  ${fmt(c.modCla, 1)}% vs ${fmt(c.global, 1)}% overall, v-test ${fmt(c.vtest, 2)}`,
      );
    }
    for (const c of under) {
      lines.push(
        `  − ${c.variable}=${c.level}${c.supplementary ? ' (sup.)' : ''}  ${fmt(c.modCla, 1)}% vs ${fmt(c.global, 1)}% overall, v-test ${fmt(c.vtest, 2)}`,
      );
    }
  });
  if (out) lines.push('', `Wrote ${join(out, 'factor-map.svg')} and ${join(out, 'dendrogram.svg')}`);
  return `${lines.join('\n')}\n`;
}

/** The path of the first NaN or infinity in a result, if any. */
function nonFiniteNumber(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path || '/';
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const found = nonFiniteNumber(v, `${path}/${k}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
