import type { LocalisedText } from '../instrument/types.js';
import type { Published } from './plan-schema.js';

/** One estimated cell: a proportion (or a level's share) with its base and flags. */
export interface CellResult {
  /** Unweighted base: respondents in the denominator. */
  n: number;
  /** Unweighted numerator (respondents in the cell), for proportions. */
  count: number | null;
  estimate: number | null;
  ci: [number, number] | null;
  se?: number;
  /** The cell or its complement counts fewer respondents than the disclosure threshold. */
  suppressed: boolean;
  /**
   * Suppressed although large enough: the only other way to hide a suppressed cell that could be
   * recovered by subtraction from a published total (see complementary-suppression.ts).
   */
  secondary?: boolean;
  /** The base is under the fragility threshold. */
  fragile: boolean;
}

export interface LevelResult extends CellResult {
  level: string;
}

export interface GroupResult extends CellResult {
  group: string;
  levels?: LevelResult[];
  quartiles?: [number, number, number];
  /** For the share of levels of an ordered scale: the scale's distribution within the group. */
  scale?: ScaleDistribution;
}

export interface TestResult {
  test: string;
  method: string;
  statistic?: number;
  df?: number;
  p?: number;
  F?: number;
  ndf?: number;
  ddf?: number;
  estimate?: number;
  ci?: [number, number];
  oddsRatio?: number;
  /** For a ratio: which groups, numerator first. */
  groups?: [string, string];
  /** Why the test could not be made (an empty row, a zero cell). */
  error?: string;
}

/** A level of an ordered scale, with its wording from the codebook. */
export interface ScaleLevel extends LevelResult {
  label: LocalisedText;
}

/**
 * The whole distribution of the ordered scale (a Likert item) a share is read from: every level
 * in the codebook's order, on the headline share's base (those who did not answer counted apart). When any level is under the disclosure threshold, every level is suppressed (with the
 * headline share published, one hidden level could be recovered from the others).
 */
export interface ScaleDistribution {
  variable: string;
  /** The levels the headline share counts ("agree", "strongly_agree"). */
  selected: string[];
  levels: ScaleLevel[];
  /**
   * Respondents of the base who did not answer the item or were not asked it (absent when none):
   * the levels and this add up to the headline share's base, so that the selected levels add up to
   * the headline share.
   */
  missing?: CellResult;
  /** The headline share's base. */
  n: number;
  suppressed: boolean;
}

/** What an indicator evaluates to: what the CLI prints and reports render. */
export interface IndicatorResult extends CellResult {
  id: string;
  label: LocalisedText;
  kind: 'proportion' | 'mean' | 'quartiles' | 'distribution' | 'bracketShare' | 'distinctNames';
  /** For a distribution: the variable whose levels are counted. */
  variable?: string;
  /** For quartiles: the first quartile, the median and the third quartile. */
  quartiles?: [number, number, number];
  /** 'pending' when a step it needs (reconciliation, typology) is not available. */
  status: 'ok' | 'pending';
  note?: string;
  method: string;
  weighted: boolean;
  levels?: LevelResult[];
  /** For the share of levels of an ordered scale (a Likert item): the scale's whole distribution. */
  scale?: ScaleDistribution;
  by?: string;
  groups?: GroupResult[];
  test?: TestResult[];
  published?: Published;
  /** Some of the responses it was computed from are synthetic (demonstration data). */
  synthetic: boolean;
}
