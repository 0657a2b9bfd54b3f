import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { analysisHarness, reconcileCase, statsCase, typologyCase } from './fuzz/analysis-csv.js';

/** Cases per property here; `npm run bench -- fuzz` runs 100,000 per boundary. */
const RUNS = Number(process.env.CAIRNET_FUZZ_RUNS ?? 150);
/** An MCA and a clustering per case: the typology property runs fewer. */
const TYPOLOGY_RUNS = Math.max(1, Math.ceil(RUNS / 3));

describe('hostile CSV files and options through the analysis commands', () => {
  let dir: string;
  let run: ReturnType<typeof analysisHarness>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cairnet-fuzz-analysis-'));
    run = analysisHarness(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('cairnet stats: a result without unexplained NaN, or a CairnetError', async () => {
    await fc.assert(
      fc.asyncProperty(statsCase, async (c) => {
        await run(c);
      }),
      { numRuns: RUNS },
    );
  });

  it('cairnet typology: a result or a CairnetError', async () => {
    await fc.assert(
      fc.asyncProperty(typologyCase, async (c) => {
        await run(c);
      }),
      { numRuns: TYPOLOGY_RUNS },
    );
  });

  it('cairnet reconcile: groups and matches, or a CairnetError', async () => {
    await fc.assert(
      fc.asyncProperty(reconcileCase, async (c) => {
        await run(c);
      }),
      { numRuns: RUNS },
    );
  });
});
