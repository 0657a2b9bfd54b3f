import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importInstrumentBuffer } from '../../src/instrument/importers/import-instrument.js';
import { loadCairnetInstrument } from '../../src/instrument/load-instrument.js';
import type { InstrumentJson } from '../../src/instrument/types.js';
import { buildLss, CONSTRUCTS, QUOTA_SURVEY } from '../fixtures/imports/lss-builder.js';
import { STAFF_FORM } from '../fixtures/imports/staff-form.js';
import { buildXlsform } from '../fixtures/imports/xlsform-builder.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export interface QuestionnaireFixture {
  name: string;
  json: InstrumentJson;
}

/**
 * Every questionnaire the tests hold, as stored: Cairnet's, the XLSForm and LimeSurvey import
 * fixtures (files and built ones) and the own-survey XLSForm of test/e2e, each through its
 * importer, and a SurveyJS questionnaire using every construct an instrument may hold.
 */
export async function questionnaireFixtures(): Promise<QuestionnaireFixture[]> {
  const files: [string, Buffer][] = [
    ['researchers.xlsx', readFileSync(join(FIXTURES, 'imports', 'researchers.xlsx'))],
    ['researchers.lss', readFileSync(join(FIXTURES, 'imports', 'researchers.lss'))],
    ['legacy-conditions.lss', readFileSync(join(FIXTURES, 'imports', 'legacy-conditions.lss'))],
    ['constructs.lss', Buffer.from(buildLss(CONSTRUCTS))],
    ['quota.lss', Buffer.from(buildLss(QUOTA_SURVEY))],
    ['staff.xlsx', await buildXlsform(STAFF_FORM)],
    ['every-construct.json', readFileSync(join(FIXTURES, 'surveyjs', 'every-construct.json'))],
  ];
  const imported = await Promise.all(
    files.map(async ([name, bytes]) => ({
      name,
      json: (await importInstrumentBuffer(bytes, name)).instrument.json,
    })),
  );
  return [{ name: 'cairnet', json: loadCairnetInstrument().json }, ...imported];
}
