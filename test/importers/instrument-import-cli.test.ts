import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { listInstruments } from '../../src/store/repositories/instruments.js';

const BIN = join(import.meta.dirname, '../../bin/cairnet.mjs');
const FIXTURES = join(import.meta.dirname, '../fixtures/imports');
const dir = mkdtempSync(join(tmpdir(), 'cairnet-import-cli-'));
const db = join(dir, 'x.db');
const cli = (args: string[]) => spawnSync('node', [BIN, ...args, '--db', db], { encoding: 'utf8' });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function stored(): Promise<string[]> {
  const store = await openStore({ db });
  try {
    return (await listInstruments(store.db)).map((i) => `${i.name}@${i.version}`);
  } finally {
    await store.close();
  }
}

describe('cairnet instrument import', { timeout: 180_000 }, () => {
  it('stores an XLSForm as a new instrument version and prints what was not carried over', async () => {
    const r = cli(['instrument', 'import', join(FIXTURES, 'researchers.xlsx'), '--name', 'researchers']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^stored: instrument "researchers" version 1 \(xlsform/);
    expect(r.stdout).toMatch(
      /\n {2}question where:\n {4}type: survey!18: question type "geopoint" has no Cairnet equivalent/,
    );
    expect(r.stdout).toMatch(/made plain text/);
    expect(await stored()).toEqual(['researchers@1']);
  });

  it('prints the report as JSON with --json', () => {
    const r = cli([
      'instrument',
      'import',
      join(FIXTURES, 'researchers.xlsx'),
      '--name',
      'researchers',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      name: 'researchers',
      version: 1,
      created: false,
      report: { format: 'xlsform' },
    });
  });

  it('--dry-run --json reports every loss per question and stores nothing', async () => {
    const r = cli(['instrument', 'import', join(FIXTURES, 'researchers.lss'), '--dry-run', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ dryRun: true, report: { format: 'limesurvey' } });
    expect(out.report.notCarried).toContainEqual({
      where: 'question Q10',
      attribute: 'type',
      message: expect.stringMatching(/split into one question per subquestion/),
    });
    expect(await stored()).toEqual(['researchers@1']);
  });

  it('--strict refuses a file with anything not carried, listing it, and stores nothing', async () => {
    const r = cli(['instrument', 'import', join(FIXTURES, 'researchers.lss'), '--strict']);
    expect(r.status).toBe(7);
    expect(r.stderr).toMatch(
      /^error CAIRNET_IMPORT_NOT_CARRIED: researchers\.lss: 2 thing\(s\) cannot be carried over/,
    );
    expect(await stored()).toEqual(['researchers@1']);
  });

  it('stores a LimeSurvey survey under the file name by default', async () => {
    const r = cli(['instrument', 'import', join(FIXTURES, 'legacy-conditions.lss')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^stored: instrument "legacy-conditions" version 1 \(limesurvey, "Legacy"/);
    expect(r.stdout).toMatch(/everything was carried over/);
    expect(await stored()).toEqual(['legacy-conditions@1', 'researchers@1']);
  });

  it('stores nothing and exits with a stable code when the file is hostile', async () => {
    const bad = join(dir, 'bad.lss');
    writeFileSync(bad, '<?xml version="1.0"?><document><questions><rows><row>');
    const r = cli(['instrument', 'import', bad, '--name', 'bad']);
    expect(r.status).toBe(7);
    expect(r.stderr).toMatch(/^error CAIRNET_IMPORT_MALFORMED: /);
    expect(r.stdout).toBe('');
    expect(await stored()).toEqual(['legacy-conditions@1', 'researchers@1']);
  });
});
