import { describe, expect, it } from 'vitest';
import { bracketQuantile, shareBelow } from '../../src/stats/bracketed-amounts.js';
import { close, expected } from './r-fixtures.js';

const b = expected.brackets;
const brackets = { bounds: b.bounds, counts: b.counts };

describe('bracketed amounts', () => {
  it('gives the exact share below a bracket bound', () => {
    close(shareBelow(brackets, 40000).value, b.shareBelow40000);
    close(1 - shareBelow(brackets, 2500000).value, b.shareAbove2500000);
    expect(() => shareBelow(brackets, 30000)).toThrow(/not a bracket bound/);
  });
  it('interpolates quantiles inside their bracket and says so', () => {
    const median = bracketQuantile(brackets, 0.5);
    expect(median.interpolated).toBe(true);
    close(median.value, b.median);
    close(bracketQuantile(brackets, 0.25).value, b.q25);
    close(bracketQuantile(brackets, 0.9).value, b.q90);
  });
});
