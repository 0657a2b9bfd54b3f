import { describe, expect, it } from 'vitest';
import { formatPercent } from '../../src/report/number-format.js';
import { phraseCount, phraseProportion, phraseRatio } from '../../src/report/phrase-rules.js';

describe('phrasing a proportion', () => {
  it('says "four out of five" when the estimate rounds to 80% within 1.5 points and the interval holds 0.8', () => {
    expect(phraseProportion(0.8126, [0.7808, 0.8407], 'en', 'researchers')).toEqual({
      text: 'four out of five researchers',
      rule: 'fraction',
    });
    expect(phraseProportion(0.8126, [0.7808, 0.8407], 'fr', 'chercheurs').text).toBe(
      'quatre chercheurs sur cinq',
    );
    expect(phraseProportion(0.8126, [0.7808, 0.8407], 'en').text).toBe('four out of five');
  });

  it('falls back to the percentage when the estimate is more than 1.5 points away', () => {
    expect(phraseProportion(0.82, [0.79, 0.85], 'en', 'researchers')).toEqual({
      text: '82% of researchers',
      rule: 'percent',
    });
    expect(phraseProportion(0.7005, [0.664, 0.734], 'fr').text).toBe('70\u202f%');
  });

  it('falls back to the percentage when the interval excludes the fraction, however close', () => {
    // a very large sample: 0.81 ± 0.002 does not contain 0.8
    expect(phraseProportion(0.81, [0.808, 0.812], 'en').rule).toBe('percent');
  });

  it('says "two thirds" and "half" by the same rule', () => {
    expect(phraseProportion(0.6673, [0.626, 0.706], 'en').text).toBe('two thirds');
    expect(phraseProportion(0.5008, [0.462, 0.539], 'en', 'researchers').text).toBe('half of researchers');
    expect(phraseProportion(0.5008, [0.462, 0.539], 'fr', 'chercheurs').text).toBe(
      'la moitié des chercheurs',
    );
  });

  it('says "more than half" or "less than half" only when the whole interval is on that side', () => {
    expect(phraseProportion(0.5515, [0.513, 0.589], 'en').text).toBe('more than half');
    expect(phraseProportion(0.4518, [0.41, 0.494], 'fr', 'chercheurs').text).toBe(
      'moins de la moitié des chercheurs',
    );
    expect(phraseProportion(0.54, [0.48, 0.6], 'en').rule).toBe('percent');
    expect(phraseProportion(0.95, [0.93, 0.97], 'en').rule).toBe('percent');
  });

  it('never phrases without an interval except as a percentage', () => {
    expect(phraseProportion(0.8, null, 'en').text).toBe('80%');
  });
});

describe('phrasing a count and a ratio', () => {
  it('says "more than 400" for 481 distinct names, and the count itself below 100 or on a round number', () => {
    expect(phraseCount(481, 'en')).toEqual({ text: 'more than 400', rule: 'more-than' });
    expect(phraseCount(481, 'fr').text).toBe('plus de 400');
    expect(phraseCount(1234, 'en').text).toBe('more than 1,000');
    expect(phraseCount(400, 'en').text).toBe('400');
    expect(phraseCount(87, 'en').text).toBe('87');
  });

  it('says a ratio by its direction, with the words of the multiple only when honest', () => {
    expect(phraseRatio(2.02, [1.7, 2.4], 'en')).toEqual({ text: 'twice as often as', rule: 'multiple' });
    expect(phraseRatio(2.02, [1.7, 2.4], 'fr').text).toBe('deux fois plus souvent que');
    expect(phraseRatio(1.9, [1.55, 2.21], 'en')).toEqual({
      text: 'nearly twice as often as',
      rule: 'nearly-multiple',
    });
    expect(phraseRatio(1.9, [1.55, 2.21], 'fr').text).toBe('presque deux fois plus souvent que');
    expect(phraseRatio(2.2, [2.05, 2.4], 'en').text).toBe('more than twice as often as');
    expect(phraseRatio(2.2, [1.8, 2.6], 'en')).toEqual({ text: '2.2 times as often as', rule: 'ratio' });
    expect(phraseRatio(1.4, [1.2, 1.6], 'fr').text).toBe('1,4 fois plus souvent que');
    expect(phraseRatio(0.8, [0.7, 0.9], 'en')).toEqual({ text: 'less often than', rule: 'less-often' });
    expect(phraseRatio(0.8, [0.7, 0.9], 'fr').text).toBe('moins souvent que');
    expect(phraseRatio(0.52, [0.4, 0.65], 'en').text).toBe('half as often as');
    expect(phraseRatio(1.04, [0.9, 1.2], 'en').text).toBe('about as often as');
    expect(phraseRatio(1.5, [0.95, 2.3], 'en').rule).toBe('unsettled');
  });
});

describe('percentages', () => {
  it('follow each language (81% / 81 %) and keep a decimal rather than print 0% or 100% for a non-zero share', () => {
    expect(formatPercent(0.8126, 'en')).toBe('81%');
    expect(formatPercent(0.8126, 'fr')).toBe('81\u202f%');
    expect(formatPercent(0.003, 'en')).toBe('0.3%');
    expect(formatPercent(0.998, 'en')).toBe('99.8%');
  });
});
