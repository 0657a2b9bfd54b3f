import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPopulation } from '../../src/campaign/population-import.js';
import { readPopulationFile } from '../../src/campaign/read-population-file.js';
import { openStore } from '../../src/store/open-store.js';

const BIN = join(import.meta.dirname, '../../bin/cairnet.mjs');

describe('a reader that stops early', () => {
  it('ends `cairnet campaign status | head` quietly, without an EPIPE crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairnet-epipe-'));
    const db = join(dir, 'x.db');
    const file = join(dir, 'people.csv');
    const rows = Array.from({ length: 200 }, (_, i) => `p${i}@inserm.fr,U${i % 40},a${i % 9}`);
    writeFileSync(file, `email,unit,age_band\n${rows.join('\n')}\n`);
    const store = await openStore({ db });
    await importPopulation(store.db, 'cairnet', await readPopulationFile(file), { file });
    await store.close();
    const child = spawn(process.execPath, [BIN, 'campaign', 'status', '--db', db], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes away before the command writes: every write meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += String(c);
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  }, 120_000);
});
