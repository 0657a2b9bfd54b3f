// biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm references are written ${name}
import { describe, expect, it } from 'vitest';
import { translateXlsform } from '../../src/instrument/importers/xlsform/xlsform-expression.js';

const tr = (s: string) => translateXlsform(s, 'self_q').expression;

describe('XLSForm expressions', () => {
  it('translates references, comparisons and selected()', () => {
    expect(tr("${q} = 'x'")).toBe("{q} = 'x'");
    expect(tr("selected(${q}, 'x')")).toBe("({q} contains 'x')");
    expect(tr('${a} >= 18 and ${b} < 3.5 or ${c} != 2')).toBe('{a} >= 18 and {b} < 3.5 or {c} != 2');
  });

  it('translates not(), empty tests, the current answer and arithmetic', () => {
    expect(tr("not(${a} = 'yes')")).toBe("!({a} = 'yes')");
    expect(tr("${a} = ''")).toBe('{a} empty');
    expect(tr("${a} != ''")).toBe('{a} notempty');
    expect(tr('. > 0 and . <= 120')).toBe('{self_q} > 0 and {self_q} <= 120');
    expect(tr('(${a} + ${b}) div 2 mod 3 = 1')).toBe('({a} + {b}) / 2 % 3 = 1');
    expect(tr("if(${a} > 1, 'x', 'y') = 'x'")).toBe("iif({a} > 1, 'x', 'y') = 'x'");
  });

  it('translates ODK functions into registered ones, booleans and choice-filter columns', () => {
    expect(tr('count-selected(${a}) >= 2 and string-length(${b}) < 5')).toBe(
      'countSelected({a}) >= 2 and strLength({b}) < 5',
    );
    expect(tr("regex(${p}, '^[0-9]{5}$')")).toBe("regexMatch('^[0-9]{5}$', {p})");
    expect(tr('coalesce(${a}, 0) + int(${b}) + round(${c}, 2) > 1')).toBe(
      'coalesce({a}, 0) + toInt({b}) + round({c}, 2) > 1',
    );
    expect(tr('once(today()) != now()')).toBe('today() != currentDate()');
    expect(tr('true')).toBe('true');
    expect(
      translateXlsform('country = ${c}', null, { column: (n) => (n === 'country' ? "'fr'" : undefined) })
        .expression,
    ).toBe("'fr' = {c}");
    expect(translateXlsform('${x} > ${y}', 'y', { siblings: new Set(['y']) }).expression).toBe(
      '{x} > {panel.y}',
    );
  });

  it('lists the questions an expression reads', () => {
    expect(translateXlsform("${a} = 1 and selected(${b}, 'c')", null).references).toEqual(['a', 'b']);
  });

  it('refuses broken expressions and marks functions SurveyJS lacks as unsupported', () => {
    expect(() => tr('${a} = ')).toThrow(/ends too early/);
    expect(() => tr("${a} = 'x")).toThrow(/quote is not closed/);
    expect(() => tr("${a} = 'x")).toThrow(expect.objectContaining({ kind: 'syntax' }));
    expect(() => tr('${a} = 1 )')).toThrow(/unexpected/);
    expect(() => tr('jr:choice-name(${a}, "${a}") = 1')).toThrow(
      expect.objectContaining({ unsupported: true }),
    );
    expect(() => tr('ghost_column = 1')).toThrow(expect.objectContaining({ kind: 'reference' }));
    expect(() => translateXlsform('. > 1', null)).toThrow(/has no meaning/);
  });
});
