import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { register } from '../../../src/cli/commands/typology.js';
import { adjustedRandIndex } from '../../../src/stats/clustering/adjusted-rand-index.js';
import { FIXTURE_DIR, loadFixture } from '../mca/fixtures.js';

const root = join(import.meta.dirname, '../../..');

function cairnet(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/cairnet.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the command in this process (a spawned CLI takes seconds to start on a busy machine). */
async function inProcess(...args: string[]) {
  const program = new Command('cairnet').exitOverride();
  register(program);
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => {
    stdout += chunk;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => {
    stderr += chunk;
    return true;
  }) as typeof process.stderr.write;
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'cairnet', ...args]);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  const status = process.exitCode;
  process.exitCode = before;
  return { status, stdout, stderr };
}

describe('cairnet typology', () => {
  const csv = join(FIXTURE_DIR, 'generated.csv');
  const fx = loadFixture('generated');

  it('prints the JSON contract with FactoMineR’s eigenvalues and partition, rows in file order', {
    timeout: 60_000,
  }, () => {
    const out = mkdtempSync(join(tmpdir(), 'typology-'));
    const r = cairnet(
      'typology',
      csv,
      '--active',
      fx.r.active.join(','),
      '--supplementary',
      'gender',
      '--weights',
      'weight',
      '--clusters',
      '4',
      '--json',
      '--out',
      out,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.eigenvalues).toHaveLength(fx.r.eig.length);
    json.eigenvalues.forEach((e: number, k: number) => {
      expect(Math.abs(e - fx.r.eig[k]![0]!) / fx.r.eig[k]![0]!).toBeLessThan(1e-9);
    });
    expect(json.inertiaPercent).toHaveLength(fx.r.eig.length);
    expect(json.rows).toHaveLength(fx.r.indCoord.length);
    expect(Math.abs(json.rows[7].coord[0] - fx.r.indCoord[7]![0]!)).toBeLessThan(1e-9);
    const clusters = json.rows.map((row: { cluster: number }) => row.cluster);
    expect(adjustedRandIndex(clusters, fx.r.clusterConsolidated)).toBe(1);
    expect(json.categories[0]).toMatchObject({ variable: 'q1', level: 'agree' });
    for (const key of ['coord', 'contrib', 'cos2', 'vtest']) expect(json.categories[0][key]).toHaveLength(5);
    expect(json.clusters).toHaveLength(4);
    expect(json.clusters.reduce((s: number, c: { size: number }) => s + c.size, 0)).toBe(400);
    expect(json.clusters[0].categories[0]).toHaveProperty('vtest');
    expect(json.clustering.method).toBe('exact');
    expect(readFileSync(join(out, 'factor-map.svg'), 'utf8')).toMatch(/^<svg/);
    expect(existsSync(join(out, 'dendrogram.svg'))).toBe(true);
  });

  it('matches FactoMineR’s partition without consolidation', async () => {
    const r = cairnet(
      'typology',
      csv,
      '--active',
      fx.r.active.join(','),
      '--weights',
      'weight',
      '--clusters',
      '4',
      '--no-consolidation',
      '--json',
    );
    const json = JSON.parse(r.stdout);
    expect(json.clustering.consolidated).toBe(false);
    expect(
      adjustedRandIndex(
        json.rows.map((row: { cluster: number }) => row.cluster),
        fx.r.clusterHierarchy,
      ),
    ).toBe(1);
  });

  it('refuses bad input with a stable code and a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'typology-'));
    const constant = join(dir, 'constant.csv');
    writeFileSync(constant, 'a,b,c\nx,u,k\ny,v,k\nx,v,k\ny,u,k\n');
    const cases: [string[], string, RegExp][] = [
      [['--active', 'q1,nope'], 'CAIRNET_COLUMN_UNKNOWN', /nope/],
      [['--active', 'q1'], 'CAIRNET_USAGE', /at least 2/],
      [['--active', 'q1,q2', '--clusters', '401'], 'CAIRNET_TYPOLOGY_INVALID', /401/],
      [['--active', 'q1,q2', '--dims', 'two'], 'CAIRNET_USAGE', /--dims/],
    ];
    for (const [args, code, message] of cases) {
      const r = await inProcess('typology', csv, ...args);
      expect(r.stderr).toContain(`error ${code}:`);
      expect(r.stderr).toMatch(message);
      expect(r.status).not.toBe(0);
      expect(r.stdout).toBe('');
    }
    const r = await inProcess('typology', constant, '--active', 'a,b,c');
    expect(r.stderr).toMatch(/error CAIRNET_TYPOLOGY_INVALID: .*"c" is constant/);
    const missing = await inProcess('typology', join(dir, 'absent.csv'), '--active', 'a,b');
    expect(missing.stderr).toContain('error CAIRNET_FILE_UNREADABLE:');
  });
});
