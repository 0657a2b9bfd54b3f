import { describe, expect, it } from 'vitest';
import { pchisqUpper, pfUpper } from '../../src/stats/distributions.js';
import { close, expected } from './r-fixtures.js';

describe('upper tails match pf and pchisq (lower.tail = FALSE)', () => {
  it('keeps the relative precision of tiny F p-values, down to 1e-183', () => {
    for (const r of expected.tails.f) close(pfUpper(r.q, r.df1, r.df2), r.p);
  });
  it('keeps the relative precision of tiny chi-square p-values with 1 df', () => {
    for (const r of expected.tails.chisq1) close(pchisqUpper(r.q, 1), r.p);
  });
  it('is precise to about 1e-16 absolute for other chi-square df (1 − cdf, a documented limit)', () => {
    for (const r of expected.tails.chisq) {
      expect(Math.abs(pchisqUpper(r.q, r.df) - r.p)).toBeLessThan(1e-15);
      if (r.p > 1e-6) close(pchisqUpper(r.q, r.df), r.p);
    }
  });
});
