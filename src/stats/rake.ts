import { postStratifyWeights } from './post-stratify.js';
import { statsError } from './stats-error.js';
import { type Label, type SurveyDesign, withWeights } from './survey-design.js';

/** One raking margin: a column and its population counts by level. */
export interface RakeMargin {
  name: string;
  variable: ArrayLike<Label | null>;
  population: Readonly<Record<string, number>>;
}

export interface RakeOptions {
  /** Maximum number of sweeps; default 10, as survey. */
  maxIter?: number;
  /** Convergence threshold on the joint weighted table; below 1 it is a fraction of the total weight. Default 1. */
  epsilon?: number;
}

/** A raked design and how raking went. */
export interface RakeResult {
  design: SurveyDesign;
  converged: boolean;
  /** Sweeps over all margins performed. */
  iterations: number;
  /** Weighted sums by margin and level after raking. */
  sumByMargin: Record<string, Record<string, number>>;
}

/**
 * Raking (iterative proportional fitting), as `survey::rake(design, margins, populations,
 * control = list(maxit, epsilon))`: each sweep post-stratifies on every margin in turn; it stops
 * when the largest change of the joint weighted table of all margin variables between sweeps is
 * below epsilon. Standard errors of the raked design use survey's iterated residuals.
 */
export function rake(
  design: SurveyDesign,
  margins: readonly RakeMargin[],
  options: RakeOptions = {},
): RakeResult {
  if (margins.length === 0) throw statsError('Raking needs at least one margin');
  const maxIter = options.maxIter ?? 10;
  if (!Number.isInteger(maxIter) || maxIter < 1) throw statsError('maxIter must be a positive integer');
  const eps0 = options.epsilon ?? 1;
  if (!(eps0 > 0)) throw statsError('epsilon must be > 0');
  const epsilon = eps0 < 1 ? eps0 * design.weights.reduce((s, w) => s + w, 0) : eps0;
  const joint = new Array<string>(design.n);
  for (let i = 0; i < design.n; i++) joint[i] = margins.map((m) => String(m.variable[i])).join('\u0000');
  const jointTable = (w: Float64Array) => {
    const t = new Map<string, number>();
    for (let i = 0; i < design.n; i++) t.set(joint[i]!, (t.get(joint[i]!) ?? 0) + w[i]!);
    return t;
  };
  let weights = design.weights;
  let old = jointTable(weights);
  let last: { cell: Int32Array; weights: Float64Array }[] = [];
  let iterations = 0;
  let converged = false;
  while (iterations < maxIter) {
    last = margins.map((m) => {
      const step = postStratifyWeights(weights, m.variable, m.population);
      weights = step.weights;
      return step;
    });
    iterations++;
    const now = jointTable(weights);
    let delta = 0;
    for (const [k, v] of now) delta = Math.max(delta, Math.abs(v - (old.get(k) ?? 0)));
    if (delta < epsilon) {
      converged = true;
      break;
    }
    old = now;
  }
  const sumByMargin: Record<string, Record<string, number>> = {};
  for (const m of margins) {
    const sums: Record<string, number> = {};
    for (const level of Object.keys(m.population)) sums[level] = 0;
    for (let i = 0; i < design.n; i++) sums[String(m.variable[i])]! += weights[i]!;
    sumByMargin[m.name] = sums;
  }
  return {
    design: withWeights(design, weights, { kind: 'rake', margins: last }),
    converged,
    iterations,
    sumByMargin,
  };
}
