import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import {
  importInstrumentBuffer,
  importInstrumentFile,
} from '../../src/instrument/importers/import-instrument.js';
import { translateLss } from '../../src/instrument/importers/limesurvey/lss-expression.js';
import { walkElements } from '../../src/instrument/walk-elements.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/imports');
const LSS = readFileSync(join(FIXTURES, 'researchers.lss'), 'utf8');
const importText = (xml: string) => importInstrumentBuffer(Buffer.from(xml), 'x.lss');
const elementsOf = (json: Parameters<typeof walkElements>[0]) =>
  Object.fromEntries(walkElements(json).map((s) => [s.element.name, s.element]));

describe('LimeSurvey expressions', () => {
  const resolve = (name: string) =>
    name === 'M_SQ1'
      ? ({ kind: 'choice', question: 'M', code: 'SQ1' } as const)
      : name === 'A_R1'
        ? ({ kind: 'row', question: 'A', code: 'R1' } as const)
        : ['Q1', 'Q2', 'M', 'A'].includes(name)
          ? ({ kind: 'question', question: name } as const)
          : ({ kind: 'unknown' } as const);
  const tr = (s: string) => translateLss(s, resolve).expression;

  it('translates comparisons, logic, emptiness, boxes and array rows', () => {
    expect(tr('Q1 == "A1"')).toBe("{Q1} = 'A1'");
    expect(tr('Q1.NAOK == "A1" and Q2 > 3')).toBe("{Q1} = 'A1' and {Q2} > 3");
    expect(tr('{Q1 eq "x" || !is_empty(Q2)}')).toBe("{Q1} = 'x' or !({Q2} empty)");
    expect(tr('M_SQ1 == "Y"')).toBe("({M} contains 'SQ1')");
    expect(tr('M_SQ1 != "Y"')).toBe("!({M} contains 'SQ1')");
    expect(tr('A_R1 == "agree"')).toBe("{A.R1} = 'agree'");
    expect(tr('1')).toBe('true');
  });

  it('refuses unknown names, broken text and functions SurveyJS lacks', () => {
    expect(() => tr('ghost == 1')).toThrow(expect.objectContaining({ kind: 'reference' }));
    expect(() => tr('Q1 == ')).toThrow(expect.objectContaining({ kind: 'syntax' }));
    expect(() => tr('Q1 == "open')).toThrow(expect.objectContaining({ kind: 'syntax' }));
    expect(() => tr('strtoupper(Q1) == "X"')).toThrow(expect.objectContaining({ kind: 'unsupported' }));
    expect(() => tr('Q1.relevanceStatus == 1')).toThrow(expect.objectContaining({ kind: 'unsupported' }));
  });

  it('weakens a relevance only by leaving out parts of an and, never where that would strengthen it', () => {
    const weak = (s: string) => translateLss(s, resolve, null, { weaken: true });
    expect(weak('Q1 == "A1" and strtoupper(Q2) == "X"')).toMatchObject({
      expression: "{Q1} = 'A1'",
      dropped: [{ part: 'strtoupper(Q2) == "X"', reason: expect.stringMatching(/strtoupper\(\)/) }],
    });
    // An unknown name is left out too; an "or" group stays whole; a comparison goes as one part.
    expect(
      weak('ghost == 1 && (Q1 == 1 || Q2 == 2) && (Q2 + strtoupper(Q1)) > 3 && M_SQ1 == "Y"'),
    ).toMatchObject({
      expression: "({Q1} = 1 or {Q2} = 2) and ({M} contains 'SQ1')",
      dropped: [{ part: 'ghost == 1' }, { part: '(Q2 + strtoupper(Q1)) > 3' }],
    });
    // Inside parentheses that stand as a condition, the inner and is weakened.
    expect(weak('Q1 == 1 or (Q2 == 2 and ghost == 3)').expression).toBe('{Q1} = 1 or ({Q2} = 2)');
    // Never under a "not", in an "or" branch left empty, in a function's arguments, nor when nothing is left.
    for (const strongerOrUnknown of [
      '!(Q1 == 1 and ghost == 2)',
      'Q1 == 1 or ghost == 2',
      'if(Q1 == 1 and ghost == 2, 1, 0) == 1',
      'Q2 > -(ghost and Q1)',
      'ghost == 1 and strtoupper(Q1) == "X"',
    ])
      expect(() => weak(strongerOrUnknown), strongerOrUnknown).toThrow(
        expect.objectContaining({ unsupported: true }),
      );
    // A broken text is an error, weakened or not.
    expect(() => weak('Q1 == 1 and Q2 == "open')).toThrow(expect.objectContaining({ kind: 'syntax' }));
    // Without weaken (a validation, an equation), the whole expression goes.
    expect(() => tr('Q1 == "A1" and strtoupper(Q2) == "X"')).toThrow(/strtoupper/);
    // Each kept condition still runs in survey-core.
    const model = new Model({
      elements: [
        { type: 'text', name: 'Q1' },
        { type: 'text', name: 'Q2', visibleIf: weak('Q1 == "A1" and strtoupper(Q1) == "A1"').expression },
      ],
    });
    expect(model.getQuestionByName('Q2').isVisible).toBe(false);
    model.setValue('Q1', 'A1');
    expect(model.getQuestionByName('Q2').isVisible).toBe(true);
  });

  it('translates the Expression Manager: suffixes, self/that, functions, Other and string tests', () => {
    const withOther = (name: string) =>
      name === 'Q1_other'
        ? ({ kind: 'comment', question: 'Q1' } as const)
        : name === 'A_R1_C2'
          ? ({ kind: 'row', question: 'A', code: 'R1.C2' } as const)
          : resolve(name);
    const t = (s: string, self: string | null = null) => translateLss(s, withOther, self).expression;
    expect(t('Q1.valueNAOK == "A1" && Q2.shown != ""')).toBe(
      "{Q1} = 'A1' and isAnswered(displayValue('Q2'))",
    );
    expect(t('count(that.M.NAOK) >= 2 and sum(Q1, Q2) > 3')).toBe(
      'countAnswered({M}) >= 2 and sumAnswered({Q1}, {Q2}) > 3',
    );
    expect(t('is_empty(self.NAOK) or regexMatch("/^[0-9]+$/", self)', 'Q2')).toBe(
      "{Q2} empty or regexMatch('/^[0-9]+$/', {Q2})",
    );
    expect(t('Q1 == "-oth-" and !is_empty(Q1_other)')).toBe("{Q1} = 'other' and !({Q1-Comment} empty)");
    expect(t('Q1 == " "')).toBe('{Q1} empty');
    expect(t('if(strlen(Q1) > 3, intval(Q2), 0) + A_R1_C2 > 1')).toBe(
      'iif(strLength({Q1}) > 3, toInt({Q2}), 0) + {A.R1.C2} > 1',
    );
    expect(t('count(M_SQ1, Q2)')).toBe("countAnswered(iif(({M} contains 'SQ1'), 'Y', ''), {Q2})");
    expect(t('not (Q1 eq "x")')).toBe("!(({Q1} = 'x'))");
  });
});

describe('LimeSurvey import', () => {
  it('turns groups into pages and questions into SurveyJS questions in both languages', async () => {
    const { json, report, instrument } = await importInstrumentFile(join(FIXTURES, 'researchers.lss'));
    expect(json.title).toEqual({ default: 'Researchers and associations', fr: 'Chercheurs et associations' });
    expect(json.pages?.map((p) => p.name)).toEqual(['group_1', 'group_2']);
    expect(json.pages?.[1]?.visibleIf).toBe("{Q3} = 'Y'");
    const el = elementsOf(json);
    expect(el.Q1).toMatchObject({
      type: 'radiogroup',
      isRequired: true,
      title: { default: 'Your status', fr: 'Votre statut' },
    });
    expect(el.Q1?.choices).toEqual([
      { value: 'A1', text: { default: 'Inserm researcher', fr: 'Chercheur Inserm' } },
      { value: 'A2', text: { default: 'Academic', fr: 'Universitaire' } },
      { value: 'A3', text: { default: 'Other', fr: 'Autre' } },
    ]);
    expect(el.Q4).toMatchObject({
      type: 'text',
      inputType: 'number',
      description: { default: 'In years', fr: 'En années' },
    });
    expect(el.Q3?.choices).toHaveLength(2);
    expect(el.Q2).toMatchObject({ type: 'checkbox', visibleIf: '!({Q4} empty) and {Q4} > 2' });
    expect(el.Q5?.visibleIf).toBe("({Q2} contains 'SQ002') or {Q1} = 'A3'");
    expect(el.Q7).toMatchObject({ type: 'matrix' });
    expect((el.Q7!.columns as { value: string }[]).map((c) => c.value)).toEqual(['disagree', 'agree']);
    expect(el.Q8).toMatchObject({ type: 'html', visibleIf: "{Q7.R1} = 'agree'" });
    expect(el.Q10_papers).toMatchObject({ inputType: 'number' });
    expect(report.languages).toEqual(['fr', 'en']);
    expect(el.Q2).toMatchObject({ showOtherItem: true });
    expect(el.Q9).toMatchObject({ type: 'ranking' });
    expect((el.Q9!.choices as { value: string }[]).map((c) => c.value)).toEqual(['teaching', 'research']);
    expect(report.notCarried.map((n) => [n.where, n.attribute])).toEqual([
      ['question Q10', 'type'],
      ['survey', 'welcometext'],
    ]);
    expect(instrument.codebook.variables.map((v) => v.name)).toContain('Q7_R1');
  });

  it('keeps every text plain: scripts, event handlers and links are gone', async () => {
    const { json, report } = await importInstrumentFile(join(FIXTURES, 'researchers.lss'));
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/<script|onerror|javascript:|<img|<a |<b>|<p>|<i>/i);
    const el = elementsOf(json);
    expect(el.Q8?.html).toEqual({ default: 'Thank you! more', fr: 'Merci !' });
    expect((el.Q1!.choices as { text: unknown }[])[2]?.text).toEqual({ default: 'Other', fr: 'Autre' });
    expect(report.sanitised.length).toBeGreaterThanOrEqual(4);
  });

  it('runs the translated relevance in survey-core', async () => {
    const { json } = await importInstrumentFile(join(FIXTURES, 'researchers.lss'));
    const model = new Model(json);
    model.data = { Q1: 'A1', Q4: 5, Q3: 'Y', Q2: ['SQ001'] };
    expect(model.getQuestionByName('Q5').isVisible).toBe(false);
    model.setValue('Q2', ['SQ002']);
    expect(model.getQuestionByName('Q5').isVisible).toBe(true);
    model.setValue('Q4', 1);
    expect(model.getQuestionByName('Q2').isVisible).toBe(false);
  });

  it('reads the older layout, with texts in the rows and legacy conditions', async () => {
    const { json } = await importInstrumentFile(join(FIXTURES, 'legacy-conditions.lss'));
    const el = elementsOf(json);
    expect(el.contact).toMatchObject({ type: 'radiogroup', title: 'How often do you meet associations?' });
    expect(el.details?.visibleIf).toBe("(({contact} = 'A1' or {contact} = 'A2'))");
  });

  it('refuses broken XML, DTDs and files that are not surveys', async () => {
    await expect(importText(LSS.slice(0, LSS.length / 2))).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_MALFORMED',
    });
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><document>&b;</document>';
    await expect(importText(bomb)).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_MALFORMED',
      message: expect.stringMatching(/DTD/),
    });
    await expect(importText('<html><body>hello</body></html>')).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_MALFORMED',
    });
    await expect(
      importText(LSS.replace('<LimeSurveyDocType>Survey', '<LimeSurveyDocType>Group')),
    ).rejects.toMatchObject({ code: 'CAIRNET_IMPORT_MALFORMED' });
  });

  it('reads a file that begins with a byte-order mark, and points a .lsa archive to its .lss', async () => {
    const { report } = await importInstrumentBuffer(Buffer.from(`\uFEFF${LSS}`), 'x.lss');
    expect(report.format).toBe('limesurvey');
    await expect(importInstrumentBuffer(Buffer.from('PK\u0003\u0004'), 'survey.lsa')).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_FORMAT_UNKNOWN',
      message: expect.stringMatching(/extract its \.lss/),
    });
  });

  it('drops and reports an unknown question type', async () => {
    const { json, report } = await importText(
      LSS.replace('<type>T</type><title>Q6</title>', '<type>Z</type><title>Q6</title>'),
    );
    expect(elementsOf(json).Q6).toBeUndefined();
    expect(report.notCarried).toContainEqual({
      where: 'question Q6',
      attribute: 'type',
      message: expect.stringMatching(/"Z" is not a LimeSurvey question type/),
    });
  });

  it('drops circular and unknown-question relevance (reported); refuses broken ones, all at once', async () => {
    const circular = LSS.replace(
      '<title>Q4</title><preg></preg><other>N</other><mandatory>N</mandatory><question_order>2</question_order><scale_id>0</scale_id><same_default>0</same_default><relevance><![CDATA[1]]>',
      '<title>Q4</title><preg></preg><other>N</other><mandatory>N</mandatory><question_order>2</question_order><scale_id>0</scale_id><same_default>0</same_default><relevance><![CDATA[Q5 == "x"]]>',
    );
    const { report } = await importText(circular);
    expect(report.notCarried).toContainEqual(
      expect.objectContaining({
        attribute: 'relevance',
        message: expect.stringMatching(/depends on itself/),
      }),
    );
    const broken = LSS.replace('Q7_R1 == "agree"', 'Q7_R1 == == "agree"').replace(
      'Q2_SQ002 == "Y" || Q1 == "A3"',
      'Q2_SQ002 == "Y || Q1 == "A3"',
    );
    await expect(importText(broken)).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_EXPRESSION_INVALID',
      details: [
        expect.objectContaining({ where: 'question Q5', attribute: 'relevance' }),
        expect.objectContaining({ where: 'question Q8', attribute: 'relevance' }),
      ],
    });
    const unknown = await importText(LSS.replace('Q7_R1 == "agree"', 'QX == "agree"'));
    expect(unknown.report.notCarried).toContainEqual({
      where: 'question Q8',
      attribute: 'relevance',
      message: expect.stringMatching(/"QX" is not a carried question.*always shown/),
    });
    expect(elementsOf(unknown.json).Q8?.visibleIf).toBeUndefined();
  });

  it('refuses hostile question codes', async () => {
    await expect(
      importText(LSS.replace('<title>Q6</title>', '<title><![CDATA[<svg onload=alert(1)>]]></title>')),
    ).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_INVALID',
    });
  });
});
