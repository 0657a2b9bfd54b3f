import type { DesignDescription } from './survey-design.js';

/** A design-based estimate, in the shape analysts know from R's survey package. */
export interface Estimate {
  /** What is estimated. */
  statistic: 'mean' | 'total' | 'proportion' | 'quantile';
  /** Point estimate. */
  value: number;
  /** Taylor-linearised standard error. */
  se: number;
  /** Confidence interval [lower, upper]. */
  ci: [number, number];
  /** Confidence level of {@link ci}. */
  confidence: number;
  /** How the interval was made: 'normal', 'logit', 'wilson', 'woodruff'. */
  ciMethod: string;
  /** Unweighted base: rows in the estimate with a non-zero weight. */
  n: number;
  /** Sum of weights of those rows. */
  weightedN: number;
  /** Category, for a proportion. */
  level?: string;
  /** Degrees of freedom used by the interval (design df for logit and quantiles). */
  df?: number;
  /** Whether the value was interpolated (bracketed amounts). */
  interpolated?: boolean;
  design?: DesignDescription;
}

/** Options shared by estimators. */
export interface EstimateOptions {
  /** Rows of the domain (subpopulation); other rows contribute zero, as `subset()` on a design. */
  domain?: ArrayLike<boolean | number>;
  /** Drop rows with a missing value (R `na.rm = TRUE`); otherwise a missing value is an error. */
  naRm?: boolean;
  /** Confidence level; default 0.95. */
  confidence?: number;
}
