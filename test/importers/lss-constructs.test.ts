import { Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import '../../src/instrument/expression-functions.js';
import { importInstrumentBuffer } from '../../src/instrument/importers/import-instrument.js';
import { walkElements } from '../../src/instrument/walk-elements.js';
import { validateAnswers } from '../../src/responses/validate-answers.js';
import { buildLss, CONSTRUCTS } from '../fixtures/imports/lss-builder.js';

const importLss = (xml: string, strict = false) =>
  importInstrumentBuffer(Buffer.from(xml), 'constructs.lss', { strict });
const elementsOf = (json: Parameters<typeof walkElements>[0]) =>
  Object.fromEntries(walkElements(json).map((s) => [s.element.name, s.element]));

describe('LimeSurvey constructs carried over', () => {
  it('carries filters, Other, comments, defaults, hidden questions, equations, piping, ranking and arrays', async () => {
    const { json } = await importLss(buildLss(CONSTRUCTS));
    const el = elementsOf(json);
    expect(json.locale).toBe('de');
    expect(el.fruits).toMatchObject({ type: 'checkbox', showOtherItem: true });
    expect(el.liked?.choicesVisibleIf).toBe('({fruits} contains {item})');
    expect((el.liked!.choices as { visibleIf?: string }[])[2]?.visibleIf).toBe('{age} > 50');
    expect(el.age?.defaultValue).toBe(30);
    expect(el.panel).toMatchObject({ visible: false, clearIfInvisible: 'none', defaultValue: 'wave-A' });
    expect(el.half).toMatchObject({ type: 'expression', expression: 'round({age} / 2, 1)' });
    expect(el.greet?.html).toEqual({
      default: 'You are {age} years old, ',
      de: 'Sie sind {age} Jahre alt, ',
    });
    expect(el.diet).toMatchObject({
      showCommentArea: true,
      visibleIf: '{age} >= 18 and countAnswered({fruits}) >= 1',
    });
    expect(el.order?.type).toBe('ranking');
    expect(el.kg).toMatchObject({
      type: 'matrixdropdown',
      columns: [{ name: 'c1', choices: [0, 1, 2, 3] }, { name: 'c2' }],
    });
    expect(el.dual).toMatchObject({ type: 'matrixdropdown', columns: [{ name: '0' }, { name: '1' }] });
  });

  it('reports every loss per question and attribute, and --strict refuses them all', async () => {
    const { report, instrument } = await importLss(buildLss(CONSTRUCTS));
    expect(report.notCarried.map((n) => [n.where, n.attribute])).toEqual([
      ['question liked', 'prefix'],
      ['question why', 'relevance'],
      ['question greet', 'piping'],
    ]);
    // The relevance of "why" keeps the part it can carry: weaker, shown more often, and said so.
    expect(report.notCarried[1]?.message).toBe(
      '"strtoupper(diet) == "A1"" not carried (the function strtoupper() has no SurveyJS equivalent): left out of the condition "fruits_other != "" and strtoupper(diet) == "A1"", which is weaker: the question is shown more often',
    );
    expect(elementsOf(instrument.json).why?.visibleIf).toBe('{fruits-Comment} notempty');
    expect(report.languages).toEqual(['de', 'en']);
    expect(instrument.codebook.variables.map((v) => v.name)).toEqual(
      expect.arrayContaining([
        'fruits_other',
        'diet_comment',
        'order__a',
        'kg_r1_c1',
        'dual_r1_1',
        'half',
        'panel',
      ]),
    );
    await expect(importLss(buildLss(CONSTRUCTS), true)).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_NOT_CARRIED',
      details: report.notCarried,
    });
  });

  it('does not report attributes left at their defaults', async () => {
    const spec = structuredClone(CONSTRUCTS);
    spec.questions[0]!.attributes = {
      hide_tip: '0',
      random_order: '0',
      other_replace_text: '',
      statistics_showgraph: '1',
      cssclass: '',
    };
    const { report } = await importLss(buildLss(spec));
    expect(report.notCarried.filter((n) => n.where === 'question fruits')).toEqual([]);
  });

  it('runs in survey-core: a filter hides choices, a default fills, an equation computes', async () => {
    const { json } = await importLss(buildLss(CONSTRUCTS));
    const model = new Model(json);
    model.setValue('fruits', ['apple']);
    const liked = model.getQuestionByName('liked') as unknown as { visibleChoices: { value: string }[] };
    expect(liked.visibleChoices.map((c) => c.value)).toEqual(['apple']);
    expect(model.getValue('age')).toBe(30);
    expect(model.getValue('half')).toBe(15);
    model.setValue('age', 60);
    model.setValue('fruits', ['apple', 'kiwi']);
    expect(liked.visibleChoices.map((c) => c.value)).toEqual(['apple', 'kiwi']);
    expect(model.getQuestionByName('diet').isVisible).toBe(true);
  });

  it('validates on the server: hidden choices dropped, the hidden default and the equation set by the server', async () => {
    const { json } = await importLss(buildLss(CONSTRUCTS));
    const out = validateAnswers(
      json as Record<string, unknown>,
      'lss-constructs',
      {
        fruits: ['apple', 'other'],
        'fruits-Comment': 'mango',
        liked: ['apple', 'pear'],
        age: 30,
        panel: 'forged',
        half: 99,
        diet: 'A2',
        'diet-Comment': 'no meat',
        order: ['b', 'a'],
        kg: { r1: { c1: 2 } },
        dual: { r1: { '0': 'x', '1': 'y' } },
      },
      { complete: true, locale: 'de' },
    );
    expect(out.data).toMatchObject({
      liked: ['apple'],
      panel: 'wave-A',
      half: 15,
      'fruits-Comment': 'mango',
      'diet-Comment': 'no meat',
      order: ['b', 'a'],
      kg: { r1: { c1: 2 } },
    });
    expect(out.dropped).toContain('liked');
    expect(() =>
      validateAnswers(
        json as Record<string, unknown>,
        'lss-constructs',
        { order: ['z'] },
        { complete: false },
      ),
    ).toThrow(expect.objectContaining({ code: 'CAIRNET_RESPONSE_INVALID' }));
  });

  it('reads SGQA names, legacy piping and a survey made only of a dual-scale array', async () => {
    const only = buildLss({ ...CONSTRUCTS, questions: [CONSTRUCTS.questions[9]!], quotas: [] });
    const { json, report } = await importLss(only);
    expect(elementsOf(json).dual?.type).toBe('matrixdropdown');
    expect(report.notCarried).toEqual([]);
    const piped = structuredClone(CONSTRUCTS);
    piped.questions[5]!.text = { de: 'Alter: {INSERTANS:123456X1X13}', en: 'Age: {INSERTANS:123456X1X13}' };
    const { json: j2 } = await importLss(buildLss(piped));
    expect(elementsOf(j2).greet?.html).toEqual({ default: 'Age: {age}', de: 'Alter: {age}' });
  });
});

describe('a LimeSurvey ranking', () => {
  it('takes its items from subquestions when it has no answer options (LimeSurvey 3 exports)', async () => {
    const ranking = buildLss({
      languages: ['en'],
      title: { en: 'Ranking' },
      questions: [
        {
          qid: 1,
          type: 'R',
          code: 'rank',
          text: { en: 'Rank them' },
          sub: [
            { code: 'SQ01', text: { en: 'First' } },
            { code: 'SQ02', text: { en: 'Second' } },
          ],
        },
      ],
    });
    const { json, instrument, report } = await importLss(ranking);
    expect(elementsOf(json).rank).toMatchObject({
      type: 'ranking',
      choices: [
        { value: 'SQ01', text: 'First' },
        { value: 'SQ02', text: 'Second' },
      ],
    });
    expect(instrument.codebook.variables.map((v) => v.name)).toEqual(['rank__SQ01', 'rank__SQ02']);
    expect(report.notCarried).toEqual([]);
  });

  it('says when a list has no answer options in the source, rather than keeping it empty silently', async () => {
    const empty = buildLss({
      languages: ['en'],
      title: { en: 'Empty' },
      questions: [
        { qid: 1, type: 'L', code: 'pick', text: { en: 'Pick' } },
        { qid: 2, type: 'S', code: 'name', text: { en: 'Name' } },
      ],
    });
    const { report } = await importLss(empty);
    expect(report.notCarried).toEqual([
      {
        where: 'question pick',
        attribute: 'answers',
        message: 'the source gives no answer options: the question has none',
      },
    ]);
  });
});

describe('the languages of an imported questionnaire', () => {
  it('are its base language first, then the others; English only when a text is in English', async () => {
    const { instrumentLanguages } = await import('../../src/instrument/instrument-languages.js');
    const { json } = await importLss(buildLss(CONSTRUCTS));
    expect(instrumentLanguages(json)).toEqual(['de', 'en']);
    const deFr = buildLss({
      ...CONSTRUCTS,
      languages: ['de', 'fr'],
      title: { de: 'Obst', fr: 'Fruits' },
      questions: [{ qid: 1, type: 'S', code: 'q', text: { de: 'Frage', fr: 'Question' } }],
      quotas: [],
    });
    expect(instrumentLanguages((await importLss(deFr)).json)).toEqual(['de', 'fr']);
    expect(instrumentLanguages({ title: { default: 'T', fr: 'T fr' }, pages: [] })).toEqual(['en', 'fr']);
  });
});

describe('a LimeSurvey file whose every question is dropped', () => {
  it('says why it has no question left', async () => {
    const only = buildLss({
      ...CONSTRUCTS,
      questions: [{ qid: 1, type: '|', code: 'upload', text: { de: 'Datei', en: 'File' } }],
      quotas: [],
    });
    await expect(importLss(only)).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_INVALID',
      message: expect.stringMatching(
        /no questions.*1 thing\(s\) not carried, first question upload: question type "File upload"/,
      ),
    });
  });

  it('turns a piped expression into a calculated value shown in the text', async () => {
    const piped = structuredClone(CONSTRUCTS);
    piped.questions[5]!.text = { de: 'Hälfte: {round(age / 2, 1)}', en: 'Half: {round(age / 2, 1)}' };
    const { json } = await importLss(buildLss(piped));
    expect(elementsOf(json).greet?.html).toEqual({ default: 'Half: {pipe_1}', de: 'Hälfte: {pipe_1}' });
    expect(json.calculatedValues).toEqual([
      { name: 'pipe_1', expression: 'round({age} / 2, 1)', includeIntoResult: false },
    ]);
    const model = new Model(json);
    expect(
      model
        .getQuestionByName('greet')
        .processHtml(model.getQuestionByName('greet').locHtml.textOrHtml, 'html'),
    ).toContain('15');
  });
});

describe('the codebook of the carried constructs', () => {
  it('flattens Other texts, comments, ranks, matrix cells and equations into their own variables', async () => {
    const { flattenAnswers } = await import('../../src/instrument/flatten-answers.js');
    const { instrument } = await importLss(buildLss(CONSTRUCTS));
    const flat = flattenAnswers(instrument.codebook, {
      fruits: ['apple', 'other'],
      'fruits-Comment': 'mango',
      'diet-Comment': 'no meat',
      order: ['b', 'a'],
      kg: { r1: { c1: 2 } },
      dual: { r1: { '1': 'y' } },
      half: 15,
    });
    expect(flat).toMatchObject({
      fruits_other: 'mango',
      diet_comment: 'no meat',
      order__a: 2,
      order__b: 1,
      kg_r1_c1: 2,
      kg_r1_c2: null,
      dual_r1_0: null,
      dual_r1_1: 'y',
      half: 15,
    });
  });
});
