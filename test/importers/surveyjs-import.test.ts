import { describe, expect, it } from 'vitest';
import {
  importInstrumentBuffer,
  importInstrumentFile,
} from '../../src/instrument/importers/import-instrument.js';
import { plainText } from '../../src/instrument/importers/plain-text.js';
import { CAIRNET_SURVEY_PATH, loadCairnetInstrument } from '../../src/instrument/load-instrument.js';

const json = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('plain text of untrusted labels', () => {
  it('removes tags, scripts and entity-encoded tags, and keeps a lone "<"', () => {
    expect(plainText('<b>Âge</b><script>alert(1)</script> &lt; 30')).toBe('Âge < 30');
    expect(plainText('<scr<script>x</script>ipt>alert(1)</script>')).toBe('alert(1)');
    expect(plainText('&lt;img src=x onerror=alert(1)&gt;Hi')).toBe('Hi');
    expect(plainText('< 30 ans, 2 <3')).toBe('< 30 ans, 2 <3');
    expect(plainText('a<br>b</p>c\u0000\u202e')).toBe('a\nb\nc');
    expect(plainText('<style>body{}</style><!-- x -->ok')).toBe('ok');
  });
});

describe('SurveyJS JSON import', () => {
  it('keeps a valid questionnaire and makes its displayed strings plain text', async () => {
    const { json: out, report } = await importInstrumentBuffer(
      json({
        title: { default: 'T<script>x</script>', fr: 'T' },
        completedHtml: '<h3>Merci</h3><img src=x onerror=alert(1)>',
        pages: [
          {
            name: 'p',
            elements: [
              {
                type: 'radiogroup',
                name: 'q',
                title: '<i>Q</i>',
                choices: [{ value: 'a', text: '<b>A</b>' }],
              },
              { type: 'html', name: 'h', html: '<a href="javascript:alert(1)">x</a>' },
            ],
          },
        ],
      }),
      'x.json',
    );
    expect(out.title).toEqual({ default: 'T', fr: 'T' });
    expect(out.completedHtml).toBe('Merci');
    const [q, h] = out.pages![0]!.elements!;
    expect(q).toMatchObject({ title: 'Q', choices: [{ value: 'a', text: 'A' }] });
    expect(h?.html).toBe('x');
    expect(report.format).toBe('surveyjs');
    expect(report.sanitised.length).toBe(5);
  });

  it('imports the Cairnet questionnaire with the same codebook', async () => {
    const { instrument, report } = await importInstrumentFile(CAIRNET_SURVEY_PATH);
    const names = (vs: { name: string; levels: unknown[] }[]) => vs.map((v) => [v.name, v.levels]);
    expect(names(instrument.codebook.variables)).toEqual(names(loadCairnetInstrument().codebook.variables));
    expect(report.sanitised.every((n) => /completedHtml|\/html\//.test(n.where))).toBe(true);
  });

  it('refuses choice values that hold markup', async () => {
    const bad = json({
      pages: [
        {
          name: 'p',
          elements: [{ type: 'radiogroup', name: 'q', choices: ['ok', '<img src=x onerror=alert(1)>'] }],
        },
      ],
    });
    await expect(importInstrumentBuffer(bad, 'x.json')).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_INVALID',
    });
  });

  it('refuses broken JSON and invalid questionnaires', async () => {
    await expect(importInstrumentBuffer(Buffer.from('{"pages": ['), 'x.json')).rejects.toMatchObject({
      code: 'CAIRNET_IMPORT_MALFORMED',
    });
    await expect(
      importInstrumentBuffer(json({ pages: [{ elements: [{ type: 'teleport', name: 'x' }] }] }), 'x.json'),
    ).rejects.toMatchObject({ code: 'CAIRNET_INSTRUMENT_INVALID' });
  });
});
