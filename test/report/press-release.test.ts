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
      '# Title\n\n{{F2 | Phrase:researchers}} ({{F2}}) of {{respondents}}; clinicians have them {{F10 | ratio}} others ({{F10.yes}} vs {{F10.no}}). Paris, {{date}}.';
    const md = renderPressRelease(planResults([f2, f10]), { lang: 'en', format: 'md', template, date });
    expect(md).toBe(
      '# Title\n\nFour out of five researchers (81%) of 651; clinicians have them nearly twice as often as others (67% vs 36%). Paris, 30 January 2013.\n',
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

  it('leaves out a sentence whose figure is suppressed; only the preview shows its placeholder, with a warning', () => {
    const small = proportion('F7', 0.04, [0.01, 0.12], 50, { suppressed: true, count: 2 });
    const template =
      '# T\n\n{{F2}} are in contact. {{F7}} / {{F7 | phrase}} / {{F7 | count}} / {{F7 | ci}} are young.';
    for (const format of ['md', 'html'] as const) {
      const out = renderPressRelease(planResults([f2, small]), { lang: 'en', format, template, date });
      const text = format === 'md' ? out : /<main>([\s\S]*)<\/main>/.exec(out)![1]!.replace(/<[^>]*>/g, '');
      expect(text).toContain('81% are in contact.');
      expect(text).not.toContain('young');
      expect(out).not.toContain('not published');
      const preview = renderPressRelease(planResults([f2, small]), {
        lang: 'en',
        format,
        template,
        date,
        preview: true,
      });
      const previewText =
        format === 'md'
          ? preview
          : /<main>([\s\S]*)<\/main>/.exec(preview)![1]!.replace(/<code>[\s\S]*?<\/code>|<[^>]*>/g, '');
      expect(previewText).toContain('[not published: too few respondents] / [not published');
      expect(previewText).toContain('Left out of the release');
      expect(previewText.replace(/`[^`]*`/g, '').replace(/81/g, '')).not.toMatch(/\d/);
    }
  });

  it('uses the alternative wording of a sentence whose figure is suppressed', () => {
    const small = proportion('F7', 0.04, [0.01, 0.12], 50, { suppressed: true, count: 2 });
    const md = renderPressRelease(planResults([f2, small]), {
      lang: 'en',
      format: 'md',
      template: '{{F7}} of the young. {{else}} Few of the young, {{F2}} of all. Next.',
      date,
    });
    expect(md).toBe('Few of the young, 81% of all. Next.\n');
  });

  it('says a ratio by its direction: under 1 is "less often", never "0.8 times more"', () => {
    const f10Low = proportion('F10', 0.3, [0.27, 0.33], 651, {
      by: 'clinical_activity',
      groups: [
        {
          group: 'yes',
          n: 100,
          count: 28,
          estimate: 0.28,
          ci: [0.2, 0.37],
          suppressed: false,
          fragile: false,
        },
        {
          group: 'no',
          n: 551,
          count: 193,
          estimate: 0.35,
          ci: [0.31, 0.39],
          suppressed: false,
          fragile: false,
        },
      ],
      test: [{ test: 'ratio', method: 'ratio', estimate: 0.8, ci: [0.7, 0.92], groups: ['yes', 'no'] }],
    });
    const template = 'Clinicians have ongoing relations {{F10 | ratio}} the others.';
    expect(renderPressRelease(planResults([f10Low]), { lang: 'en', format: 'md', template, date })).toBe(
      'Clinicians have ongoing relations less often than the others.\n',
    );
    const fr = renderPressRelease(planResults([f10Low]), {
      lang: 'fr',
      format: 'md',
      template: 'Les cliniciens ont une relation suivie {{F10 | ratio}} les autres.',
      date,
    });
    expect(fr).toBe('Les cliniciens ont une relation suivie moins souvent que les autres.\n');
    expect(fr).not.toMatch(/fois plus/);
  });

  it('leaves out a ratio whose cells are suppressed, or whose interval holds 1', () => {
    const hidden = { ...f10, groups: f10.groups!.map((g, i) => ({ ...g, suppressed: i === 0 })) };
    const unsettled = {
      ...f10,
      test: [{ ...f10.test![0]!, estimate: 1.4, ci: [0.9, 2.1] as [number, number] }],
    };
    for (const ind of [hidden, unsettled]) {
      const md = renderPressRelease(planResults([f2, ind]), {
        lang: 'en',
        format: 'md',
        template: '{{F2}} in contact. Clinicians do so {{F10 | ratio}} the others.',
        date,
      });
      expect(md).toBe('81% in contact.\n');
    }
  });

  it('says a figure once per sentence: a phrase that fell back to the percentage drops its echo', () => {
    const f19 = proportion('F19', 0.58, [0.39, 0.76], 24);
    const f19o = proportion('F19_ongoing', 0.7, [0.5, 0.85], 30);
    const md = renderPressRelease(planResults([f19, f19o]), {
      lang: 'fr',
      format: 'md',
      template:
        '{{F19 | phrase}} la rejettent ({{F19}}). {{F19 | phrase}} la rejettent ({{F19}} ; {{F19_ongoing}} des autres).',
      date,
    });
    expect(md).toBe('58\u202f% la rejettent. 58\u202f% la rejettent (70\u202f% des autres).\n');
  });

  it('prints a claim only when the interval supports it, and stops on a claim the estimate contradicts', () => {
    const template =
      '# Report\n\n## Few fear {{claim F18 > 50%}} {{else}} Their freedom\n\n{{F18}} disagree.';
    const render = (estimate: number, ci: [number, number]) =>
      renderPressRelease(planResults([proportion('F18', estimate, ci, 651)]), {
        lang: 'en',
        format: 'md',
        template,
        date,
      });
    expect(render(0.7, [0.66, 0.73])).toContain('## Few fear\n');
    expect(render(0.55, [0.45, 0.64])).toContain('## Their freedom\n');
    const e = failure(() => render(0.42, [0.38, 0.46]));
    expect(e.code).toBe('CAIRNET_PUBLISH_CLAIM_CONTRADICTED');
    expect(e.message).toContain('"F18 > 50%"');
    expect(e.message).toContain('Few fear');
    expect(e.message).toContain('42%');
    const young = proportion('F7', 0.6, [0.5, 0.7], 80);
    const old = proportion('F8', 0.3, [0.25, 0.35], 300);
    const grows = failure(() =>
      renderPressRelease(planResults([young, old]), {
        lang: 'fr',
        format: 'html',
        template: 'Les relations grandissent avec l’âge{{claim F7 < F8}} : {{F7}} contre {{F8}}.',
        date,
      }),
    );
    expect(grows.code).toBe('CAIRNET_PUBLISH_CLAIM_CONTRADICTED');
    expect(grows.message).toContain('F7 < F8');
  });

  it('takes the survey’s dates from its responses, not from the template', () => {
    const results = {
      ...planResults([f2]),
      fieldwork: { from: '2019-03-04T09:00:00Z', to: '2019-05-20T17:00:00Z' },
    };
    const template = 'Menée {{survey.period}} ({{survey.year}}).';
    expect(renderPressRelease(results, { lang: 'fr', format: 'md', template, date })).toBe(
      'Menée de mars à mai 2019 (2019).\n',
    );
    expect(
      renderPressRelease(results, { lang: 'en', format: 'md', template: 'Run {{survey.period}}.', date }),
    ).toBe('Run from March to May 2019.\n');
  });

  it('renders the Markdown fully in HTML: underscores and asterisks become emphasis', () => {
    const html = renderPressRelease(planResults([f2]), {
      lang: 'en',
      format: 'html',
      template:
        '_Each figure ({{F2}}) comes from the plan._ And **bold** and __strong__ and *it*; snake_case stays.',
      date,
    });
    const body = /<main>([\s\S]*)<\/main>/.exec(html)![1]!;
    expect(body).toContain(
      '<em>Each figure (<span data-indicator="F2">81%</span>) comes from the plan.</em>',
    );
    expect(body).toContain('<strong>strong</strong>');
    expect(body).toContain('snake_case stays');
    expect(body.replace(/<[^>]*>/g, '')).not.toMatch(/\*|(^|\s)_|_(\s|$)/);
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
