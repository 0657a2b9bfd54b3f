/**
 * Text normalisation for association names: case, accents, ligatures, punctuation and
 * apostrophes. Articles and generic words are kept (they are down-weighted by IDF, not dropped).
 */

/** Articles and prepositions: kept in names, skipped when taking initials. */
export const FUNCTION_WORDS = new Set([
  'le',
  'la',
  'les',
  'l',
  'd',
  'de',
  'des',
  'du',
  'et',
  'ou',
  'pour',
  'sur',
  'contre',
  'en',
  'a',
  'au',
  'aux',
  'un',
  'une',
  'avec',
  'par',
  'dans',
  'the',
  'of',
  'for',
  'and',
]);

/** Longest text a mention may have; longer text is cut before any work is done on it. */
export const MAX_MENTION_LENGTH = 300;

/** Removes accents and expands ligatures: "Œdème Français" → "Oedeme Francais". */
export function stripAccents(s: string): string {
  const bare = s.normalize('NFD').replace(COMBINING_MARKS, '');
  return LIGATURES.test(bare) ? bare.replace(LIGATURES_ALL, (c) => LIGATURE_LETTERS[c] ?? c) : bare;
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const LIGATURES = /[œŒæÆß]/;
const LIGATURES_ALL = /[œŒæÆß]/g;
const LIGATURE_LETTERS: Record<string, string> = { œ: 'oe', Œ: 'OE', æ: 'ae', Æ: 'AE', ß: 'ss' };

/**
 * Lower case, no accents, every run of non-alphanumeric characters (apostrophes, hyphens,
 * punctuation, control characters) becomes one space.
 *
 * @example normalise("L'AFM-Téléthon !") // "l afm telethon"
 */
export function normalise(s: string): string {
  const lower = s.slice(0, MAX_MENTION_LENGTH).toLowerCase();
  // Most text is plain ASCII: skip the Unicode decomposition then.
  return (NON_ASCII.test(lower) ? stripAccents(lower) : lower).replace(NON_ALNUM, ' ').trim();
}

// Any character beyond ASCII (U+0080 and up); written with \u escapes, not control characters.
const NON_ASCII = /[\u0080-\uffff]/;
const NON_ALNUM = /[^a-z0-9]+/g;

/** Tokens of the normalised text. */
export function tokens(s: string): string[] {
  const n = normalise(s);
  return n ? n.split(' ') : [];
}

/** OpenRefine's fingerprint key: normalised, unique tokens sorted and joined. */
export function fingerprint(s: string): string {
  return [...new Set(tokens(s))].sort().join(' ');
}

/** OpenRefine's n-gram fingerprint: unique character n-grams of the text without spaces, sorted. */
export function ngramFingerprint(s: string, n = 2): string {
  const t = normalise(s).replace(/ /g, '');
  const grams = new Set<string>();
  for (let i = 0; i + n <= t.length; i++) grams.add(t.slice(i, i + n));
  return [...grams].sort().join('');
}

/**
 * Acronyms a name could be written as, from the initials of its words: of the content words
 * ("Association française contre les myopathies" → "afm"), and of the content words after a
 * leading generic word ("Association Connaître les syndromes cérébelleux" → "csc").
 */
export function initialsOf(name: string): string[] {
  return initialsOfTokens(tokens(name));
}

/** {@link initialsOf} from the normalised tokens of the name. */
export function initialsOfTokens(toks: readonly string[]): string[] {
  const words = toks.filter((w) => !FUNCTION_WORDS.has(w) && !/^\d+$/.test(w));
  const out = new Set<string>();
  const all = toks.filter((w) => w !== 'l' && w !== 'd');
  if (all.length >= 3 && all.length > words.length) out.add(all.map((w) => w[0]).join(''));
  if (words.length >= 2) out.add(words.map((w) => w[0]).join(''));
  if (words.length >= 3 && GENERIC_LEADS.has(words[0] ?? '')) {
    out.add(
      words
        .slice(1)
        .map((w) => w[0])
        .join(''),
    );
  }
  return [...out];
}

/** Words that often open a name without being part of its acronym. */
export const GENERIC_LEADS = new Set([
  'association',
  'fondation',
  'federation',
  'union',
  'collectif',
  'ligue',
]);
