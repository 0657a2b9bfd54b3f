import type { DenseMatrix } from './dense-matrix.js';

/** One category (a level of a variable), a row of `var.coord` in FactoMineR. */
export interface McaCategory {
  readonly variable: string;
  readonly level: string;
  /** True for the category made of missing answers (FactoMineR's `<variable>.NA`). */
  readonly missing: boolean;
  /** Weighted count of the respondents in this category. */
  readonly weight: number;
}

/** Results for categories: FactoMineR's `res$var` (active) or `res$quali.sup` (supplementary). */
export interface McaCategoryResult {
  readonly categories: readonly McaCategory[];
  /** Category × dimension. */
  readonly coord: DenseMatrix;
  /** Percent of each axis' inertia (active categories only; zeros for supplementary). */
  readonly contrib: DenseMatrix | null;
  readonly cos2: DenseMatrix;
  readonly vtest: DenseMatrix;
  /** Variable × dimension: squared correlation ratio of each variable with each axis. */
  readonly eta2: DenseMatrix;
  readonly variables: readonly string[];
}

/** Results for rows (respondents): FactoMineR's `res$ind`. */
export interface McaIndividualResult {
  /** Row × dimension, rows in input order. */
  readonly coord: DenseMatrix;
  /** Null when `individualDetails: false` was asked (large data). */
  readonly contrib: DenseMatrix | null;
  readonly cos2: DenseMatrix | null;
}

/** A multiple correspondence analysis, shaped as FactoMineR's `MCA` result. */
export interface McaResult {
  /** Every non-trivial eigenvalue (FactoMineR's `eig[, 1]`), decreasing. */
  readonly eigenvalues: number[];
  /** Percent of inertia of each eigenvalue (`eig[, 2]`). */
  readonly inertiaPercent: number[];
  /** Cumulative percent (`eig[, 3]`). */
  readonly cumulativePercent: number[];
  /** Number of dimensions kept for coordinates (`ncp`). */
  readonly dimensions: number;
  readonly ind: McaIndividualResult;
  readonly var: McaCategoryResult;
  readonly qualiSup: McaCategoryResult | null;
  /** Row weights as used (all 1 when none were given). */
  readonly rowWeights: Float64Array;
  /** Axis signs are arbitrary; FactoMineR's rule is applied but results may differ in sign. */
  readonly signNote: string;
}
