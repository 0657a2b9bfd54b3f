import { describe, expect, it } from 'vitest';
import { CairnetError } from '../../src/errors.js';
import { assertBoundNumbers, findUnboundNumbers } from '../../src/report/bound-numbers.js';

const ids = ['F2', 'F10'];
const numbers = (html: string) => findUnboundNumbers(html, ids).map((u) => u.number);

describe('the bound-number check', () => {
  it('accepts numbers inside an element whose data-indicator names an indicator, however deep', () => {
    expect(
      numbers(
        '<p><span data-indicator="F2">81%</span> and <section data-indicator="F10"><td><b>67%</b></td></section></p>',
      ),
    ).toEqual([]);
  });

  it('finds a number outside any indicator, and one bound to an unknown indicator', () => {
    expect(numbers('<p>GRAM has 20 members</p>')).toEqual(['20']);
    const [u] = findUnboundNumbers('<p><span data-indicator="F99">12%</span></p>', ids);
    expect(u).toMatchObject({ number: '12', unknownSource: 'F99' });
  });

  it('excepts years, written dates, <time>, page numbers, <code> and quoted questionnaire wording', () => {
    expect(
      numbers(
        '<p>In 2012, Paris, 30 January 2013, le 1er février 2013, 2013-01-30, <time datetime="x">12/03</time>, <span data-page>3</span>, <code>age_50_54</code>, indicator F2, <td data-quote="instrument">50–55 ans</td></p>',
      ),
    ).toEqual([]);
  });

  it('reads text only: attributes, comments, styles are not checked; entities are decoded', () => {
    expect(numbers('<svg width="300"><!-- 12 --><style>a{margin:3px}</style><rect x="4"/></svg>')).toEqual(
      [],
    );
    expect(numbers('<p>&#52;&#50; rooms, l&#39;enquête</p>')).toEqual(['42']);
  });

  it('does not take a decimal year-like number or a thousand for a year', () => {
    expect(numbers('<p>2012.5 and 1,999</p>')).toEqual(['2012.5', '1,999']);
  });

  it('refuses with CAIRNET_PUBLISH_UNBOUND_NUMBER and says where', () => {
    try {
      assertBoundNumbers('<p>GRAM has 20 members</p>', ids, 'press release');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CairnetError);
      expect((e as CairnetError).code).toBe('CAIRNET_PUBLISH_UNBOUND_NUMBER');
      expect((e as CairnetError).message).toContain('"20" in "GRAM has 20 members"');
    }
  });
});
