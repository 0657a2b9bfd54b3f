import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hartiganWong } from '../../../src/stats/clustering/hartigan-wong.js';

interface KMeansCase {
  name: string;
  iterMax: number;
  x: number[][];
  centers: number[][];
  cluster: number[];
  fitted: number[][];
  withinss: number[];
  iter: number;
  ifault: number;
}

const cases = JSON.parse(
  readFileSync(new URL('../../fixtures/r/typology/kmeans.json', import.meta.url), 'utf8'),
) as KMeansCase[];

describe.each(cases.map((c) => [c.name, c] as const))('Hartigan–Wong k-means on %s', (_, c) => {
  it("gives R's kmeans(algorithm = 'Hartigan-Wong') partition, centres, withinss, iter and ifault", () => {
    const d = c.x[0]!.length;
    const res = hartiganWong(
      Float64Array.from(c.x.flat()),
      d,
      Float64Array.from(c.centers.flat()),
      c.iterMax,
    );
    expect(Array.from(res.assignment, (g) => g + 1)).toEqual(c.cluster);
    expect(res.iterations).toBe(c.iter);
    expect(res.fault).toBe(c.ifault);
    c.fitted.flat().forEach((v, t) => {
      expect(Math.abs(res.centres[t]! - v)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v)));
    });
    c.withinss.forEach((v, l) => {
      expect(Math.abs(res.withinss[l]! - v) / v).toBeLessThan(1e-12);
    });
  });
});
