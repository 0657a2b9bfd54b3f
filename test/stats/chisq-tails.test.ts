import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chiSquareTest } from '../../src/stats/chi-square-test.js';
import { pchisqUpper } from '../../src/stats/distributions.js';
import { close } from './r-fixtures.js';

interface Tail {
  q: number | null;
  df: number | null;
  p: number | null;
}

/** Written by test/fixtures/r/stats/make-chisq-tails.R (Inf as 1e999, NaN as null). */
const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/r/stats/chisq-tails.json'), 'utf8'),
) as {
  tails: Tail[];
  edges: Tail[];
  test: { table: number[][]; statistic: number; df: number; p: number };
};

const num = (v: number | null) => v ?? Number.NaN;

describe('the chi-square upper tail matches pchisq(q, df, lower.tail = FALSE)', () => {
  it('to 1e-10 relative for df 1 to 30 and fractional df, q from 0 to 500 and tails down to 1e-300', () => {
    expect(fixture.tails.length).toBeGreaterThan(1000);
    expect(Math.min(...fixture.tails.map((r) => r.p!))).toBeLessThan(1.1e-300);
    const off = fixture.tails.flatMap((r) => {
      const got = pchisqUpper(r.q!, r.df!);
      const rel = Math.abs(got - r.p!) / r.p!;
      return rel < 1e-10 ? [] : [{ ...r, got, rel }];
    });
    expect(off).toEqual([]);
  });

  it('gives R’s values at the edges: q ≤ 0, q = ∞, df = 0, df = ∞, negative or missing arguments', () => {
    for (const r of fixture.edges) close(pchisqUpper(num(r.q), num(r.df)), r.p);
  });

  it('gives chisq.test’s p-value far below 1e-16 on a strongly associated 3×3 table', () => {
    const { table, statistic, df, p } = fixture.test;
    const r = chiSquareTest(table);
    close(r.statistic, statistic);
    expect(r.df).toBe(df);
    expect(p).toBeLessThan(1e-30);
    close(r.p, p, 1e-10);
  });
});
