import { describe, expect, it } from 'vitest';
import { CairnetError } from '../../src/errors.js';
import { findUnboundNumbers } from '../../src/report/bound-numbers.js';
import { renderPressRelease } from '../../src/report/press-release.js';
import { planResults, proportion } from './plan-results-fixture.js';

const date = new Date('2013-01-30T10:00:00Z');
const f2 = proportion('F2', 0.8126, [0.7808, 0.8407], 651);
const f10 = proportion('F10', 0.4086, [0.371, 0.447], 651, {
  by: 'clinical_activity',
  groups: [
    { group: 'yes', n: 100, count: 67, estimate: 0.67, ci: [0.57, 0.75], suppressed: false, fragile: false },
    { group: 'no', n: 551, count: 199, estimate: 0.3612, ci: [0.32, 0.4], suppressed: false, fragile: false },
  ],
  test: [{ test: 'ratio', method: 'ratio', estimate: 1.855, ci: [1.55, 2.21], groups: ['yes', 'no'] }],
});

function failure(f: () => unknown): CairnetError {
  try {
    f();
  } catch (e) {
    if (e instanceof CairnetError) return e;
    throw e;
  }
  throw new Error('expected a CairnetError');
}

describe('the press release', () => {
  it('fills placeholders from the results, phrased by the rules, each figure bound in HTML', () => {
    const template =
      '# Title\n\n{{F2 | Phrase:researchers}} ({{F2}}) of {{respondents}}; clinicians are {{F10 | ratio}} ({{F10.yes}} vs {{F10.no}}). Paris, {{date}}.';
    const md = renderPressRelease(planResults([f2, f10]), { lang: 'en', format: 'md', template, date });
    expect(md).toBe(
      '# Title\n\nFour out of five researchers (81%) of 651; clinicians are twice as likely (67% vs 36%). Paris, 30 January 2013.\n',
    );
    const html = renderPressRelease(planResults([f2, f10]), { lang: 'en', format: 'html', template, date });
    expect(html).toContain('<span data-indicator="F2">Four out of five researchers</span>');
    expect(html).toContain('<span data-indicator="F10">67%</span>');
    expect(html).toContain('<time datetime="2013-01-30">30 January 2013</time>');
    expect(findUnboundNumbers(html, ['F2', 'F10'])).toEqual([]);
  });

  it('refuses a template that prints a number of its own', () => {
    const e = failure(() =>
      renderPressRelease(planResults([f2]), {
        lang: 'en',
        format: 'md',
        template: 'GRAM has 20 members; {{F2}}.',
        date,
      }),
    );
    expect(e.code).toBe('CAIRNET_PUBLISH_UNBOUND_NUMBER');
    expect(e.message).toContain('"20"');
  });

  it('accepts years and the wording of a population bound with define', () => {
    const md = renderPressRelease(planResults([f2]), {
      lang: 'en',
      format: 'md',
      template: 'In 2012, {{F2}} of those aged {{F2 | define:50 to 55}}.',
      date,
    });
    expect(md).toBe('In 2012, 81% of those aged 50 to 55.\n');
  });

  it('never prints a suppressed indicator as a number', () => {
    const small = proportion('F7', 0.04, [0.01, 0.12], 50, { suppressed: true, count: 2 });
    for (const format of ['md', 'html'] as const) {
      const out = renderPressRelease(planResults([small]), {
        lang: 'en',
        format,
        template: '{{F7}} / {{F7 | phrase}} / {{F7 | count}} / {{F7 | ci}}',
        date,
      });
      const text = format === 'md' ? out : /<main>([\s\S]*)<\/main>/.exec(out)![1]!.replace(/<[^>]*>/g, '');
      expect(text).not.toMatch(/\d/);
      expect(out).toContain('[not published: too few respondents]');
    }
  });

  it('names the line of an unknown indicator, group or filter', () => {
    const results = planResults([f2, f10]);
    for (const [template, message] of [
      ['ok\n{{F99}}', 'line 2: no indicator "F99"'],
      ['{{F10.maybe}}', 'no group or level "maybe"'],
      ['{{F2 | roughly}}', 'unknown filter "roughly"'],
      ['{{F2 | ratio}}', 'has no ratio test'],
      ['{{F2 }', 'malformed placeholder'],
    ] as const) {
      const e = failure(() => renderPressRelease(results, { lang: 'en', format: 'md', template, date }));
      expect(e.code).toBe('CAIRNET_PUBLISH_TEMPLATE_INVALID');
      expect(e.message).toContain(message);
    }
  });

  it('carries a synthetic-data banner when the results are synthetic', () => {
    const md = renderPressRelease(planResults([f2], true), {
      lang: 'fr',
      format: 'md',
      template: '{{F2}}',
      date,
    });
    expect(md).toMatch(/^> \*\*Données synthétiques\.\*\*/);
    const html = renderPressRelease(planResults([f2], true), {
      lang: 'en',
      format: 'html',
      template: '{{F2}}',
      date,
    });
    expect(html).toMatch(/<div class="synthetic-banner" role="note"><strong>Synthetic data\.<\/strong>/);
  });
});
