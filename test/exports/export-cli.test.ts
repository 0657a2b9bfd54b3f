import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportStore } from './export-fixture.js';

const BIN = join(import.meta.dirname, '../../bin/cairnet.mjs');
const cli = (args: string[]) => spawnSync('node', [BIN, ...args], { encoding: 'utf8' });

describe('cairnet export and cairnet codebook', { timeout: 180_000 }, () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairnet-export-cli-'));
    db = join(dir, 'x.db');
    await (await exportStore(db)).close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports labels as CSV to the named file', () => {
    const out = join(dir, 'x.csv');
    const r = cli(['export', '--format', 'csv', '--labels', '--lang', 'en', '--out', out, '--db', db]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/wrote 3 responses .*PARTLY SYNTHETIC/);
    expect(readFileSync(out, 'utf8')).toContain(',Ongoing,');
  });

  it('exports a .sav file', () => {
    const out = join(dir, 'x.sav');
    expect(cli(['export', '--format', 'sav', '--out', out, '--db', db]).status).toBe(0);
    expect(readFileSync(out).subarray(0, 4).toString()).toBe('$FL2');
  });

  it('refuses an unknown format with a stable code and writes nothing', () => {
    const out = join(dir, 'x.pdf');
    const r = cli(['export', '--format', 'pdf', '--out', out, '--db', db]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error CAIRNET_EXPORT_FORMAT_UNKNOWN/);
    expect(existsSync(out)).toBe(false);
  });

  it('prints the codebook as JSON on stdout, and as Markdown to a file', () => {
    const r = cli(['codebook', '--format', 'json', '--db', db]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).variables[0].name).toBe('relation');
    const out = join(dir, 'codebook.md');
    expect(cli(['codebook', '--out', out, '--db', db]).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^# Codebook: Export test/);
  });
});
