// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}
import ExcelJS from 'exceljs';
import { Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import '../../src/instrument/expression-functions.js';
import { importInstrumentBuffer } from '../../src/instrument/importers/import-instrument.js';
import { walkElements } from '../../src/instrument/walk-elements.js';
import { validateAnswers } from '../../src/responses/validate-answers.js';
import { buildXlsform, type XlsformSheets } from '../fixtures/imports/xlsform-builder.js';

const H = [
  'type',
  'name',
  'label::English (en)',
  'label::Deutsch (de)',
  'relevant',
  'required',
  'constraint',
  'default',
  'choice_filter',
  'parameters',
  'appearance',
];
const row = (
  type: string,
  name: string,
  label: string,
  more: Partial<Record<(typeof H)[number], string | boolean>> = {},
) =>
  H.map((h, i) =>
    i === 0 ? type : i === 1 ? name : i === 2 ? label : i === 3 ? `${label} (de)` : (more[h] ?? ''),
  );

/** A form written the ways pyxform accepts: old type names, booleans, `;` parameters, cascades. */
const FORM: XlsformSheets = {
  survey: [
    H,
    row('select one from country or specify other', 'country', 'Country', { required: true }),
    row('select_one city', 'city', 'City', { choice_filter: 'country=${country}' }),
    row('phone number', 'phone', 'Phone'),
    row('osm buildings', 'building', 'Building'),
    row('range', 'score', 'Score', { parameters: 'start=1;end=5;step=1' }),
    row('text', 'name', 'Name', { appearance: 'counter' }),
    row('note', 'hello', 'Hello ${name}', { relevant: "${name} != ''" }),
    row('text', 'nick', 'Nickname', { relevant: false }),
    row('text', 'zip', 'Zip', { constraint: "regex(., '^[0-9]{5}$') and string-length(.) = 5" }),
    row('date', 'visit', 'Visit', { default: 'today()' }),
    row('integer', 'kids_n', 'Children', { default: '2', required: 'TRUE' }),
    row('begin repeat', 'kids', 'Children'),
    row('text', 'kid_name', 'Name of the child'),
    row('select_one yesno', 'kid_school', 'At school?', { relevant: "${kid_name} != ''" }),
    row('end repeat', '', ''),
    row('begin repeat', 'photos', 'Photos'),
    row('image', 'photo', 'Photo'),
    row('end repeat', '', ''),
  ],
  choices: [
    ['list_name', 'name', 'label::English (en)', 'label::Deutsch (de)', 'country'],
    ['country', 'fr', 'France', 'Frankreich'],
    ['country', 'de', 'Germany', 'Deutschland'],
    ['city', 'paris', 'Paris', 'Paris', 'fr'],
    ['city', 'lyon', 'Lyon', 'Lyon', 'fr'],
    ['city', 'berlin', 'Berlin', 'Berlin', 'de'],
    ['yesno', 'yes', 'Yes', 'Ja'],
    ['yesno', 'no', 'No', 'Nein'],
    ['yesno', 'yes', 'Yes again', 'Ja'],
  ],
  settings: [
    ['form_title', 'default_language', 'allow_choice_duplicates'],
    ['Cascades', 'English (en)', 'yes'],
  ],
};

const importSheets = async (sheets: XlsformSheets, strict = false) =>
  importInstrumentBuffer(await buildXlsform(sheets), 'form.xlsx', { strict });
const elementsOf = (json: Parameters<typeof walkElements>[0]) =>
  Object.fromEntries(walkElements(json).map((s) => [s.element.name, s.element]));

describe('XLSForm syntax pyxform accepts, and the constructs carried', () => {
  it('reads old type names, or_other, booleans, ; parameters, choice filters, repeats and piping', async () => {
    const { json } = await importSheets(FORM);
    const el = elementsOf(json);
    expect(el.country).toMatchObject({ type: 'radiogroup', showOtherItem: true, isRequired: true });
    expect(
      (el.city!.choices as { value: string; visibleIf?: string }[]).map((c) => [c.value, c.visibleIf]),
    ).toEqual([
      ['paris', "'fr' = {country}"],
      ['lyon', "'fr' = {country}"],
      ['berlin', "'de' = {country}"],
    ]);
    expect(el.score).toMatchObject({ type: 'rating', rateMin: 1, rateMax: 5, rateStep: 1 });
    expect(el.hello).toMatchObject({
      type: 'html',
      visibleIf: '{name} notempty',
      html: { default: 'Hello {name}' },
    });
    expect(el.nick?.visible).toBe(false);
    expect(el.zip?.validators).toEqual([
      {
        type: 'expression',
        expression: "{zip} empty or (regexMatch('^[0-9]{5}$', {zip}) and strLength({zip}) = 5)",
      },
    ]);
    expect(el.visit?.defaultValueExpression).toBe('today()');
    expect(el.kids_n).toMatchObject({ defaultValue: 2, isRequired: true });
    expect(el.kids).toMatchObject({ type: 'paneldynamic', panelCount: 1 });
    expect(
      (el.kids!.templateElements as { name: string; visibleIf?: string }[]).map((e) => [e.name, e.visibleIf]),
    ).toEqual([
      ['kid_name', undefined],
      ['kid_school', '{panel.kid_name} notempty'],
    ]);
    expect(el.photos).toBeUndefined();
  });

  it('reports each loss per question, does not count a dropped repeat, keeps later references to a question with a note', async () => {
    const { report } = await importSheets(FORM);
    expect(report.notCarried.map((n) => [n.where, n.attribute])).toEqual([
      ['list yesno', 'name'],
      ['question phone', 'type'],
      ['question building', 'type'],
      ['question name', 'appearance'],
      ['question photo', 'type'],
      ['question photos', 'type'],
    ]);
    expect(report.notCarried[2]?.message).toMatch(/"osm buildings" has no Cairnet equivalent/);
    expect(report.questions).toBe(11);
    expect(report.languages).toEqual(['de', 'en']);
  });

  it('runs the cascade in survey-core and drops a filtered-out city on the server', async () => {
    const { json } = await importSheets(FORM);
    const model = new Model(json);
    model.setValue('country', 'de');
    const city = model.getQuestionByName('city') as unknown as { visibleChoices: { value: string }[] };
    expect(city.visibleChoices.map((c) => c.value)).toEqual(['berlin']);
    const out = validateAnswers(
      json as Record<string, unknown>,
      'xlsform-constructs',
      {
        country: 'other',
        'country-Comment': 'Italy',
        city: 'paris',
        kids_n: 1,
        kids: [{ kid_name: 'Ada', kid_school: 'yes' }],
      },
      { complete: true, locale: 'de' },
    );
    expect(out.data).toMatchObject({
      country: 'other',
      'country-Comment': 'Italy',
      kids: [{ kid_name: 'Ada', kid_school: 'yes' }],
    });
    expect(out.data.city).toBeUndefined();
    expect(out.dropped).toContain('city');
  });

  it('carries a loop over a list (pyxform) as a matrix: one row per choice, one column per question', async () => {
    const loop: XlsformSheets = {
      survey: [
        ['type', 'name', 'label::English (en)'],
        ['select_multiple toilet', 'toilets', 'Which toilets are there?'],
        ['begin loop over toilet', 'per_toilet', 'Each kind of toilet'],
        ['integer', 'number', 'How many %(label)s are on the premises?'],
        ['select_one yn', 'clean', 'Are the %(label)s clean?'],
        ['note', 'seen', 'Thanks'],
        ['end loop', '', ''],
        ['text', 'after', 'Anything else?'],
      ],
      choices: [
        ['list_name', 'name', 'label::English (en)'],
        ['toilet', 'pit', 'Pit latrine'],
        ['toilet', 'flush', 'Flush toilet'],
        ['yn', 'yes', 'Yes'],
        ['yn', 'no', 'No'],
      ],
    };
    const { json, report, instrument } = await importInstrumentBuffer(await buildXlsform(loop), 'loop.xlsx');
    const el = Object.fromEntries(walkElements(json).map((x) => [x.element.name, x.element]));
    expect(el.per_toilet).toMatchObject({
      type: 'matrixdropdown',
      rows: [
        { value: 'pit', text: 'Pit latrine' },
        { value: 'flush', text: 'Flush toilet' },
      ],
      columns: [
        { name: 'number', cellType: 'text', inputType: 'number', title: 'How many are on the premises?' },
        { name: 'clean', cellType: 'radiogroup', title: 'Are the clean?' },
      ],
    });
    expect(report.notCarried.map((n) => [n.where, n.attribute])).toEqual([
      ['question number', 'label'],
      ['question clean', 'label'],
      ['question seen', 'type'],
    ]);
    expect(report.questions).toBe(4);
    const answers = { toilets: ['pit'], per_toilet: { pit: { number: 2, clean: 'yes' } }, after: 'no' };
    expect(validateAnswers(json, instrument.hash, answers, { complete: true, locale: 'en' }).data).toEqual(
      answers,
    );
    expect(() =>
      validateAnswers(
        json,
        instrument.hash,
        { per_toilet: { ghost: { number: 1 } } },
        { complete: true, locale: 'en' },
      ),
    ).toThrow();
  });

  it('counts the rows holding values, not the used range a spreadsheet claims', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('survey');
    ws.addRow(['type', 'name', 'label']);
    ws.addRow(['text', 'q1', 'Q1']);
    ws.getCell('C1048576').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const { report } = await importInstrumentBuffer(bytes, 'wide.xlsx');
    expect(report.questions).toBe(1);
  });

  it('refuses an Excel 97-2003 .xls with a clear code, and a broken quote naming its question', async () => {
    const xls = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(512),
    ]);
    await expect(importInstrumentBuffer(xls, 'old.xls')).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_XLS_LEGACY',
      message: expect.stringMatching(/save it as \.xlsx/),
    });
    const broken = structuredClone(FORM);
    broken.survey!.push(row('text', 'oops', 'Oops', { relevant: "${name} = 'x" }));
    await expect(importSheets(broken)).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_EXPRESSION_INVALID',
      details: [expect.objectContaining({ where: 'question oops', attribute: 'relevant' })],
    });
  });
});
