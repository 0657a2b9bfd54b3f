import { describe, expect, it } from 'vitest';
import { generatePanel } from '../../src/demo/index.js';
import { adjustedRandIndex } from '../../src/stats/clustering/adjusted-rand-index.js';
import { buildTypology } from '../../src/stats/clustering/typology.js';

const ITEMS = ['best_placed', 'freedom', 'time', 'interface', 'lobbies', 'no_reason'];

describe('the demo panel profiles', () => {
  it('are recovered by the Cairnet typology (MCA + Ward on the opinion items, K = 4), ARI reported', () => {
    const panel = generatePanel({ respondents: 651, seed: 2013 });
    const typology = buildTypology({
      active: ITEMS.map((item) => ({
        name: `opinion_${item}`,
        values: panel.map((r) => (r.data.opinion as Record<string, string> | undefined)?.[item] ?? null),
      })),
      dimensions: 5,
      clusters: 4,
      consolidation: true,
    });
    const ari = adjustedRandIndex(
      typology.clustering.clusterOf,
      panel.map((r) => r.profile),
    );
    console.log(
      `demo panel (651, seed 2013): adjusted Rand index of the recovered profiles = ${ari.toFixed(3)}`,
    );
    expect(ari).toBeGreaterThan(0.75);
  });
});
