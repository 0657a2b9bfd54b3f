import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { findUnboundNumbers } from '../../src/report/bound-numbers.js';
import { compareWaves, newcombeInterval } from '../../src/report/wave-comparison.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';
import { planResults, proportion } from './plan-results-fixture.js';

interface Case {
  x1: number;
  n1: number;
  x2: number;
  n2: number;
  ci1: [number, number];
  ci2: [number, number];
  difference: number;
  lower: number;
  upper: number;
  statistic: number;
  p: number;
}
const R: Case[] = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/waves.json'), 'utf8'));

describe('the change of an indicator between two waves', () => {
  it("matches R: Newcombe's interval from prop.test's Wilson intervals, and prop.test's chi-square", () => {
    for (const c of R) {
      const [lo, hi] = newcombeInterval(c.x1 / c.n1, c.ci1, c.x2 / c.n2, c.ci2);
      expect(lo).toBeCloseTo(c.lower, 12);
      expect(hi).toBeCloseTo(c.upper, 12);
      const [trend] = compareWaves([
        { wave: 'a', results: planResults([proportion('F2', c.x1 / c.n1, c.ci1, c.n1, { count: c.x1 })]) },
        { wave: 'b', results: planResults([proportion('F2', c.x2 / c.n2, c.ci2, c.n2, { count: c.x2 })]) },
      ]);
      const ch = trend!.changes[0]!;
      expect(ch.difference).toBeCloseTo(c.difference, 14);
      expect(ch.ci![0]).toBeCloseTo(c.lower, 12);
      expect(ch.test!.statistic).toBeCloseTo(c.statistic, 10);
      expect(ch.test!.p).toBeCloseTo(c.p, 12);
    }
  });

  it('never compares a suppressed cell', () => {
    const [trend] = compareWaves([
      {
        wave: '2012',
        results: planResults([proportion('F7', 0.03, [0.01, 0.1], 30, { suppressed: true, count: 1 })]),
      },
      { wave: '2026', results: planResults([proportion('F7', 0.2, [0.1, 0.3], 60, { count: 12 })]) },
    ]);
    expect(trend!.waves[0]).toMatchObject({ estimate: null, count: null, ci: null, suppressed: true });
    expect(trend!.changes[0]).toMatchObject({ difference: null, ci: null, test: null });
  });
});

describe('cairnet trends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairnet-trends-'));
  let a: TestStore;
  let b: TestStore;
  beforeAll(async () => {
    a = await openTestStore('sqlite');
    b = await openTestStore('sqlite');
    await writeDemoPanel(a.store, { respondents: 651, seed: 2013 });
    await writeDemoPanel(b.store, { respondents: 500, seed: 2026 });
  }, 180_000);
  afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each figure per wave with the test of its change, as JSON and as checked HTML', async () => {
    const json = join(dir, 'trends.json');
    const waves = ['--wave', `2012=${a.location}`, '--wave', `2026=${b.location}`];
    const r = await cli([
      'trends',
      ...waves,
      '--instrument',
      'cairnet-demo',
      '--format',
      'json',
      '--out',
      json,
    ]);
    expect(r.stderr).toContain('2 waves');
    expect(r.code).toBe(0);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.waves).toEqual([
      { wave: '2012', n: 651, synthetic: true },
      { wave: '2026', n: 500, synthetic: true },
    ]);
    const f2 = out.indicators.find((x: { id: string }) => x.id === 'F2');
    expect(f2.waves.map((w: { n: number }) => w.n)).toEqual([651, 500]);
    expect(f2.changes[0].test.p).toBeGreaterThan(0);
    const html = join(dir, 'trends.html');
    expect(
      (await cli(['trends', ...waves, '--instrument', 'cairnet-demo', '--lang', 'en', '--out', html])).code,
    ).toBe(0);
    const text = readFileSync(html, 'utf8');
    expect(text).toContain('Synthetic data.');
    expect(text).toMatch(/2012 → 2026: [−+]\d+\.\d points \[/);
    expect(
      findUnboundNumbers(
        text,
        out.indicators.map((x: { id: string }) => x.id),
      ),
    ).toEqual([]);
  }, 120_000);

  it('refuses a single wave or a malformed one', async () => {
    expect((await cli(['trends', '--wave', `2012=${a.location}`, '--out', join(dir, 'x')])).stderr).toMatch(
      /CAIRNET_USAGE: Give at least two/,
    );
    expect((await cli(['trends', '--wave', '2012', '--wave', 'x=y', '--out', join(dir, 'x')])).code).toBe(2);
  });
});
