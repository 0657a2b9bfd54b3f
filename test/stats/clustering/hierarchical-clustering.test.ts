import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../src/stats/clustering/adjusted-rand-index.js';
import { describeClusters } from '../../../src/stats/clustering/cluster-description.js';
import { hierarchicalClustering } from '../../../src/stats/clustering/hierarchical-clustering.js';
import { multipleCorrespondenceAnalysis } from '../../../src/stats/mca/multiple-correspondence-analysis.js';
import { type DescRow, FIXTURE_NAMES, type LoadedFixture, loadFixture } from '../mca/fixtures.js';

/** True when two partitions are the same up to the numbering of their clusters. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if ((ab.get(x) ?? y) !== y || (ba.get(y) ?? x) !== x) return false;
    ab.set(x, y);
    ba.set(y, x);
  }
  return true;
}

function checkDescription(
  fx: LoadedFixture,
  ours: ReturnType<typeof describeClusters>,
  theirs: DescRow[][],
  clusterMap: Map<number, number>,
) {
  theirs.forEach((rows, rk) => {
    const list = ours.categories[clusterMap.get(rk + 1)! - 1]!;
    expect(list.length).toBe(rows.length);
    for (const row of rows) {
      const mine = list.find(
        (c) => c.variable === row.variable && fx.label(c.variable, c.level) === row.level,
      );
      expect(mine, `${row.variable}=${row.level}`).toBeDefined();
      if (Math.abs(row.vtest) >= 1e308) {
        // R's p-value underflowed to 0: v-test is ±Inf (written as ±1e308 in the fixture).
        expect(mine!.vtest).toBe(Math.sign(row.vtest) * Number.POSITIVE_INFINITY);
        continue;
      }
      for (const key of ['claMod', 'modCla', 'global', 'vtest'] as const) {
        expect(Math.abs(mine![key] - row[key]) / Math.max(Math.abs(row[key]), 1e-12)).toBeLessThan(1e-9);
      }
      expect(Math.abs(mine!.pValue - row.pValue) / row.pValue).toBeLessThan(1e-8);
    }
  });
}

describe.each(FIXTURE_NAMES)('HCPC on %s matches FactoMineR', (name) => {
  const fx = loadFixture(name);
  const mca = multipleCorrespondenceAnalysis({
    active: fx.active,
    supplementary: fx.supplementary,
    rowWeights: fx.weights,
    dimensions: fx.r.ncp,
  });
  const variables = [
    ...fx.active.map((variable) => ({ variable, supplementary: false })),
    ...fx.supplementary.map((variable) => ({ variable, supplementary: true })),
  ];

  it('gives the same inertia gains', () => {
    const res = hierarchicalClustering(mca.ind.coord, mca.rowWeights, { clusters: fx.r.clusters });
    res.inertiaGain.slice(0, 20).forEach((g, k) => {
      expect(Math.abs(g - fx.r.inertiaGain[k]!) / fx.r.inertiaGain[k]!).toBeLessThan(1e-9);
    });
    expect(res.method).toBe('exact');
    expect(res.approximation).toBeNull();
  });

  for (const consolidation of [false, true]) {
    const label = consolidation ? 'with' : 'without';
    it(`gives the same partition and cluster descriptions ${label} consolidation`, () => {
      const res = hierarchicalClustering(mca.ind.coord, mca.rowWeights, {
        clusters: fx.r.clusters,
        consolidation,
      });
      const theirs = consolidation ? fx.r.clusterConsolidated : fx.r.clusterHierarchy;
      if (consolidation) expect(res.consolidationAlgorithm).toBe('hartigan-wong');
      expect(samePartition(res.clusterOf, theirs)).toBe(true);
      expect(adjustedRandIndex(res.clusterOf, theirs)).toBe(1);
      const map = new Map<number, number>();
      theirs.forEach((c, i) => {
        map.set(c, res.clusterOf[i]!);
      });
      const desc = describeClusters(res.clusterOf, res.clusters, variables, mca.rowWeights);
      checkDescription(fx, desc, consolidation ? fx.r.descConsolidated : fx.r.descHierarchy, map);
    });
  }
});

describe('HCPC beyond the exact limit', () => {
  const fx = loadFixture('generated');
  const mca = multipleCorrespondenceAnalysis({
    active: fx.active,
    supplementary: fx.supplementary,
    rowWeights: fx.weights,
    dimensions: fx.r.ncp,
  });

  it("runs Ward on pre-clusters, consolidates with Lloyd's method and says both in its approximation", () => {
    const res = hierarchicalClustering(mca.ind.coord, mca.rowWeights, {
      clusters: fx.r.clusters,
      exactLimit: 50,
      preclusterCount: 60,
    });
    expect(res.method).toBe('preclustered');
    expect(res.consolidationAlgorithm).toBe('lloyd');
    expect(res.approximation).toMatch(/pre-clusters/);
    expect(res.approximation).toMatch(/Lloyd/);
    expect(res.sizes.length).toBe(fx.r.clusters);
    expect(res.sizes.every((s) => s > 0)).toBe(true);
    expect(res.sizes.reduce((a, b) => a + b, 0)).toBe(mca.ind.coord.rows);
  });

  it("can consolidate with R's Hartigan–Wong there too", () => {
    const res = hierarchicalClustering(mca.ind.coord, mca.rowWeights, {
      clusters: fx.r.clusters,
      exactLimit: 50,
      preclusterCount: 60,
      consolidationAlgorithm: 'hartigan-wong',
    });
    expect(res.consolidationAlgorithm).toBe('hartigan-wong');
    expect(res.approximation).toMatch(/Hartigan–Wong/);
    expect(res.sizes.reduce((a, b) => a + b, 0)).toBe(mca.ind.coord.rows);
  });
});

describe('adjusted Rand index', () => {
  it('is 1 for the same partition under another numbering and 0 for independent ones', () => {
    expect(adjustedRandIndex([1, 1, 2, 2, 3], ['b', 'b', 'a', 'a', 'c'])).toBe(1);
    // Each cluster of one split evenly across the other: no agreement beyond chance.
    expect(adjustedRandIndex([1, 1, 2, 2], [1, 2, 1, 2])).toBeCloseTo(-0.5, 12);
  });

  it('matches the value of mclust::adjustedRandIndex on a small case', () => {
    // R 4 / mclust 6.0.0: adjustedRandIndex(c(1,1,1,2,2,2,3,3,3), c(1,1,2,2,2,3,3,3,3)) = 0.35714285714285715
    expect(adjustedRandIndex([1, 1, 1, 2, 2, 2, 3, 3, 3], [1, 1, 2, 2, 2, 3, 3, 3, 3])).toBeCloseTo(
      0.35714285714285715,
      14,
    );
  });
});
