// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Model } from 'survey-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  importInstrumentBuffer,
  importInstrumentFile,
  MAX_IMPORT_BYTES,
} from '../../src/instrument/importers/import-instrument.js';
import { walkElements } from '../../src/instrument/walk-elements.js';
import {
  buildXlsform,
  FULL_FORM,
  type XlsformCell,
  type XlsformSheets,
} from '../fixtures/imports/xlsform-builder.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/imports/researchers.xlsx');
const dir = mkdtempSync(join(tmpdir(), 'cairnet-xlsform-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The full form with some survey rows replaced or added. */
function variant(
  change: (survey: XlsformCell[][]) => void,
  sheets: Partial<XlsformSheets> = {},
): XlsformSheets {
  const survey = FULL_FORM.survey!.map((r) => [...r]);
  change(survey);
  return { ...FULL_FORM, survey, ...sheets };
}
const importSheets = async (sheets: XlsformSheets) =>
  importInstrumentBuffer(await buildXlsform(sheets), 'x.xlsx');

describe('XLSForm import', () => {
  it('turns groups into pages and questions into SurveyJS questions with both languages', async () => {
    const { json, instrument, report } = await importInstrumentFile(FIXTURE);
    expect(json.pages?.map((p) => p.name)).toEqual(['about', 'relations', 'page3']);
    const el = Object.fromEntries(walkElements(json).map((s) => [s.element.name, s.element]));
    expect(el.gender).toMatchObject({
      type: 'radiogroup',
      isRequired: true,
      title: { default: 'You are', fr: 'Vous êtes' },
    });
    expect(el.gender?.choices).toEqual([
      { value: 'woman', text: { default: 'A woman', fr: 'Une femme' } },
      { value: 'man', text: { default: 'A man', fr: 'Un homme' } },
    ]);
    expect(el.age).toMatchObject({ type: 'text', inputType: 'number', description: 'In years' });
    expect(el.activities).toMatchObject({
      type: 'checkbox',
      visibleIf: "{met} = 'yes'",
      requiredIf: "{met} = 'yes'",
    });
    expect(el.other_activity?.visibleIf).toBe("({activities} contains 'other')");
    expect(el.funding?.type).toBe('dropdown');
    expect(el.satisfaction).toMatchObject({ type: 'rating', rateMin: 1, rateMax: 5 });
    expect(el.remarks).toMatchObject({ type: 'comment', validators: [{ type: 'regex', regex: '^[^<>]*$' }] });
    expect(el.thanks_note).toMatchObject({
      type: 'html',
      html: { default: 'Thank you &amp; goodbye', fr: 'Merci' },
    });
    expect(el.assoc?.type).toBe('paneldynamic');
    expect(json.pages?.[1]?.visibleIf).toBe('{age} >= 18');
    expect(json.calculatedValues).toEqual([
      { name: 'is_adult', expression: "iif({age} >= 18, 'yes', 'no')", includeIntoResult: false },
    ]);
    expect(report.languages).toEqual(['en', 'fr']);
    expect(report.notCarried.map((n) => [n.where, n.attribute])).toEqual([
      ['question start', 'type'],
      ['question where', 'type'],
    ]);
    expect(instrument.codebook.variables.map((v) => v.name)).toContain('activities__boards');
  });

  it('keeps labels plain text: scripts and tags are gone and reported', async () => {
    const { json, report } = await importInstrumentFile(FIXTURE);
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/<script|<img|onerror|<b>/i);
    const el = Object.fromEntries(walkElements(json).map((s) => [s.element.name, s.element]));
    expect(el.activities?.title).toEqual({ default: 'Activities now', fr: 'Activités' });
    expect(report.sanitised.map((n) => n.where)).toEqual(['question activities', 'question thanks_note']);
  });

  it('runs its skip logic and constraints in survey-core', async () => {
    const { json } = await importInstrumentFile(FIXTURE);
    const model = new Model(json);
    model.data = { age: 40, met: 'no' };
    expect(model.getQuestionByName('activities').isVisible).toBe(false);
    model.setValue('met', 'yes');
    expect(model.getQuestionByName('activities').isVisible).toBe(true);
    model.setValue('activities', ['other']);
    expect(model.getQuestionByName('other_activity').isVisible).toBe(true);
    model.setValue('age', 12);
    expect(model.getQuestionByName('age').validate()).toBe(false);
    model.setValue('age', 30);
    expect(model.getQuestionByName('age').validate()).toBe(true);
  });

  it('refuses a workbook without a survey sheet', async () => {
    await expect(importSheets({ choices: FULL_FORM.choices })).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_MALFORMED',
      message: expect.stringMatching(/no "survey" sheet/),
    });
  });

  it('refuses a file that is not a workbook, and one of unknown format', async () => {
    await expect(
      importInstrumentBuffer(Buffer.from('PK\u0003\u0004 not a zip at all'), 'x.xlsx'),
    ).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_MALFORMED',
    });
    await expect(importInstrumentBuffer(Buffer.from('hello'), 'x.txt')).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_FORMAT_UNKNOWN',
    });
  });

  it('drops and reports an unknown question type; --strict refuses it', async () => {
    const sheets = variant((s) => s.push(['teleport', 'beam', 'Beam me up']));
    const { json, report } = await importSheets(sheets);
    expect(walkElements(json).some((e) => e.element.name === 'beam')).toBe(false);
    expect(report.notCarried).toContainEqual({
      where: 'question beam',
      attribute: 'type',
      message: expect.stringMatching(/"teleport" is not an XLSForm question type/),
    });
    await expect(
      importInstrumentBuffer(await buildXlsform(sheets), 'x.xlsx', { strict: true }),
    ).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_NOT_CARRIED',
      details: expect.arrayContaining([expect.objectContaining({ where: 'question beam' })]),
    });
  });

  it('drops circular relevance and reports it on the question', async () => {
    const sheets = variant((s) => {
      s.push(['text', 'ping', 'Ping', 'Ping', '', '', "${pong} = 'x'"]);
      s.push(['text', 'pong', 'Pong', 'Pong', '', '', "${ping} = 'x'"]);
    });
    const { json, report } = await importSheets(sheets);
    const circular = report.notCarried.filter((n) => /depends on itself/.test(n.message));
    expect(circular).toHaveLength(1);
    expect(circular[0]!.message).toMatch(/ping → pong → ping|pong → ping → pong/);
    const el = Object.fromEntries(walkElements(json).map((s) => [s.element.name, s.element]));
    expect([el.ping?.visibleIf, el.pong?.visibleIf].filter(Boolean)).toHaveLength(1);
  });

  it('refuses broken relevance with every broken cell at once; carries the rest', async () => {
    const broken = variant((s) => {
      s.push(['text', 'x1', 'X', 'X', '', '', "${met} = = 'yes'"]);
      s.push(['text', 'x5', 'X', 'X', '', '', "${met} = 'yes"]);
    });
    await expect(importSheets(broken)).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_EXPRESSION_INVALID',
      message: expect.stringMatching(/question x1 relevant.*and 1 more/),
      details: [
        expect.objectContaining({ where: 'question x1', attribute: 'relevant' }),
        expect.objectContaining({
          where: 'question x5',
          message: expect.stringMatching(/quote is not closed/),
        }),
      ],
    });
    const unknown = variant((s) => s.push(['text', 'x2', 'X', 'X', '', '', "${ghost} = 'yes'"]));
    const { report } = await importSheets(unknown);
    expect(report.notCarried).toContainEqual({
      where: 'question x2',
      attribute: 'relevant',
      message: expect.stringMatching(/"ghost".*always shown/),
    });
    const counted = variant((s) =>
      s.push([
        'text',
        'x3',
        'X',
        'X',
        '',
        '',
        'count-selected(${activities}) > 1 and string-length(${met}) > 0',
      ]),
    );
    const { json } = await importSheets(counted);
    const x3 = walkElements(json).find((e) => e.element.name === 'x3')?.element;
    expect(x3?.visibleIf).toBe('countSelected({activities}) > 1 and strLength({met}) > 0');
  });

  it('refuses hostile names and unclosed groups; reports a missing choice list', async () => {
    const name = variant((s) => s.push(['text', '<script>', 'X', 'X']));
    await expect(importSheets(name)).rejects.toMatchObject({ code: 'CAIRNET_IMPORT_INVALID' });
    const unclosed = variant((s) => s.push(['begin group', 'open_group', 'G', 'G']));
    await expect(importSheets(unclosed)).rejects.toMatchObject({ code: 'CAIRNET_IMPORT_MALFORMED' });
    const noList = variant((s) => s.push(['select_one nolist', 'x4', 'X', 'X']));
    const { report } = await importSheets(noList);
    expect(report.notCarried).toContainEqual({
      where: 'question x4',
      attribute: 'type',
      message: expect.stringMatching(/"nolist" is not in the choices sheet/),
    });
  });

  it('refuses a workbook that declares it would expand beyond the budget (a zip bomb), unread', async () => {
    const bytes = await buildXlsform(FULL_FORM);
    const sig = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
    for (let at = bytes.indexOf(sig); at >= 0; at = bytes.indexOf(sig, at + 4)) {
      bytes.writeUInt32LE(0x7fffffff, at + 24);
    }
    await expect(importInstrumentBuffer(bytes, 'bomb.xlsx')).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_TOO_LARGE',
      message: expect.stringMatching(/expand/),
    });
  });

  it('refuses files and sheets that are too large', async () => {
    const big = join(dir, 'big.xlsx');
    writeFileSync(big, Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x50));
    await expect(importInstrumentFile(big)).rejects.toMatchObject({ code: 'CAIRNET_IMPORT_TOO_LARGE' });
    const many = variant((s) => {
      for (let i = 0; i < 20_001; i++) s.push(['text', `q${i}`, 'Q', 'Q']);
    });
    await expect(importSheets(many)).rejects.toMatchObject({ code: 'CAIRNET_IMPORT_TOO_LARGE' });
  }, 120_000);
});
