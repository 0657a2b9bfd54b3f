import { describe, expect, it } from 'vitest';
import { fisherExact } from '../../src/stats/fisher-exact.js';
import { close, expected } from './r-fixtures.js';

describe("Fisher's exact test matches fisher.test", () => {
  for (const r of expected.fisher) {
    it(`gives the p-value, conditional odds ratio and interval of ${JSON.stringify(r.table)}`, () => {
      const f = fisherExact(r.table);
      close(f.p, r.p);
      if (r.oddsRatio === Number.POSITIVE_INFINITY) expect(f.oddsRatio).toBe(Number.POSITIVE_INFINITY);
      else close(f.oddsRatio, r.oddsRatio);
      close(f.ci[0], r.ci[0]);
      if (r.ci[1] === Number.POSITIVE_INFINITY) expect(f.ci[1]).toBe(Number.POSITIVE_INFINITY);
      else close(f.ci[1], r.ci[1]);
    });
  }
  it('rejects a table that is not 2×2 counts', () => {
    expect(() => fisherExact([[1, 2, 3]])).toThrow(/2×2/);
    expect(() =>
      fisherExact([
        [1, -2],
        [3, 4],
      ]),
    ).toThrow(/2×2/);
  });
});
