import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { exportXlsformWorkbook } from '../../src/instrument/exporters/export-xlsform.js';
import { importInstrumentBuffer } from '../../src/instrument/importers/import-instrument.js';
import { joinQuotaValues, splitQuotaValues } from '../../src/instrument/quota-sheet.js';
import { type InstrumentQuota, quotasOf } from '../../src/instrument/quotas.js';
import type { InstrumentJson } from '../../src/instrument/types.js';
import { currentInstrument, listInstruments } from '../../src/store/repositories/instruments.js';
import { buildLss, QUOTA_SURVEY } from '../fixtures/imports/lss-builder.js';
import { buildXlsform, type XlsformSheets } from '../fixtures/imports/xlsform-builder.js';
import { openTestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cairnet-quota-sheet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lssQuotaJson = async () =>
  (await importInstrumentBuffer(Buffer.from(buildLss(QUOTA_SURVEY)), 'quota.lss')).instrument.json;

/** Export as XLSForm, then import: the instrument and the export's account of its quotas. */
async function xlsformRoundTrip(json: InstrumentJson) {
  const exported = await exportXlsformWorkbook(json, 'form');
  const back = await importInstrumentBuffer(exported.file, 'form.xlsx');
  return { exported, back: back.instrument.json, report: back.report };
}

/** The rows of a workbook's sheet, as text. */
async function sheetRows(file: Buffer, name: string): Promise<string[][] | null> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(name);
  if (!ws) return null;
  const rows: string[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

/** A SurveyJS questionnaire whose quotas use every shape the sheet must keep. */
const HAND_WRITTEN: InstrumentJson = {
  title: { default: 'Panel', fr: 'Panel' },
  pages: [
    {
      name: 'p1',
      elements: [
        {
          type: 'radiogroup',
          name: 'region',
          title: { default: 'Region', fr: 'Région' },
          choices: [
            { value: 'north east', text: { default: 'North-East', fr: 'Nord-Est' } },
            { value: 'say "south"', text: 'South' },
            { value: 'west', text: 'West' },
          ],
        },
        {
          type: 'checkbox',
          name: 'langs',
          title: 'Languages',
          choices: ['1', '2', '3'],
          showOtherItem: true,
        },
        { type: 'dropdown', name: 'band', title: 'Age band', choices: ['young', 'old'] },
        { type: 'text', name: 'age', title: 'Age', inputType: 'number', step: 1 },
      ],
    },
  ],
  cairnetQuotas: [
    {
      name: 'North-East, two ticks',
      limit: 0,
      action: 'change',
      members: [
        { question: 'region', values: ['north east', 'say "south"'] },
        { question: 'langs', values: ['1', 'other'] },
        { question: 'langs', values: ['3'] },
      ],
      message: { default: 'Enough from your region.', fr: 'Assez de réponses de votre région.' },
    },
    { name: 'young', limit: 120, action: 'end', members: [{ question: 'band', values: ['young'] }] },
    {
      name: 'forty',
      limit: 3,
      action: 'end',
      members: [{ question: 'age', values: ['40'] }],
      message: 'Plain message',
    },
  ],
};

describe('quotas in an XLSForm export', () => {
  it('writes the LimeSurvey quota fixture to a cairnet_quotas sheet and reads it back exactly', async () => {
    const json = await lssQuotaJson();
    expect(quotasOf(json)).toHaveLength(1);
    const { exported, back, report } = await xlsformRoundTrip(json);
    expect(exported.quotas).toEqual({ sheet: 'cairnet_quotas', quotas: 1, members: 2 });
    expect(quotasOf(back)).toEqual(quotasOf(json));
    expect(report.notCarried).toEqual([]);
    const rows = await sheetRows(exported.file, 'cairnet_quotas');
    expect(rows?.[0]).toEqual([
      'quota',
      'limit',
      'action',
      'question',
      'values',
      'message::English (en)',
      'message::French (fr)',
    ]);
    expect(rows?.slice(1).map((r) => r.slice(0, 5))).toEqual([
      ['Women 30-39', '2', 'end', 'gender', 'F'],
      ['Women 30-39', '', '', 'ageband', 'A3'],
    ]);
  });

  it('gives back a hand-written SurveyJS questionnaire’s quotas: spaces and quotes in values, limit 0, change, repeated questions', async () => {
    const { exported, back } = await xlsformRoundTrip(HAND_WRITTEN);
    expect(exported.quotas).toEqual({ sheet: 'cairnet_quotas', quotas: 3, members: 5 });
    expect(quotasOf(back)).toEqual(quotasOf(HAND_WRITTEN));
    // and once more, from what came back
    const again = await xlsformRoundTrip(back);
    expect(quotasOf(again.back)).toEqual(quotasOf(HAND_WRITTEN));
  });

  it('writes no sheet for a questionnaire without quotas', async () => {
    const { cairnetQuotas: _, ...plain } = HAND_WRITTEN;
    const { exported, back } = await xlsformRoundTrip(plain);
    expect(exported.quotas).toBeNull();
    expect(await sheetRows(exported.file, 'cairnet_quotas')).toBeNull();
    expect(back).not.toHaveProperty('cairnetQuotas');
  });

  it('refuses, by name, a quota the sheet could not give back as it is', async () => {
    const quota = (q: Partial<InstrumentQuota>) => ({
      ...HAND_WRITTEN,
      cairnetQuotas: [
        { name: 'q', limit: 1, action: 'end', members: [{ question: 'band', values: ['young'] }], ...q },
      ],
    });
    const twice = { ...HAND_WRITTEN, cairnetQuotas: [...quotasOf(quota({})), ...quotasOf(quota({}))] };
    for (const [json, why] of [
      [twice, /"q" shares its name/],
      [quota({ name: ' q' }), /starts or ends with a space/],
      [quota({ message: { default: 'a', en: 'b' } }), /default message and a different English one/],
    ] as const) {
      await expect(exportXlsformWorkbook(json as InstrumentJson, 'f')).rejects.toMatchObject({
        code: 'CAIRNET_INSTRUMENT_EXPORT_UNSUPPORTED',
        message: expect.stringMatching(why),
      });
    }
  });

  it('quotes a value only when it must, and reads every quoting back', () => {
    const values = ['a', 'b c', 'say "hi"', '', ' lead', 'x"', '"'];
    const cell = joinQuotaValues(values);
    expect(cell).toBe('a "b c" "say ""hi""" "" " lead" "x""" """"');
    expect(splitQuotaValues(cell)).toEqual(values);
    expect(splitQuotaValues('  F   A3 ')).toEqual(['F', 'A3']);
    expect(splitQuotaValues('"open')).toEqual({ error: expect.stringMatching(/never closed/) });
    expect(splitQuotaValues('a"b')).toEqual({ error: expect.stringMatching(/holds a quote/) });
    expect(splitQuotaValues('"a"b')).toEqual({ error: expect.stringMatching(/without a space/) });
  });

  it('says on the command line what it wrote, and the re-import stores the same quotas', async () => {
    const t = await openTestStore('sqlite');
    try {
      const lss = join(dir, 'quota.lss');
      writeFileSync(lss, buildLss(QUOTA_SURVEY));
      expect((await cli(['instrument', 'import', lss, '--name', 'quota', '--db', t.location])).code).toBe(0);
      const out = join(dir, 'quota.xlsx');
      const r = await cli([
        'instrument',
        'export',
        '--instrument',
        'quota',
        '--format',
        'xlsform',
        '--out',
        out,
        '--db',
        t.location,
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(
        '1 quota (2 members) written to the sheet "cairnet_quotas": XLSForm has no quotas; cairnet instrument import reads them back, other XLSForm tools skip the sheet',
      );
      const json = join(dir, 'quota.json');
      const s = await cli([
        'instrument',
        'export',
        '--instrument',
        'quota',
        '--format',
        'surveyjs',
        '--out',
        json,
        '--db',
        t.location,
      ]);
      expect(s.stdout).toContain('1 quota kept as cairnetQuotas');
      const again = await cli([
        'instrument',
        'import',
        out,
        '--name',
        'quota-copy',
        '--json',
        '--db',
        t.location,
      ]);
      expect(again.code, again.stderr).toBe(0);
      const original = await currentInstrument(t.store.db, 'quota');
      const copy = await currentInstrument(t.store.db, 'quota-copy');
      expect(quotasOf(copy!.json as InstrumentJson)).toEqual(quotasOf(original!.json as InstrumentJson));
    } finally {
      await t.dispose();
    }
  });
});

/** A small XLSForm and a quotas sheet written by hand. */
function form(quotas: (string | number)[][]): XlsformSheets {
  return {
    survey: [
      ['type', 'name', 'label::English (en)', 'label::French (fr)', 'appearance'],
      ['select_one gender', 'gender', 'You are', 'Vous êtes'],
      ['select_multiple fruit', 'fruits', 'Fruits', 'Fruits'],
      ['integer', 'age', 'Age', 'Âge'],
      ['begin repeat', 'kids', 'Children', 'Enfants'],
      ['text', 'kid_name', 'Name', 'Prénom'],
      ['end repeat'],
      ['begin group', 'likert', 'Opinions', 'Opinions', 'table-list'],
      ['select_one agree', 'likert_a', 'A', 'A'],
      ['select_one agree', 'likert_b', 'B', 'B'],
      ['end group'],
      ['geopoint', 'where', 'Where', 'Où'],
    ],
    choices: [
      ['list_name', 'name', 'label::English (en)', 'label::French (fr)'],
      ['gender', 'f', 'Woman', 'Femme'],
      ['gender', 'm', 'Man', 'Homme'],
      ['fruit', 'apple', 'Apple', 'Pomme'],
      ['fruit', 'pear', 'Pear', 'Poire'],
      ['fruit', 'kiwi', 'Kiwi', 'Kiwi'],
      ['agree', 'y', 'Yes', 'Oui'],
      ['agree', 'n', 'No', 'Non'],
    ],
    cairnet_quotas: quotas,
  };
}

const HEADER = [
  'quota',
  'limit',
  'action',
  'question',
  'values',
  'message::English (en)',
  'message::French (fr)',
];

describe('a cairnet_quotas sheet written by hand', () => {
  it('becomes the instrument’s quotas: limit on the first row only, values separated by spaces, messages per language', async () => {
    const { instrument, report } = await importInstrumentBuffer(
      await buildXlsform(
        form([
          HEADER,
          [
            'Women eating pome fruit',
            2,
            '',
            'gender',
            'f',
            'Enough women, thanks.',
            'Assez de femmes, merci.',
          ],
          ['Women eating pome fruit', '', '', 'fruits', 'apple pear'],
          ['Men', 5, 'Change', 'gender', 'm'],
          ['Forty', 1, 'end', 'age', 40],
        ]),
      ),
      'hand.xlsx',
    );
    // the geopoint of the form is dropped (reported on its question); nothing of the quotas is
    expect(report.notCarried.map((n) => n.where)).toEqual(['question where']);
    expect(quotasOf(instrument.json)).toEqual([
      {
        name: 'Women eating pome fruit',
        limit: 2,
        action: 'end',
        members: [
          { question: 'gender', values: ['f'] },
          { question: 'fruits', values: ['apple', 'pear'] },
        ],
        message: { default: 'Enough women, thanks.', fr: 'Assez de femmes, merci.' },
      },
      { name: 'Men', limit: 5, action: 'change', members: [{ question: 'gender', values: ['m'] }] },
      { name: 'Forty', limit: 1, action: 'end', members: [{ question: 'age', values: ['40'] }] },
    ]);
  });

  it('refuses bad rows with CAIRNET_IMPORT_QUOTA_INVALID, every one named by its cell', async () => {
    const rows = [
      HEADER,
      ['no limit', '', '', 'gender', 'f'], // 2
      ['ten', 'ten', '', 'gender', 'f'], // 3
      ['stop', 1, 'stop', 'gender', 'f'], // 4
      ['unknown', 1, '', 'nosuch', 'f'], // 5
      ['choice', 1, '', 'fruits', 'apple banana'], // 6
      ['quote', 1, '', 'gender', '"f'], // 7
      ['two limits', 1, '', 'gender', 'f'], // 8
      ['two limits', 2, '', 'fruits', 'kiwi'], // 9
      ['repeat', 1, '', 'kid_name', 'Ann'], // 10
      ['row', 1, '', 'likert_a', 'y'], // 11
      ['', 1, '', 'gender', 'f'], // 12
      ['no question', 1, '', '', 'f'], // 13
      ['no values', 1, '', 'gender', ''], // 14
      ['minus', -1, '', 'gender', 'f'], // 15
    ];
    const error = await importInstrumentBuffer(await buildXlsform(form(rows)), 'bad.xlsx').catch((e) => e);
    expect(error.code).toBe('CAIRNET_IMPORT_QUOTA_INVALID');
    expect(error.message).toBe('cairnet_quotas!12 quota: the row names no quota (and 12 more)');
    const details = error.details as { where: string; attribute: string; message: string }[];
    expect(details.map((d) => `${d.where} ${d.attribute}`)).toEqual([
      'cairnet_quotas!12 quota',
      'cairnet_quotas!2 limit',
      'cairnet_quotas!3 limit',
      'cairnet_quotas!4 action',
      'cairnet_quotas!5 question',
      'cairnet_quotas!6 values',
      'cairnet_quotas!7 values',
      'cairnet_quotas!9 limit',
      'cairnet_quotas!10 question',
      'cairnet_quotas!11 question',
      'cairnet_quotas!13 question',
      'cairnet_quotas!14 values',
      'cairnet_quotas!15 limit',
    ]);
    const say = (where: string) => details.find((d) => d.where === where)?.message;
    expect(say('cairnet_quotas!5')).toBe('the survey sheet has no question "nosuch"');
    expect(say('cairnet_quotas!6')).toMatch(
      /^"banana" not among the choices of "fruits" \(apple, pear, kiwi\)$/,
    );
    expect(say('cairnet_quotas!9')).toBe('"2" differs from "1" on row 8 of the same quota');
    expect(say('cairnet_quotas!10')).toMatch(/"kid_name" \(survey!6\) is not a top-level question/);
    expect(say('cairnet_quotas!11')).toMatch(/"likert_a" became the row "a" of the matrix "likert"/);
  });

  it('refuses a sheet without its columns', async () => {
    const error = await importInstrumentBuffer(
      await buildXlsform(
        form([
          ['quota', 'limit'],
          ['q', 1],
        ]),
      ),
      'bad.xlsx',
    ).catch((e) => e);
    expect(error.code).toBe('CAIRNET_IMPORT_QUOTA_INVALID');
    expect(error.details.map((d: { message: string }) => d.message)).toEqual([
      'the sheet has no "question" column',
      'the sheet has no "values" column',
    ]);
  });

  it('does not carry a quota on a dropped question (reported; --strict refuses) and reports an unknown column', async () => {
    const sheets = form([
      [...HEADER, 'owner'],
      ['located', 1, '', 'gender', 'f', '', '', 'Ann'],
      ['located', '', '', 'where', 'x'],
      ['kept', 1, '', 'gender', 'm'],
    ]);
    const { instrument, report } = await importInstrumentBuffer(await buildXlsform(sheets), 'drop.xlsx');
    expect(quotasOf(instrument.json).map((q) => q.name)).toEqual(['kept']);
    expect(report.notCarried).toEqual(
      expect.arrayContaining([
        { where: 'cairnet_quotas', attribute: 'owner', message: 'column owner not carried' },
        {
          where: 'quota located',
          attribute: 'question',
          message:
            'cairnet_quotas!3: "where" is not imported (see its question): quota "located" not carried',
        },
      ]),
    );
    await expect(
      importInstrumentBuffer(await buildXlsform(sheets), 'drop.xlsx', { strict: true }),
    ).rejects.toMatchObject({ code: 'CAIRNET_IMPORT_NOT_CARRIED' });
  });

  it('stores nothing when the sheet is wrong (command line, exit 7)', async () => {
    const t = await openTestStore('sqlite');
    try {
      const file = join(dir, 'bad-quota.xlsx');
      writeFileSync(file, await buildXlsform(form([HEADER, ['q', 'many', '', 'gender', 'f']])));
      const r = await cli(['instrument', 'import', file, '--name', 'bad', '--db', t.location]);
      expect(r.code).toBe(7);
      expect(r.stderr).toMatch(
        /^error CAIRNET_IMPORT_QUOTA_INVALID: cairnet_quotas!2 limit: the limit of "q" is "many"/,
      );
      expect(await listInstruments(t.store.db)).toEqual([]);
    } finally {
      await t.dispose();
    }
  });
});
