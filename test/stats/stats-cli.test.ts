import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { register, runStats } from '../../src/cli/commands/stats.js';
import { isCairnetError } from '../../src/errors.js';
import { close, closeAll, expected } from './r-fixtures.js';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'r', 'stats');
const data = join(import.meta.dirname, 'cli-data');

/** Runs the command in-process through commander (spawning the whole CLI is slow on a busy machine). */
function cairnet(...args: string[]) {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  try {
    const [file, ...rest] = args;
    const opts: Record<string, string | boolean> = {};
    for (let i = 0; i < rest.length; i++) {
      const key = rest[i]!.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      const next = rest[i + 1];
      if (next === undefined || next.startsWith('--')) opts[key] = true;
      else {
        opts[key] = next;
        i++;
      }
    }
    runStats(file!, opts);
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    if (!isCairnetError(e)) throw e;
    return { status: e.exitCode, stdout, stderr: `error ${e.code}: ${e.message}` };
  } finally {
    spy.mockRestore();
  }
}

const strat = [join(fixtures, 'apistrat.csv'), '--strata', 'stype', '--weight', 'pw', '--fpc', 'fpc'];

describe('cairnet stats', () => {
  it('prints design-based means by group and crosstab tests as JSON, equal to R', () => {
    const r = cairnet(...strat, '--mean', 'api00', '--by', 'awards', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.estimates).toHaveLength(2);
    out.estimates.forEach((e: { group: unknown; estimate: number; se: number; ci: number[] }, k: number) => {
      expect(e.group).toEqual({ awards: expected.strat.byMean[k].group });
      close(e.estimate, expected.strat.byMean[k].value);
      close(e.se, expected.strat.byMean[k].se);
      closeAll(e.ci, expected.strat.byMean[k].ci);
    });
    const x = JSON.parse(cairnet(...strat, '--crosstab', 'stype,awards', '--json').stdout);
    expect(x.table.rows).toEqual(['E', 'H', 'M']);
    close(x.raoScott.F, expected.raoScott.stratStypeAwards.F);
    close(x.raoScott.p, expected.raoScott.stratStypeAwards.p);
  });
  it('averages the variance over strata for single-PSU strata with --lonely-psu average, as R does', () => {
    const r = cairnet(
      join(fixtures, 'lonely.csv'),
      '--cluster',
      'psu',
      '--strata',
      'h',
      '--weight',
      'w',
      '--lonely-psu',
      'average',
      '--mean',
      'y',
      '--json',
    );
    expect(r.status).toBe(0);
    const e = JSON.parse(r.stdout).estimates[0];
    close(e.estimate, expected.lonelyAverage.mean[0].value);
    close(e.se, expected.lonelyAverage.mean[0].se);
  });

  it('rakes to margins before estimating and reports the weights', () => {
    const clus1 = [join(fixtures, 'apiclus1.csv'), '--cluster', 'dnum', '--weight', 'pw', '--fpc', 'fpc'];
    const r = cairnet(...clus1, '--rake', join(data, 'margins.csv'), '--mean', 'api00', '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    close(out.estimates[0].estimate, expected.rake.default.mean[0].value);
    close(out.estimates[0].se, expected.rake.default.mean[0].se);
    expect(out.weights.converged).toBe(true);
    expect(out.weights.iterations).toBe(expected.rake.default.iterations);
    expect(Object.keys(out.weights.sumByMargin)).toEqual(['stype', 'sch.wide']);
  });
  it('counts frequency rows that many times, with Fisher and Woolf on a 2×2', () => {
    const out = JSON.parse(
      cairnet(join(data, 'freq.csv'), '--freq', 'f', '--crosstab', 'a,b', '--json').stdout,
    );
    expect(out.table.counts).toEqual([
      [3, 1],
      [4, 2],
    ]);
    expect(out.raoScott).toBeUndefined();
    expect(out.fisher.p).toBeCloseTo(1, 10);
    close(out.oddsRatio.estimate, 1.5);
    const p = JSON.parse(
      cairnet(join(data, 'freq.csv'), '--freq', 'f', '--proportion', 'a', '--json').stdout,
    );
    expect(
      p.estimates.map((e: { level: string; estimate: number; n: number }) => [e.level, e.estimate, e.n]),
    ).toEqual([
      ['x', 0.4, 10],
      ['y', 0.6, 10],
    ]);
  });
  it('prints a readable table without --json', () => {
    const r = cairnet(...strat, '--total', 'enroll');
    expect(r.stdout).toMatch(/^variable\s+level\s+group\s+estimate/);
    expect(r.stdout).toContain('enroll');
  });
  it('fails clearly on unknown columns, bad files, bad weights and bad usage', () => {
    const unknown = cairnet(...strat, '--mean', 'nope');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^error CAIRNET_COLUMN_UNKNOWN: No column "nope"/);
    expect(cairnet(join(data, 'missing.csv'), '--mean', 'a').stderr).toMatch(/CAIRNET_FILE_UNREADABLE/);
    expect(cairnet(join(data, 'ragged.csv'), '--mean', 'a').stderr).toMatch(/CAIRNET_CSV_INVALID/);
    expect(cairnet(join(fixtures, 'apistrat.csv'), '--weight', 'stype', '--mean', 'api00').stderr).toMatch(
      /CAIRNET_STATS_INVALID: Column "stype" has a non-numeric value/,
    );
    expect(cairnet(join(fixtures, 'apistrat.csv')).stderr).toMatch(/CAIRNET_USAGE/);
  });
  it('is registered on the program and reports errors through bin/cairnet.mjs', () => {
    expect(typeof register).toBe('function');
    const r = spawnSync(
      process.execPath,
      [join(root, 'bin', 'cairnet.mjs'), 'stats', join(fixtures, 'apistrat.csv')],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error CAIRNET_USAGE: Give exactly one of/);
    expect(r.stdout).toBe('');
  }, 60_000);
});
