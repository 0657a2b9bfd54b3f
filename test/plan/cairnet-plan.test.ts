import { describe, expect, it } from 'vitest';
import { buildDataset, distinctAssociationCount } from '../../src/dataset/index.js';
import { generatePanel } from '../../src/demo/index.js';
import { loadCairnetInstrument } from '../../src/instrument/index.js';
import { evaluatePlan, type PlanResults, planVariables } from '../../src/plan/evaluate-plan.js';
import { readPlanFile } from '../../src/plan/parse-plan.js';

/**
 * PUBLISHED.md's figures, written here (not read from the plan) with the margin their published
 * rounding allows: ±0.03 for a printed percentage, ±0.05 for a verbal one ("four out of five").
 */
const PUBLISHED: Record<string, { value: number; within: number }> = {
  F2: { value: 0.81, within: 0.03 },
  F3: { value: 0.41, within: 0.03 },
  F4: { value: 0.4, within: 0.03 },
  F7: { value: 0.11, within: 0.03 },
  F8: { value: 0.57, within: 0.03 },
  F9: { value: 0.5, within: 0.03 },
  F11: { value: 0.45, within: 0.05 }, // "less than half"
  F12: { value: 0.25, within: 0.05 }, // "one case in four"
  F13: { value: 0.05, within: 0.03 },
  F14: { value: 0.8, within: 0.05 }, // "four out of five"
  F15: { value: 0.5, within: 0.05 }, // "half"
  F16: { value: 2 / 3, within: 0.05 }, // "two thirds"
  F17: { value: 0.8, within: 0.03 },
  F18: { value: 0.7, within: 0.03 },
  F18_ongoing: { value: 0.77, within: 0.03 },
  F19: { value: 0.55, within: 0.05 }, // "more than half"
  F19_ongoing: { value: 2 / 3, within: 0.05 }, // "nearly two thirds"
};

describe('the Cairnet plan on the demonstration panel (651 respondents, seed 2013)', async () => {
  const { codebook } = loadCairnetInstrument();
  const parsed = readPlanFile();
  const panel = generatePanel({ respondents: 651, seed: 2013 });
  const dataset = await buildDataset(
    codebook,
    panel.map((r) => ({ data: r.data, synthetic: r.synthetic })),
    { variables: planVariables(parsed, codebook) },
  );
  const results: PlanResults = await evaluatePlan(parsed, codebook, dataset, {
    distinctNames: distinctAssociationCount,
  });
  const byId = new Map(results.indicators.map((r) => [r.id, r]));
  const get = (id: string) => {
    const r = byId.get(id);
    if (!r) throw new Error(`no indicator ${id}`);
    return r;
  };

  it('declares an indicator for every figure F2 to F20', () => {
    const figures = new Set(results.indicators.map((r) => r.published?.figure));
    for (let f = 2; f <= 20; f++) expect(figures.has(`F${f}`), `F${f}`).toBe(true);
  });

  it.each(Object.entries(PUBLISHED))('%s lands within the published rounding', (id, { value, within }) => {
    const r = get(id);
    expect(r.status).toBe('ok');
    expect(Math.abs(r.estimate! - value)).toBeLessThanOrEqual(within);
    expect(r.ci![0]).toBeLessThanOrEqual(r.estimate!);
    expect(r.ci![1]).toBeGreaterThanOrEqual(r.estimate!);
  });

  it('F2 counts everyone in contact: 81% of 651, with a Wilson interval', () => {
    const f2 = get('F2');
    expect(f2.n).toBe(651);
    expect(f2.count).toBe(529);
    expect(f2.method).toMatch(/Wilson/);
    expect(f2.synthetic).toBe(true);
  });

  it('F5 is 1 − F2 on the same base, below the book\'s "a little more than a quarter" (a known inconsistency)', () => {
    const f5 = get('F5');
    expect(f5.estimate! + get('F2').estimate!).toBeCloseTo(1, 12);
    expect(f5.published?.note).toMatch(/inconsistency/);
  });

  it('F6 counts more than 400 distinct associations after reconciliation', () => {
    const f6 = get('F6');
    expect(f6.status).toBe('ok');
    expect(f6.estimate!).toBeGreaterThan(400);
  });

  it('F10 gives 67% of clinicians vs 36% of others, "twice as likely", with a chi-square test', () => {
    const f10 = get('F10');
    const g = new Map(f10.groups!.map((x) => [x.group, x]));
    expect(Math.abs(g.get('yes')!.estimate! - 0.67)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(g.get('no')!.estimate! - 0.36)).toBeLessThanOrEqual(0.03);
    const ratio = f10.test!.find((t) => t.test === 'ratio')!;
    expect(ratio.groups).toEqual(['yes', 'no']);
    expect(ratio.estimate!).toBeGreaterThan(1.6);
    expect(f10.test!.find((t) => t.test === 'chisq')!.p!).toBeLessThan(0.001);
  });

  it('F20 finds the four profiles by MCA + clustering: ongoing relations 72% of Engagés, 16% of Distants', () => {
    const f20 = get('F20');
    expect(f20.status).toBe('ok');
    const g = new Map(f20.groups!.map((x) => [x.group, x]));
    expect([...g.keys()]).toEqual(['engages', 'pragmatiques', 'distants', 'reticents']);
    expect(Math.abs(g.get('engages')!.estimate! - 0.72)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(g.get('distants')!.estimate! - 0.16)).toBeLessThanOrEqual(0.03);
    expect(results.typology?.profiles).toHaveLength(4);
  });

  it('marks small bases fragile and small cells suppressed', () => {
    for (const r of results.indicators) {
      if (r.status !== 'ok' || r.count === null || r.kind === 'distinctNames') continue;
      expect(r.fragile).toBe(r.n < 30);
      expect(r.suppressed).toBe(r.count < 5 || r.n - r.count < 5);
    }
  });
});
