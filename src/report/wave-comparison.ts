import type { PlanResults } from '../plan/evaluate-plan.js';
import type { IndicatorResult, TestResult } from '../plan/indicator-result.js';
import { chiSquareTest } from '../stats/chi-square-test.js';

/** One wave of a survey: its label ("2012") and the plan's results on its responses. */
export interface WaveResults {
  wave: string;
  results: PlanResults;
}

/** An indicator's value in one wave. */
export interface WaveCell {
  wave: string;
  n: number;
  count: number | null;
  estimate: number | null;
  ci: [number, number] | null;
  suppressed: boolean;
  fragile: boolean;
  status: 'ok' | 'pending';
}

/** The change of an indicator between two waves. */
export interface WaveChange {
  from: string;
  to: string;
  /** `to − from`, null when a cell is withheld or missing. */
  difference: number | null;
  /** Newcombe's hybrid score interval of the difference (his method 10), from the waves' Wilson intervals. */
  ci: [number, number] | null;
  test: TestResult | null;
}

/** An indicator followed across waves: each wave's figure and the change between consecutive ones. */
export interface TrendIndicator {
  id: string;
  label: IndicatorResult['label'];
  kind: IndicatorResult['kind'];
  method: string;
  waves: WaveCell[];
  changes: WaveChange[];
}

/**
 * Newcombe's interval for a difference of two independent proportions p2 − p1 from each one's
 * Wilson interval (Newcombe 1998, method 10): as R computes it from `prop.test(correct = FALSE)`
 * intervals (test/report/fixtures/waves.R).
 */
export function newcombeInterval(
  p1: number,
  ci1: readonly [number, number],
  p2: number,
  ci2: readonly [number, number],
): [number, number] {
  const d = p2 - p1;
  const lower = d - Math.sqrt((p2 - ci2[0]) ** 2 + (ci1[1] - p1) ** 2);
  const upper = d + Math.sqrt((ci2[1] - p2) ** 2 + (p1 - ci1[0]) ** 2);
  return [lower, upper];
}

function cell(wave: string, ind: IndicatorResult | undefined): WaveCell {
  return {
    wave,
    n: ind?.n ?? 0,
    count: ind && !ind.suppressed ? ind.count : null,
    estimate: ind && !ind.suppressed && ind.status === 'ok' ? ind.estimate : null,
    ci: ind && !ind.suppressed && ind.status === 'ok' ? ind.ci : null,
    suppressed: ind?.suppressed ?? false,
    fragile: ind?.fragile ?? false,
    status: ind?.status ?? 'pending',
  };
}

function change(kind: IndicatorResult['kind'], a: WaveCell, b: WaveCell): WaveChange {
  const base = { from: a.wave, to: b.wave };
  if (a.estimate === null || b.estimate === null) return { ...base, difference: null, ci: null, test: null };
  const difference = b.estimate - a.estimate;
  const proportion = kind === 'proportion' || kind === 'bracketShare';
  if (!proportion || !a.ci || !b.ci || a.count === null || b.count === null)
    return { ...base, difference, ci: null, test: null };
  const ci = newcombeInterval(a.estimate, a.ci, b.estimate, b.ci);
  let test: TestResult;
  try {
    const r = chiSquareTest([
      [a.count, a.n - a.count],
      [b.count, b.n - b.count],
    ]);
    test = {
      test: 'chisq',
      method: `${r.method} (as prop.test, correct = FALSE)`,
      statistic: r.statistic,
      df: r.df,
      p: r.p,
    };
  } catch (e) {
    test = { test: 'chisq', method: "Pearson's chi-squared test", error: (e as Error).message };
  }
  return { ...base, difference, ci, test };
}

/**
 * Follows each indicator of the first wave's plan across waves (in the order given): its
 * figure in each wave and, between consecutive waves, the difference with Newcombe's interval
 * and Pearson's chi-square test of the 2×2 table (wave × in the cell). Suppressed or pending
 * cells are never compared.
 */
export function compareWaves(waves: readonly WaveResults[]): TrendIndicator[] {
  const first = waves[0];
  if (!first) return [];
  return first.results.indicators.map((ind) => {
    const cells = waves.map((w) =>
      cell(
        w.wave,
        w.results.indicators.find((r) => r.id === ind.id),
      ),
    );
    const changes = cells.slice(1).map((b, k) => change(ind.kind, cells[k]!, b));
    return { id: ind.id, label: ind.label, kind: ind.kind, method: ind.method, waves: cells, changes };
  });
}
