import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importInstrumentFile } from '../../src/instrument/importers/import-instrument.js';
import { loadToolResponses } from '../../src/instrument/importers/tool-responses.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/imports');

describe('responses exported by other tools', () => {
  it('maps a LimeSurvey response export onto the codebook of the imported survey', async () => {
    const { instrument } = await importInstrumentFile(join(FIXTURES, 'researchers.lss'));
    const { records, report } = loadToolResponses(
      instrument.codebook,
      readFileSync(join(FIXTURES, 'limesurvey-responses.csv')),
    );
    expect(report.tool).toBe('limesurvey');
    expect(report.rows).toBe(3);
    expect(records[0]).toMatchObject({
      Q1: 'A1',
      Q4: 12,
      Q3: 'Y',
      Q2: 'SQ001',
      Q2__SQ001: 1,
      Q2__SQ002: 0,
      Q5: 'Téléthon',
      Q6: '=HYPERLINK("x")',
      Q7_R1: 'agree',
      Q7_R2: 'disagree',
      Q10_papers: null,
    });
    // Q2 was hidden (Q4 ≤ 2): LimeSurvey leaves its boxes empty, so it has no answer.
    expect(records[1]).toMatchObject({ Q1: 'A3', Q2: null, Q2__SQ001: null, Q7_R1: null });
    expect(records[2]).toMatchObject({ Q1: null, Q4: null, Q2: 'SQ001 | SQ002' });
    expect(report.invalid.map((i) => [i.row, i.column])).toEqual([
      [4, 'Q1'],
      [4, 'Q4'],
    ]);
    expect(report.unmapped).toEqual(
      expect.arrayContaining(['id', 'submitdate', 'Q2[other]', 'Q8', 'Q9[1]', 'Q10[papers]']),
    );
    expect(report.mapped).toContainEqual({ column: 'Q7[R1]', question: 'Q7' });
  });

  it('maps a KoBoToolbox/ODK export of an XLSForm, with group paths and choice columns', async () => {
    const { instrument } = await importInstrumentFile(join(FIXTURES, 'researchers.xlsx'));
    const { records, report } = loadToolResponses(
      instrument.codebook,
      readFileSync(join(FIXTURES, 'kobo-responses.csv')),
    );
    expect(report.tool).toBe('xlsform');
    expect(records[0]).toMatchObject({
      gender: 'woman',
      age: 45,
      fte: 0.8,
      met: 'yes',
      activities: 'talks | other',
      activities__talks: 1,
      activities__boards: 0,
      other_activity: 'Patient days',
      satisfaction: 4,
    });
    expect(records[1]).toMatchObject({ gender: 'man', met: 'no', activities: null, activities__talks: null });
    expect(records[2]).toMatchObject({ gender: null, age: null, activities: 'talks', satisfaction: null });
    expect(report.invalid.map((i) => i.column)).toEqual([
      'about/gender',
      'about/age',
      'relations/activities',
      'relations/satisfaction',
    ]);
    expect(report.unmapped).toEqual(['start', 'end', '_id', '_uuid', '_submission_time']);
    expect(report.missing).toEqual(['assoc']);
  });

  it('refuses a file that is not CSV', () => {
    expect(() => loadToolResponses({ instrumentHash: '', variables: [] }, '')).toThrow(
      expect.objectContaining({ code: 'CAIRNET_CSV_INVALID' }),
    );
  });
});
