import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openTestStore, type TestStore } from '../helpers/dialects.js';
import {
  instrumentImportHarness,
  lssCase,
  surveyJsCase,
  xlsformBytes,
  xlsformCase,
} from './fuzz/instrument-import.js';

/** Cases per property here; `npm run bench -- fuzz` runs 100,000 per boundary. */
const RUNS = Number(process.env.CAIRNET_FUZZ_RUNS ?? 150);
/** Checking a questionnaire costs tens of milliseconds: these properties run fewer cases. */
const IMPORT_RUNS = Math.max(1, Math.ceil(RUNS / 2));
/** Building a workbook costs more: the XLSForm property runs fewer still. */
const XLSX_RUNS = Math.max(1, Math.ceil(RUNS / 4));

describe('hostile questionnaires through the instrument import (as `cairnet instrument import`)', () => {
  let t: TestStore;
  let importLikeTheCli: Awaited<ReturnType<typeof instrumentImportHarness>>;
  beforeAll(async () => {
    t = await openTestStore('sqlite');
    importLikeTheCli = await instrumentImportHarness(t.store);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('SurveyJS JSON: a clean refusal or plain-text labels', async () => {
    await fc.assert(
      fc.asyncProperty(surveyJsCase, async (bytes) => {
        await importLikeTheCli(bytes, 'upload.json');
      }),
      { numRuns: IMPORT_RUNS },
    );
  });

  it('XLSForm: random sheets, mutations of a valid form and of its bytes: a clean refusal or plain-text labels', async () => {
    await fc.assert(
      fc.asyncProperty(xlsformCase, async (c) => {
        await importLikeTheCli(await xlsformBytes(c), 'form.xlsx');
      }),
      { numRuns: XLSX_RUNS },
    );
  });

  it('LimeSurvey .lss: random and mutated XML', async () => {
    await fc.assert(
      fc.asyncProperty(lssCase, async (xml) => {
        await importLikeTheCli(Buffer.from(xml), 'survey.lss');
      }),
      { numRuns: IMPORT_RUNS },
    );
  });
});
