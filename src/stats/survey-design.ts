import { statsError } from './stats-error.js';

/** A category label as it comes from a column. */
export type Label = string | number;

/** What to do with a stratum that has a single PSU (R option `survey.lonely.psu`). */
export type LonelyPsu = 'fail' | 'certainty' | 'remove' | 'adjust' | 'average';

/** The columns that describe how the sample was drawn (as `survey::svydesign`). */
export interface DesignSpec {
  /** Number of rows; needed only when no column is given. */
  n?: number;
  /** Sampling weights (1 / probability); default all 1. */
  weights?: ArrayLike<number>;
  /** Stratum of each row; default one stratum. */
  strata?: ArrayLike<Label>;
  /** PSU (cluster) of each row, one stage; default each row is its own PSU. */
  clusters?: ArrayLike<Label>;
  /** Finite population correction per row: all > 1 means population sizes, all ≤ 1 sampling fractions. */
  fpc?: ArrayLike<number>;
  /** Lonely-PSU rule; default `'fail'`, as survey's default. */
  lonelyPsu?: LonelyPsu;
  /** Cluster labels are only unique within strata (svydesign's `nest = TRUE`). */
  nest?: boolean;
}

/** How post-stratification or raking changed the weights, kept so that variances account for it. */
export type Calibration =
  | { kind: 'postStratify'; cell: Int32Array; weights: Float64Array; oldWeights: Float64Array }
  | { kind: 'rake'; margins: { cell: Int32Array; weights: Float64Array }[] };

/** A plain description of a design, for results that say where they came from. */
export interface DesignDescription {
  rows: number;
  strata: number;
  psus: number;
  clustered: boolean;
  weighted: boolean;
  fpc: boolean;
  calibrated: string[];
  lonelyPsu: LonelyPsu;
}

/** A one-stage stratified cluster design, as `svydesign(id, strata, weights, fpc)` builds it. */
export interface SurveyDesign {
  readonly n: number;
  readonly weights: Float64Array;
  /** Stratum index of each row (into {@link strataLabels}). */
  readonly stratum: Int32Array;
  readonly strataLabels: string[];
  /** PSU index of each row. */
  readonly psu: Int32Array;
  /** Stratum index of each PSU. */
  readonly psuStratum: Int32Array;
  /** Number of sampled PSUs in each stratum (of the whole design, whatever the domain). */
  readonly nPsuByStratum: Int32Array;
  /** Population number of PSUs in each stratum, or null without fpc. */
  readonly popSizeByStratum: Float64Array | null;
  readonly lonelyPsu: LonelyPsu;
  readonly clustered: boolean;
  readonly weighted: boolean;
  readonly calibrations: readonly Calibration[];
}

function lengthOf(spec: DesignSpec): number {
  const lengths = [spec.weights, spec.strata, spec.clusters, spec.fpc]
    .filter((c): c is ArrayLike<number | Label> => c !== undefined)
    .map((c) => c.length);
  const n = spec.n ?? lengths[0];
  if (n === undefined) throw statsError('A design needs its number of rows or at least one column');
  if (lengths.some((l) => l !== n)) throw statsError(`Design columns have different lengths (${lengths})`);
  return n;
}

function isMissingLabel(v: Label | null | undefined): boolean {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

/**
 * Builds a design from columns, with survey's checks: weights finite and ≥ 0, no missing strata
 * or clusters, clusters nested in strata, fpc constant within a stratum and not below the sample.
 *
 * @example
 * const d = surveyDesign({ strata: stype, weights: pw, fpc });
 */
export function surveyDesign(spec: DesignSpec): SurveyDesign {
  const n = lengthOf(spec);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = spec.weights ? Number(spec.weights[i]) : 1;
    if (!Number.isFinite(w) || w < 0) {
      throw statsError(`Weight of row ${i + 1} is ${spec.weights?.[i]}: weights must be finite and ≥ 0`);
    }
    weights[i] = w;
  }
  const stratum = new Int32Array(n);
  const strataIndex = new Map<string, number>();
  const strataLabels: string[] = [];
  if (spec.strata) {
    const labels = [...new Set(Array.from(spec.strata, (v, i) => checkLabel(v, i, 'stratum')))];
    sortLabels(labels).forEach((l, k) => {
      strataIndex.set(l, k);
      strataLabels.push(l);
    });
    for (let i = 0; i < n; i++) stratum[i] = strataIndex.get(String(spec.strata[i]))!;
  } else {
    strataLabels.push('1');
  }
  const psu = new Int32Array(n);
  const psuStratumList: number[] = [];
  const psuIndex = new Map<string, number>();
  const clusterStratum = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const h = stratum[i]!;
    let key: string;
    if (spec.clusters) {
      const c = checkLabel(spec.clusters[i], i, 'cluster');
      const seen = clusterStratum.get(c);
      if (!spec.nest && seen !== undefined && seen !== h) {
        throw statsError(`Cluster "${c}" is in more than one stratum: clusters must be nested in strata`);
      }
      clusterStratum.set(c, h);
      key = `${h}\u0000${c}`;
    } else {
      key = String(i);
    }
    let j = psuIndex.get(key);
    if (j === undefined) {
      j = psuStratumList.length;
      psuIndex.set(key, j);
      psuStratumList.push(h);
    }
    psu[i] = j;
  }
  const psuStratum = Int32Array.from(psuStratumList);
  const nPsuByStratum = new Int32Array(strataLabels.length);
  for (const h of psuStratum) nPsuByStratum[h]!++;
  const popSizeByStratum = spec.fpc ? popSizes(spec.fpc, stratum, nPsuByStratum, strataLabels) : null;
  return {
    n,
    weights,
    stratum,
    strataLabels,
    psu,
    psuStratum,
    nPsuByStratum,
    popSizeByStratum,
    lonelyPsu: spec.lonelyPsu ?? 'fail',
    clustered: spec.clusters !== undefined,
    weighted: spec.weights !== undefined,
    calibrations: [],
  };
}

function checkLabel(v: Label | null | undefined, i: number, what: string): string {
  if (isMissingLabel(v)) throw statsError(`Row ${i + 1} has no ${what}: design variables cannot be missing`);
  return String(v);
}

function popSizes(
  fpc: ArrayLike<number>,
  stratum: Int32Array,
  nPsu: Int32Array,
  labels: string[],
): Float64Array {
  const values = Array.from(fpc, Number);
  if (values.some((v) => !Number.isFinite(v) || v <= 0)) {
    throw statsError('fpc values must be finite and > 0 (population sizes or sampling fractions)');
  }
  const isPopSize = values.some((v) => v > 1);
  if (isPopSize && values.some((v) => v < 1)) {
    throw statsError('fpc must be all ≥ 1 (population sizes) or all ≤ 1 (sampling fractions)');
  }
  const out = new Float64Array(nPsu.length).fill(Number.NaN);
  values.forEach((v, i) => {
    const h = stratum[i]!;
    const size = isPopSize ? v : nPsu[h]! / v;
    if (!Number.isNaN(out[h]!) && out[h] !== size) {
      throw statsError(`fpc varies within stratum "${labels[h]}"`);
    }
    out[h] = size;
  });
  out.forEach((size, h) => {
    if (size < nPsu[h]!) {
      throw statsError(`fpc implies more than 100% sampling in stratum "${labels[h]}"`);
    }
  });
  return out;
}

/** Sorts labels as R's `factor()` does for numbers, otherwise by code point. */
export function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return [...labels].sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Whether a value counts as missing (null, undefined, NaN, or the empty string). */
export function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

/** The same design with new weights (and the calibration that produced them). */
export function withWeights(
  design: SurveyDesign,
  weights: Float64Array,
  calibration?: Calibration,
): SurveyDesign {
  return {
    ...design,
    weights,
    weighted: true,
    calibrations: calibration ? [...design.calibrations, calibration] : design.calibrations,
  };
}

/** A plain description of the design. */
export function describeDesign(design: SurveyDesign): DesignDescription {
  return {
    rows: design.n,
    strata: design.strataLabels.length,
    psus: design.psuStratum.length,
    clustered: design.clustered,
    weighted: design.weighted,
    fpc: design.popSizeByStratum !== null,
    calibrated: design.calibrations.map((c) => c.kind),
    lonelyPsu: design.lonelyPsu,
  };
}
