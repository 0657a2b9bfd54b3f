import { agnes } from 'ml-hclust';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { generatePanel, PROFILES } from '../../src/demo/index.js';

const ITEMS = ['best_placed', 'freedom', 'time', 'interface', 'lobbies', 'no_reason'];
const LEVELS = ['strongly_disagree', 'disagree', 'agree', 'strongly_agree'];

/** Row coordinates of a multiple correspondence analysis (CA of the indicator matrix). */
function mcaRowCoordinates(indicator: number[][], axes: number): number[][] {
  const z = new Matrix(indicator);
  const p = z.div(z.sum());
  const r = p.sum('row');
  const c = p.sum('column');
  const s = new Matrix(p.rows, p.columns);
  for (let i = 0; i < p.rows; i++) {
    for (let j = 0; j < p.columns; j++) {
      const e = r[i]! * c[j]!;
      s.set(i, j, e > 0 ? (p.get(i, j) - e) / Math.sqrt(e) : 0);
    }
  }
  const svd = new SingularValueDecomposition(s, { autoTranspose: true });
  const u = svd.leftSingularVectors;
  return indicator.map((_, i) =>
    Array.from({ length: axes }, (_, a) => (u.get(i, a) * svd.diagonal[a]!) / Math.sqrt(r[i]!)),
  );
}

describe('the demo panel profiles', () => {
  it('are recovered from the opinion items by MCA and Ward clustering for most respondents', () => {
    const panel = generatePanel({ respondents: 651, seed: 2013 });
    const indicator = panel.map((resp) =>
      ITEMS.flatMap((item) =>
        LEVELS.map((l) => ((resp.data.opinion as Record<string, string>)[item] === l ? 1 : 0)),
      ),
    );
    const coords = mcaRowCoordinates(indicator, 5);
    const clusters = agnes(coords, { method: 'ward' }).group(4).children;
    const table = clusters.map((cl) => {
      const members = cl.indices();
      return PROFILES.map((p) => members.filter((i) => panel[i]!.profile === p).length);
    });
    // Best one-to-one matching of clusters to profiles.
    const perms = (a: number[]): number[][] =>
      a.length <= 1
        ? [a]
        : a.flatMap((x, i) => perms([...a.slice(0, i), ...a.slice(i + 1)]).map((q) => [x, ...q]));
    const matched = Math.max(
      ...perms([0, 1, 2, 3]).map((q) => q.reduce((s, pi, ci) => s + (table[ci]?.[pi] ?? 0), 0)),
    );
    expect(matched / panel.length).toBeGreaterThan(0.8);
  });
});
