import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPopulation } from '../../src/campaign/population-import.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';

describe('cairnet campaign status (text)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore('sqlite');
    await saveInstrument(t.store.db, 'staff', {
      pages: [
        {
          name: 'p',
          elements: [
            {
              type: 'radiogroup',
              name: 'site',
              title: { default: 'Your site', fr: 'Votre site' },
              choices: [
                { value: 'n', text: { default: 'North campus', fr: 'Campus nord' } },
                { value: 's', text: { default: 'South campus', fr: 'Campus sud' } },
              ],
            },
          ],
        },
      ],
    });
    await importPopulation(
      t.store.db,
      'staff',
      {
        header: ['email', 'site', 'grade'],
        rows: [
          { line: 2, cells: ['a@example.org', 'n', 'g1'] },
          { line: 3, cells: ['b@example.org', 's', ''] },
        ],
      },
      { file: 'people.csv', map: 'email=email,site=stratum.site,grade=stratum.grade' },
    );
  });
  afterAll(() => t.dispose());

  it('names strata and their values by the questionnaire’s labels, codes beside them', async () => {
    const r = await cli(['campaign', 'status', '--instrument', 'staff', '--db', t.location]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('\nby Your site\n');
    expect(r.stdout).toMatch(/\n {2}North campus \(n\) +population +1 /);
    expect(r.stdout).toMatch(/\n {2}South campus \(s\) +population +1 /);
    // a stratum the questionnaire does not ask keeps its codes; a missing value says so
    expect(r.stdout).toContain('\nby grade\n');
    expect(r.stdout).toMatch(/\n {2}g1 +population +1 /);
    expect(r.stdout).toMatch(/\n {2}\(no value\) +population +1 /);
  });
});
