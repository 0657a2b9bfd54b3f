import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/dialects.js';
import { csvBytes, mapping, populationImportHarness, xlsxBytes, xlsxCase } from './fuzz/population-import.js';

/** Cases per property here; `npm run bench -- fuzz` runs 100,000 per boundary. */
const RUNS = Number(process.env.CAIRNET_FUZZ_RUNS ?? 150);
/** Building a workbook costs a few milliseconds: the XLSX property runs fewer cases. */
const XLSX_RUNS = Math.max(1, Math.ceil(RUNS / 5));

describe('hostile population files through `cairnet population import`', () => {
  let t: TestStore;
  let dir: string;
  let importLikeTheCli: Awaited<ReturnType<typeof populationImportHarness>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairnet-fuzz-population-'));
    t = await openTestStore('sqlite');
    importLikeTheCli = await populationImportHarness(t.store, dir);
  });
  afterAll(async () => {
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('CSV: random, valid-then-damaged files, any mapping: a report or a clear error, nothing stored on refusal', async () => {
    await fc.assert(
      fc.asyncProperty(csvBytes, mapping, fc.boolean(), async (bytes, map, dryRun) => {
        await importLikeTheCli('.csv', bytes, map, dryRun);
      }),
      { numRuns: RUNS },
    );
  });

  it('XLSX: sheets with formulas, dates and rich text, and random bytes named .xlsx', async () => {
    await fc.assert(
      fc.asyncProperty(xlsxCase, mapping, fc.boolean(), async (c, map, dryRun) => {
        await importLikeTheCli('.xlsx', await xlsxBytes(c), map, dryRun);
      }),
      { numRuns: XLSX_RUNS },
    );
  });
});
