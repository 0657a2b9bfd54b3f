import { formatNumber, formatPercent, type Lang } from './number-format.js';

/**
 * The rules by which a number may be said in words. A phrase is used only when it is honest for
 * the estimate; otherwise the percentage (or the number) is printed.
 *
 * | rule | says | when |
 * |---|---|---|
 * | fraction | "four out of five", "two thirds", "half"… | the estimate is within {@link FRACTION_TOLERANCE} (1.5 points) of the fraction **and** its confidence interval contains it |
 * | more / less than half | "more than half", "less than half" | no fraction applies, the estimate is within 10 points of one half and the whole interval lies on one side of it |
 * | more than N | "more than 400" | a count of at least 100, said as more than its leading digit followed by zeros (481 → 400); a count equal to that is said as itself |
 * | ratio | "twice as often as", "nearly twice as often as", "less often than" | see {@link phraseRatio}: the direction always follows the estimate, and a ratio whose interval holds 1 (beyond "about as often") is not said |
 */
export interface FractionPhrase {
  value: number;
  /** With `{noun}` where the noun goes ("four out of five researchers"); without a noun, it is dropped. */
  en: string;
  fr: string;
}

export const FRACTION_TOLERANCE = 0.015;
export const MULTIPLE_TOLERANCE = 0.25;
/** How far from one half "more than half" / "less than half" may be said. */
export const HALF_QUALIFIER_RANGE = 0.1;

export const FRACTION_PHRASES: readonly FractionPhrase[] = [
  { value: 0.9, en: 'nine out of ten {noun}', fr: 'neuf {noun} sur dix' },
  { value: 0.8, en: 'four out of five {noun}', fr: 'quatre {noun} sur cinq' },
  { value: 0.75, en: 'three out of four {noun}', fr: 'trois {noun} sur quatre' },
  { value: 2 / 3, en: 'two thirds of {noun}', fr: 'deux tiers des {noun}' },
  { value: 0.5, en: 'half of {noun}', fr: 'la moitié des {noun}' },
  { value: 1 / 3, en: 'one third of {noun}', fr: 'un tiers des {noun}' },
  { value: 0.25, en: 'one in four {noun}', fr: 'un {noun} sur quatre' },
  { value: 0.2, en: 'one in five {noun}', fr: 'un {noun} sur cinq' },
  { value: 0.1, en: 'one in ten {noun}', fr: 'un {noun} sur dix' },
];

const HALF_QUALIFIED = {
  more: { en: 'more than half of {noun}', fr: 'plus de la moitié des {noun}' },
  less: { en: 'less than half of {noun}', fr: 'moins de la moitié des {noun}' },
};

const PERCENT_OF = { en: '{pct} of {noun}', fr: '{pct} des {noun}' };

/** How close to a whole multiple a ratio is said as that multiple ("twice as often as"). */
export const EXACT_MULTIPLE_TOLERANCE = 0.05;

export const MULTIPLE_WORDS: readonly { value: number; en: string; fr: string }[] = [
  { value: 2, en: 'twice', fr: 'deux fois' },
  { value: 3, en: 'three times', fr: 'trois fois' },
  { value: 4, en: 'four times', fr: 'quatre fois' },
];

/** Which rule phrased a number: what tests and the report's methods appendix can show. */
export type PhraseRule =
  | 'fraction'
  | 'half-qualified'
  | 'percent'
  | 'more-than'
  | 'count'
  | 'multiple'
  | 'nearly-multiple'
  | 'more-than-multiple'
  | 'ratio'
  | 'less-often'
  | 'half-as-often'
  | 'as-often'
  | 'unsettled';

export interface Phrase {
  text: string;
  rule: PhraseRule;
}

function fill(template: string, noun: string | undefined, pct?: string): string {
  let t = template;
  if (pct !== undefined) t = t.replace('{pct}', pct);
  if (noun) return t.replace('{noun}', noun);
  // Without a noun: "four out of five", "two thirds", "half", "un sur quatre".
  return t
    .replace(/ (of|des) \{noun\}/, '')
    .replace(/ \{noun\}/, '')
    .trim();
}

function inInterval(x: number, ci: readonly [number, number] | null): boolean {
  return ci !== null && ci[0] <= x && x <= ci[1];
}

/**
 * A proportion in words when a rule allows it, else as a percentage.
 *
 * @example
 * phraseProportion(0.8126, [0.781, 0.841], 'en', 'researchers'); // {text: 'four out of five researchers', rule: 'fraction'}
 * phraseProportion(0.7005, [0.664, 0.734], 'en'); // {text: '70%', rule: 'percent'}
 */
export function phraseProportion(
  estimate: number,
  ci: readonly [number, number] | null,
  lang: Lang,
  noun?: string,
): Phrase {
  const fraction = FRACTION_PHRASES.filter(
    (f) => Math.abs(estimate - f.value) <= FRACTION_TOLERANCE + 1e-12 && inInterval(f.value, ci),
  ).sort((a, b) => Math.abs(estimate - a.value) - Math.abs(estimate - b.value))[0];
  if (fraction) return { text: fill(fraction[lang], noun), rule: 'fraction' };
  if (ci && Math.abs(estimate - 0.5) <= HALF_QUALIFIER_RANGE) {
    if (ci[0] > 0.5) return { text: fill(HALF_QUALIFIED.more[lang], noun), rule: 'half-qualified' };
    if (ci[1] < 0.5) return { text: fill(HALF_QUALIFIED.less[lang], noun), rule: 'half-qualified' };
  }
  const pct = formatPercent(estimate, lang);
  return { text: noun ? fill(PERCENT_OF[lang], noun, pct) : pct, rule: 'percent' };
}

/**
 * A count as "more than N" (N its leading digit followed by zeros) from 100 on; below, or when
 * the count is exactly N, the count itself.
 *
 * @example
 * phraseCount(481, 'en'); // {text: 'more than 400', rule: 'more-than'}
 */
export function phraseCount(count: number, lang: Lang): Phrase {
  if (count >= 100) {
    const unit = 10 ** Math.floor(Math.log10(count));
    const floor = Math.floor(count / unit) * unit;
    if (floor < count) {
      const n = formatNumber(floor, lang);
      return { text: lang === 'fr' ? `plus de ${n}` : `more than ${n}`, rule: 'more-than' };
    }
  }
  return { text: formatNumber(count, lang), rule: 'count' };
}

/**
 * A ratio of two proportions (group A over group B) as a comparison that ends with its
 * conjunction, so the template reads "A have ongoing relations {{ratio}} B": the direction is
 * always the estimate's (a ratio under 1 is never said as "more").
 *
 * | ratio | says |
 * |---|---|
 * | interval holds 1, ratio within 0.1 of 1 | "about as often as" |
 * | interval holds 1, otherwise | rule `unsettled`: the direction is not established (the sentence is left out) |
 * | within 0.05 of k = 2, 3, 4 and the interval holds k | "twice as often as" |
 * | k − 0.25 ≤ ratio < k | "nearly twice as often as" |
 * | k < ratio ≤ k + 0.25 and the whole interval above k | "more than twice as often as" |
 * | other ratios above 1 | "1.4 times as often as" |
 * | within 0.1 of one half, interval holds one half | "half as often as" |
 * | other ratios under 1 | "less often than" |
 *
 * @example
 * phraseRatio(1.9, [1.55, 2.21], 'en'); // {text: 'nearly twice as often as', rule: 'nearly-multiple'}
 * phraseRatio(0.8, [0.7, 0.9], 'fr'); // {text: 'moins souvent que', rule: 'less-often'}
 */
export function phraseRatio(ratio: number, ci: readonly [number, number] | null, lang: Lang): Phrase {
  const fr = lang === 'fr';
  if (ci === null || inInterval(1, ci)) {
    if (Math.abs(ratio - 1) <= 0.1 + 1e-12)
      return { text: fr ? 'à peu près aussi souvent que' : 'about as often as', rule: 'as-often' };
    return { text: numericRatio(ratio, lang), rule: 'unsettled' };
  }
  if (ratio < 1) {
    if (Math.abs(ratio - 0.5) <= 0.1 + 1e-12 && inInterval(0.5, ci))
      return { text: fr ? 'deux fois moins souvent que' : 'half as often as', rule: 'half-as-often' };
    return { text: fr ? 'moins souvent que' : 'less often than', rule: 'less-often' };
  }
  for (const k of MULTIPLE_WORDS) {
    const words = k[lang];
    const as = (w: string) => (fr ? `${w} plus souvent que` : `${w} as often as`);
    if (Math.abs(ratio - k.value) <= EXACT_MULTIPLE_TOLERANCE + 1e-12 && inInterval(k.value, ci))
      return { text: as(words), rule: 'multiple' };
    if (ratio >= k.value - MULTIPLE_TOLERANCE - 1e-12 && ratio < k.value)
      return { text: as(fr ? `presque ${words}` : `nearly ${words}`), rule: 'nearly-multiple' };
    if (ratio > k.value && ratio <= k.value + MULTIPLE_TOLERANCE + 1e-12 && ci[0] > k.value)
      return { text: as(fr ? `plus de ${words}` : `more than ${words}`), rule: 'more-than-multiple' };
  }
  return { text: numericRatio(ratio, lang), rule: 'ratio' };
}

function numericRatio(ratio: number, lang: Lang): string {
  const r = formatNumber(ratio, lang, 1);
  return lang === 'fr' ? `${r} fois plus souvent que` : `${r} times as often as`;
}
