import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionRunner } from 'survey-core';
import { afterAll, describe, expect, it } from 'vitest';
import { exportXlsform } from '../../src/instrument/exporters/export-xlsform.js';
import { importInstrumentFile } from '../../src/instrument/importers/import-instrument.js';
import { CAIRNET_SURVEY_PATH, loadInstrument } from '../../src/instrument/load-instrument.js';
import type { Codebook, InstrumentJson } from '../../src/instrument/types.js';
import { STAFF_FORM } from '../fixtures/imports/staff-form.js';
import { buildXlsform } from '../fixtures/imports/xlsform-builder.js';
import { openTestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cairnet-round-trip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'imports');

/** What a round trip must keep: each variable's name, type, labels and levels in every language. */
function questions(codebook: Codebook) {
  return codebook.variables.map((v) => ({
    name: v.name,
    type: v.type,
    label: v.label,
    section: v.section,
    levels: v.levels.map((l) => ({ value: String(l.value), label: l.label })),
  }));
}

/** Answers drawn at random from each question's levels (or left empty), to compare skip logic by its effects. */
function randomAnswers(codebook: Codebook, seed: number): Record<string, unknown>[] {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  return Array.from({ length: 300 }, () => {
    const a: Record<string, unknown> = {};
    for (const v of codebook.variables) {
      if (rand() < 0.15) continue;
      const values = v.levels.map((l) => l.value);
      if (v.type === 'multiple') a[v.question] = values.filter(() => rand() < 0.4);
      else if (v.type === 'matrix_row') {
        a[v.question] = {
          ...(a[v.question] as object),
          [v.row!]: values[Math.floor(rand() * values.length)],
        };
      } else if (v.type === 'numeric') a[v.question] = Math.floor(rand() * 60);
      else if (values.length > 0) a[v.question] = values[Math.floor(rand() * values.length)];
      else if (v.type === 'boolean') a[v.question] = rand() < 0.5;
      else a[v.question] = 'text';
    }
    return a;
  });
}

/** Same questions, same labels, and skip logic that shows each question to the same respondents. */
function expectSameInstrument(before: InstrumentJson, after: InstrumentJson): void {
  const a = loadInstrument(before).codebook;
  const b = loadInstrument(after).codebook;
  expect(questions(b)).toEqual(questions(a));
  const samples = randomAnswers(a, 7);
  for (const [k, v] of a.variables.entries()) {
    const w = b.variables[k]!;
    if (v.visibleIf === null) {
      expect(w.visibleIf, v.name).toBeNull();
      continue;
    }
    const x = new ConditionRunner(v.visibleIf);
    const y = new ConditionRunner(w.visibleIf ?? 'true');
    for (const answers of samples)
      expect(y.runValues(answers), `${v.name}: ${w.visibleIf}`).toBe(x.runValues(answers));
  }
}

async function roundTrip(
  json: InstrumentJson,
  name: string,
): Promise<{ xlsform: InstrumentJson; surveyjs: InstrumentJson }> {
  const xlsx = join(dir, `${name}.xlsx`);
  writeFileSync(xlsx, await exportXlsform(json, name));
  const surveyjs = join(dir, `${name}.json`);
  writeFileSync(surveyjs, JSON.stringify(json));
  return {
    xlsform: (await importInstrumentFile(xlsx)).instrument.json,
    surveyjs: (await importInstrumentFile(surveyjs)).instrument.json,
  };
}

const sources: [string, () => Promise<InstrumentJson>][] = [
  [
    'the Cairnet questionnaire',
    async () => JSON.parse(readFileSync(CAIRNET_SURVEY_PATH, 'utf8')) as InstrumentJson,
  ],
  [
    'the XLSForm fixture',
    async () => (await importInstrumentFile(join(FIXTURES, 'researchers.xlsx'))).instrument.json,
  ],
  [
    'the LimeSurvey fixture',
    async () => (await importInstrumentFile(join(FIXTURES, 'researchers.lss'))).instrument.json,
  ],
  [
    'the LimeSurvey fixture with legacy conditions',
    async () => (await importInstrumentFile(join(FIXTURES, 'legacy-conditions.lss'))).instrument.json,
  ],
  [
    'a staff survey of its own',
    async () => {
      const file = join(dir, 'staff-source.xlsx');
      writeFileSync(file, await buildXlsform(STAFF_FORM));
      return (await importInstrumentFile(file)).instrument.json;
    },
  ],
];

describe('instrument export, then import', () => {
  for (const [what, load] of sources) {
    it(`gives ${what} back: same questions, choices, labels in every language and skip logic`, async () => {
      const json = await load();
      const back = await roundTrip(json, what.replace(/\W+/g, '_'));
      expectSameInstrument(json, back.xlsform);
      expectSameInstrument(json, back.surveyjs);
    });
  }

  it('writes and reads it back on the command line, and refuses an unknown format or survey', async () => {
    const t = await openTestStore('sqlite');
    try {
      const form = join(dir, 'staff-cli.xlsx');
      writeFileSync(form, await buildXlsform(STAFF_FORM));
      expect((await cli(['instrument', 'import', form, '--name', 'staff', '--db', t.location])).code).toBe(0);
      const out = join(dir, 'staff-export.xlsx');
      const r = await cli([
        'instrument',
        'export',
        '--instrument',
        'staff',
        '--format',
        'xlsform',
        '--out',
        out,
        '--db',
        t.location,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const again = await cli([
        'instrument',
        'import',
        out,
        '--name',
        'staff-copy',
        '--json',
        '--db',
        t.location,
      ]);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout).report.notCarried).toEqual([]);
      const bad = await cli([
        'instrument',
        'export',
        '--instrument',
        'staff',
        '--format',
        'odt',
        '--out',
        out,
        '--db',
        t.location,
      ]);
      expect(bad.stderr).toMatch(/^error CAIRNET_EXPORT_FORMAT_UNKNOWN/);
      const none = await cli([
        'instrument',
        'export',
        '--instrument',
        'nope',
        '--format',
        'surveyjs',
        '--out',
        out,
        '--db',
        t.location,
      ]);
      expect(none.code).toBe(3);
    } finally {
      await t.dispose();
    }
  });
});
