import { pchisqUpper } from './distributions.js';
import { statsError } from './stats-error.js';

/** Pearson's chi-square test of independence on a two-way table. */
export interface ChiSquareResult {
  statistic: number;
  df: number;
  p: number;
  expected: number[][];
  method: string;
}

/**
 * Pearson's chi-square test, as `chisq.test(table, correct)`: Yates' continuity correction
 * (`min(0.5, |O − E|)`) is applied only to a 2×2 table and only when `yates` is true.
 */
export function chiSquareTest(table: readonly (readonly number[])[], yates = false): ChiSquareResult {
  const r = table.length;
  const c = table[0]?.length ?? 0;
  if (r < 2 || c < 2 || table.some((row) => row.length !== c || row.some((v) => !(v >= 0)))) {
    throw statsError('A chi-square test needs a table of at least 2×2 non-negative counts');
  }
  const rowSums = table.map((row) => row.reduce((s, v) => s + v, 0));
  const colSums = Array.from({ length: c }, (_, j) => table.reduce((s, row) => s + row[j]!, 0));
  const total = rowSums.reduce((s, v) => s + v, 0);
  if (rowSums.some((v) => v === 0) || colSums.some((v) => v === 0)) {
    throw statsError('A chi-square test needs every row and column of the table to have a count');
  }
  const expected = rowSums.map((rs) => colSums.map((cs) => (rs * cs) / total));
  const correct = yates && r === 2 && c === 2;
  let half = 0;
  if (correct) {
    half = 0.5;
    for (let i = 0; i < r; i++)
      for (let j = 0; j < c; j++) half = Math.min(half, Math.abs(table[i]![j]! - expected[i]![j]!));
  }
  let statistic = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const e = expected[i]![j]!;
      statistic += (Math.abs(table[i]![j]! - e) - half) ** 2 / e;
    }
  }
  const df = (r - 1) * (c - 1);
  return {
    statistic,
    df,
    p: pchisqUpper(statistic, df),
    expected,
    method: correct
      ? "Pearson's chi-squared test with Yates' continuity correction"
      : "Pearson's chi-squared test",
  };
}
