import { pchisqUpper } from '../distributions.js';
import type { CodedVariable } from '../mca/categorical-variable.js';
import { dhyper, phyper, roundHalfEven } from './hypergeometric.js';
import { normalQuantile } from './normal-quantile.js';

/** A category over- or under-represented in a cluster: one row of FactoMineR's `desc.var$category`. */
export interface ClusterCategory {
  readonly variable: string;
  readonly level: string;
  readonly missing: boolean;
  readonly supplementary: boolean;
  /** Percent of the category's respondents who are in the cluster (`Cla/Mod`). */
  readonly claMod: number;
  /** Percent of the cluster's respondents who are in the category (`Mod/Cla`). */
  readonly modCla: number;
  /** Percent of all respondents in the category (`Global`). */
  readonly global: number;
  readonly pValue: number;
  readonly vtest: number;
}

/** A variable's chi-squared test of independence with the clusters (`desc.var$test.chi2`). */
export interface ClusterVariableTest {
  readonly variable: string;
  readonly supplementary: boolean;
  readonly pValue: number;
  readonly df: number;
}

export interface ClusterDescription {
  /** Per cluster (index id − 1): its significant categories, by decreasing v-test. */
  readonly categories: ClusterCategory[][];
  /** Variables whose link with the clusters is significant, by increasing p-value. */
  readonly tests: ClusterVariableTest[];
}

/**
 * Describes clusters by categories as FactoMineR's `catdes` (used by `HCPC` for `desc.var`):
 * weighted counts rounded to integers, a two-sided hypergeometric test per cluster × category,
 * v-test = ±Φ⁻¹(1 − p/2), kept when p ≤ `proba`.
 *
 * @param clusterOf cluster id (1…K) of each row
 */
export function describeClusters(
  clusterOf: Int32Array,
  clusters: number,
  variables: readonly { variable: CodedVariable; supplementary: boolean }[],
  weights: Float64Array,
  proba = 0.05,
): ClusterDescription {
  const n = clusterOf.length;
  const rowMargin = new Float64Array(clusters);
  for (let i = 0; i < n; i++) rowMargin[clusterOf[i]! - 1]! += weights[i]!;
  let total = 0;
  for (const m of rowMargin) total += m;
  const categories: ClusterCategory[][] = Array.from({ length: clusters }, () => []);
  const tests: ClusterVariableTest[] = [];
  const totalR = roundHalfEven(total);
  for (const { variable, supplementary } of variables) {
    const L = variable.levels.length;
    const table = new Float64Array(clusters * L);
    for (let i = 0; i < n; i++) table[(clusterOf[i]! - 1) * L + variable.codes[i]!]! += weights[i]!;
    const colMargin = new Float64Array(L);
    for (let g = 0; g < clusters; g++) for (let l = 0; l < L; l++) colMargin[l]! += table[g * L + l]!;
    tests.push({
      variable: variable.name,
      supplementary,
      ...chiSquaredTest(table, rowMargin, colMargin, total),
    });
    for (let g = 0; g < clusters; g++) {
      const mg = roundHalfEven(rowMargin[g]!);
      for (let l = 0; l < L; l++) {
        const t = table[g * L + l]!;
        const modCla = t / rowMargin[g]!;
        const global = colMargin[l]! / total;
        const tr = roundHalfEven(t);
        const ml = roundHalfEven(colMargin[l]!);
        const dens = dhyper(tr, mg, totalR - mg, ml);
        const p = Math.min(
          phyper(tr - 1, mg, totalR - mg, ml) * 2 + dens,
          phyper(tr, mg, totalR - mg, ml, false) * 2 + dens,
        );
        if (!(p <= proba)) continue;
        const vtest = (modCla > global ? -1 : 1) * normalQuantile(p / 2);
        categories[g]!.push({
          variable: variable.name,
          level: variable.levels[l]!,
          missing: l === variable.missingLevel,
          supplementary,
          claMod: (t / colMargin[l]!) * 100,
          modCla: modCla * 100,
          global: global * 100,
          pValue: p,
          vtest,
        });
      }
    }
  }
  for (const list of categories) list.sort((a, b) => b.vtest - a.vtest);
  return {
    categories,
    tests: tests.filter((t) => t.pValue <= proba).sort((a, b) => a.pValue - b.pValue),
  };
}

function chiSquaredTest(
  table: Float64Array,
  rowMargin: Float64Array,
  colMargin: Float64Array,
  total: number,
): { pValue: number; df: number } {
  const K = rowMargin.length;
  const L = colMargin.length;
  let stat = 0;
  for (let g = 0; g < K; g++) {
    for (let l = 0; l < L; l++) {
      const e = (rowMargin[g]! * colMargin[l]!) / total;
      if (e > 0) stat += (table[g * L + l]! - e) ** 2 / e;
    }
  }
  const df = (K - 1) * (L - 1);
  return { pValue: df > 0 ? pchisqUpper(stat, df) : 1, df };
}
