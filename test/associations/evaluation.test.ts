import { describe, expect, it } from 'vitest';
import { matchAccuracy, pairwiseScore } from '../../src/associations/evaluation.js';
import { createReconciler } from '../../src/associations/reconcile.js';
import { loadSeedRegistry } from '../../src/associations/seed-registry.js';
import { readLabelled } from './helpers.js';

describe('the labelled evaluation set', () => {
  const rows = readLabelled();
  const result = createReconciler(loadSeedRegistry()).reconcile(
    rows.map((r, i) => ({ id: String(i), text: r.mention })),
  );

  it('is big and varied enough to mean something', () => {
    expect(rows.length).toBeGreaterThanOrEqual(1500);
    expect(new Set(rows.map((r) => r.label)).size).toBeGreaterThanOrEqual(80);
    const absent = rows.filter((r) => r.registry_id === '');
    expect(new Set(absent.map((r) => r.label)).size).toBeGreaterThanOrEqual(10);
    expect(rows.filter((r) => r.source === 'hand').length).toBeGreaterThanOrEqual(400);
    const kinds = new Set(rows.flatMap((r) => r.variant.split('+')));
    for (const k of [
      'acronym',
      'acronym+name',
      'truncated',
      'no-accents',
      'typo',
      'no-articles',
      'lower',
      'upper',
    ]) {
      expect(kinds.has(k.split('+')[0] ?? k) || rows.some((r) => r.variant.includes(k))).toBe(true);
    }
  });

  it('groups mentions with pairwise precision and recall of at least 0.97 (the contract of issue 12)', () => {
    const score = pairwiseScore(
      result.map((m) => m.group),
      rows.map((r) => r.label),
    );
    console.log(
      `labelled set: ${rows.length} mentions, precision ${score.precision.toFixed(4)}, recall ${score.recall.toFixed(4)}`,
    );
    expect(score.precision).toBeGreaterThanOrEqual(0.97);
    expect(score.recall).toBeGreaterThanOrEqual(0.97);
  });

  it('matches mentions to the right registry entry, and absent associations to none', () => {
    const acc = matchAccuracy(
      result.map((m) => m.match?.id ?? null),
      rows.map((r) => r.registry_id),
    );
    console.log(`labelled set: match accuracy ${acc.toFixed(4)}`);
    expect(acc).toBeGreaterThanOrEqual(0.95);
    const absent = result.filter((_, i) => rows[i]?.registry_id === '');
    const wronglyMatched = absent.filter((m) => m.match !== null);
    expect(wronglyMatched.length / absent.length).toBeLessThan(0.03);
  });

  it('keeps the mentions of each absent association together, apart from the registry', () => {
    const absentLabels = [...new Set(rows.filter((r) => r.registry_id === '').map((r) => r.label))];
    for (const label of absentLabels) {
      const groups = result.filter((_, i) => rows[i]?.label === label).map((m) => m.group);
      const counts = new Map<string, number>();
      for (const g of groups) counts.set(g, (counts.get(g) ?? 0) + 1);
      const main = Math.max(...counts.values());
      expect(main / groups.length, label).toBeGreaterThanOrEqual(0.75);
      const [top] = [...counts].sort((a, b) => b[1] - a[1]);
      expect(top?.[0].startsWith('new:'), label).toBe(true);
    }
  });
});
