import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';

const dir = join(import.meta.dirname, '..', 'fixtures', 'r', 'stats');

/** Expected results written by test/fixtures/r/stats/make-fixtures.R. */
// biome-ignore lint/suspicious/noExplicitAny: free-form JSON written by R
export const expected: any = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));

/** A fixture CSV as columns of strings ('' for NA). */
export function table(name: string): Record<string, string[]> {
  const rows = parse(readFileSync(join(dir, `${name}.csv`), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(rows[0]!)) out[key] = rows.map((r) => (r[key] === 'NA' ? '' : r[key]!));
  return out;
}

/** A column as numbers (NaN for missing). */
export function numbers(col: string[] | undefined): number[] {
  if (!col) throw new Error('no such column');
  return col.map((v) => (v === '' ? Number.NaN : Number(v)));
}

/**
 * Asserts |a − b| ≤ tol·|b| (relative 1e-9 by default); an exact 0 in R allows 1e-12 absolute,
 * and R's NA or NaN (null in the JSON) wants NaN.
 */
export function close(actual: number, wanted: number | null, tol = 1e-9): void {
  if (wanted === null) {
    if (!Number.isNaN(actual)) expect.fail(`${actual} should be NaN, as R's NA`);
    return;
  }
  const err = Math.abs(actual - wanted);
  const ok = err <= (wanted === 0 ? 1e-12 : tol * Math.abs(wanted)) || actual === wanted;
  if (!ok) expect.fail(`${actual} differs from R's ${wanted} (relative ${err / Math.abs(wanted)})`);
}

/** Asserts both ends of an interval. */
export function closeAll(actual: readonly number[], wanted: readonly (number | null)[], tol = 1e-9): void {
  expect(actual.length).toBe(wanted.length);
  for (let i = 0; i < actual.length; i++) close(actual[i]!, wanted[i]!, tol);
}
