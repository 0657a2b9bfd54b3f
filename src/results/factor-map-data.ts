import type { McaResult } from '../stats/mca/mca-result.js';

/**
 * A typology's factor map as data (axes 1 and 2), language-free: what results keep, so that each
 * output draws it in its reader's language.
 */
export interface FactorMapData {
  /** Percent of inertia of axes 1 and 2. */
  inertia: [number, number];
  /** Respondents (at most 3,000, evenly sampled) with their profile (1-based, plan order). */
  points: { x: number; y: number; profile: number }[];
  /** Active categories with their contribution to axes 1 and 2 (percent of their inertia). */
  categories: { variable: string; level: string; x: number; y: number; contrib: number }[];
}

/** The factor map's data from an MCA and each row's profile. */
export function factorMapData(mca: McaResult, profileOf: Int32Array): FactorMapData {
  const d = mca.dimensions;
  const ay = d > 1 ? 1 : 0;
  const n = mca.ind.coord.rows;
  const step = Math.max(1, Math.ceil(n / 3000));
  const points: FactorMapData['points'] = [];
  for (let i = 0; i < n; i += step)
    points.push({
      x: mca.ind.coord.data[i * d]!,
      y: mca.ind.coord.data[i * d + ay]!,
      profile: profileOf[i] ?? 1,
    });
  const e0 = mca.eigenvalues[0] ?? 1;
  const e1 = mca.eigenvalues[1] ?? 0;
  const categories = mca.var.categories.map((c, j) => {
    const c0 = mca.var.contrib?.data[j * d] ?? 0;
    const c1 = mca.var.contrib?.data[j * d + ay] ?? 0;
    return {
      variable: c.variable,
      level: c.level,
      x: mca.var.coord.data[j * d]!,
      y: mca.var.coord.data[j * d + ay]!,
      // Contribution to the plane: each axis' contribution weighted by its eigenvalue.
      contrib: (c0 * e0 + c1 * e1) / (e0 + e1 || 1),
    };
  });
  return { inertia: [mca.inertiaPercent[0] ?? 0, mca.inertiaPercent[ay] ?? 0], points, categories };
}
