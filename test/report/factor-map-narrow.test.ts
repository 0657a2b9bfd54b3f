import { describe, expect, it } from 'vitest';
import { drawFactorMap } from '../../src/report/factor-map.js';
import type { FactorMapData } from '../../src/results/factor-map-data.js';

// Eight categories spread over the plane, with long wordings, and respondents around them.
const data: FactorMapData = {
  inertia: [19.7, 13.8],
  points: Array.from({ length: 40 }, (_, k) => ({
    x: Math.cos(k),
    y: Math.sin(2 * k),
    profile: 1 + (k % 4),
  })),
  categories: Array.from({ length: 8 }, (_, k) => ({
    variable: `q${k}`,
    level: 'sa',
    x: Math.cos(k * 0.8),
    y: Math.sin(k * 0.8),
    contrib: 10 - k,
  })),
};
const wording = (v: string) => `Tout à fait d’accord avec l’énoncé ${v}`;

describe('the narrow factor map (phones)', () => {
  it('is 350 px wide, marks the categories the wide map labelled by their number alone, title on two lines', () => {
    const wide = drawFactorMap(data, 'fr', wording);
    expect(wide.key.length).toBeGreaterThan(3);
    const narrow = drawFactorMap(data, 'fr', wording, { width: 350, height: 380, numbered: wide.key });
    expect(narrow.svg).toMatch(/^<svg [^>]*width="350"/);
    // no wording in the drawing: the key under it (the wide map's) says what each number is
    expect(narrow.svg).not.toContain('énoncé');
    const numbers = [...narrow.svg.matchAll(/>(\d+)<\/text>/g)].map((m) => Number(m[1]));
    expect(numbers.length).toBeGreaterThan(3);
    for (const n of numbers) {
      const inNarrow = narrow.key.find((k) => k.number === n)!;
      const inWide = wide.key.find((k) => k.number === n)!;
      expect(inNarrow.variable).toBe(inWide.variable);
    }
    expect(narrow.svg).toContain(
      '<tspan x="8" dy="17" font-weight="normal">(le sens des axes est arbitraire)</tspan>',
    );
  });
});
