import { describe, it } from 'vitest';
import { pchisqUpper, pfUpper } from '../../src/stats/distributions.js';
import { close, expected } from './r-fixtures.js';

describe('upper tails match pf and pchisq (lower.tail = FALSE)', () => {
  it('keeps the relative precision of tiny F p-values, down to 1e-183', () => {
    for (const r of expected.tails.f) close(pfUpper(r.q, r.df1, r.df2), r.p);
  });
  it('keeps the relative precision of tiny chi-square p-values with 1 df', () => {
    for (const r of expected.tails.chisq1) close(pchisqUpper(r.q, 1), r.p);
  });
  it('keeps the relative precision of chi-square p-values with other df (test/stats/chisq-tails.test.ts checks down to 1e-300)', () => {
    for (const r of expected.tails.chisq) close(pchisqUpper(r.q, r.df), r.p);
  });
});
