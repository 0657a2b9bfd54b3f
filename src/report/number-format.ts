/** The two languages Cairnet publishes in. */
export type Lang = 'fr' | 'en';

/** French typography puts a narrow no-break space before % and between thousands. */
const NNBSP = '\u202f';

/** A number with `digits` decimals in the language's convention (1 234,5 / 1,234.5). */
export function formatNumber(v: number, lang: Lang, digits = 0): string {
  const s = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: true,
  }).format(v);
  return lang === 'fr' ? s.replace(/[\u00a0\u202f]/g, NNBSP) : s;
}

/**
 * A proportion as a percentage: "81%" / "81 %". Whole points by default (as published);
 * a value that would round to 0% or 100% but is not exactly that keeps one decimal.
 */
export function formatPercent(p: number, lang: Lang, digits = 0): string {
  let d = digits;
  const r = Math.round(p * 100 * 10 ** d) / 10 ** d;
  if (d === 0 && ((r === 0 && p > 0) || (r === 100 && p < 1))) d = 1;
  const n = formatNumber(p * 100, lang, d);
  return lang === 'fr' ? `${n}${NNBSP}%` : `${n}%`;
}

/** A confidence interval of proportions: "78%–84%" / "[78 % ; 84 %]". */
export function formatPercentInterval(ci: readonly [number, number], lang: Lang, digits = 1): string {
  const [lo, hi] = ci;
  return lang === 'fr'
    ? `[${formatPercent(lo, lang, digits)} ; ${formatPercent(hi, lang, digits)}]`
    : `${formatPercent(lo, lang, digits)}–${formatPercent(hi, lang, digits)}`;
}

/** A p-value the way R prints small ones: "< 0.001" below it, else three decimals. */
export function formatP(p: number, lang: Lang): string {
  if (p < 0.001) return `< ${formatNumber(0.001, lang, 3)}`;
  return formatNumber(p, lang, 3);
}
