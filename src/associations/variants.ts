/**
 * Messy mentions: the ways a researcher might type an association's name in a free-text answer.
 * Used to make demonstration panels, the benchmark and evaluation sets.
 *
 * @example
 * const reg = loadSeedRegistry();
 * messyMention(reg[0], Math.random); // "afm telethon", "Asso francaise contre les myopathies", …
 */
import { FUNCTION_WORDS, stripAccents } from './normalise.js';
import type { RegistryEntry } from './registry-entry.js';

export { loadSeedRegistry } from './seed-registry.js';

type Rand = () => number;

function pick<T>(items: readonly T[], rand: Rand): T {
  const item = items[Math.floor(rand() * items.length) % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

const ELIDED = /^(l|d|qu)['’]/i;
const GENERIC = /^(association|fondation|fédération|federation|union|ligue|collectif)$/i;

/** Drops articles and short prepositions: "Association française contre les myopathies" → "Association française myopathies". */
export function dropArticles(name: string): string {
  const words = name
    .split(/\s+/)
    .map((w) => w.replace(ELIDED, ''))
    .filter(
      (w) => !['le', 'la', 'les', 'de', 'des', 'du', 'et', 'pour', 'sur', 'contre'].includes(w.toLowerCase()),
    );
  return words.length >= 1 ? words.join(' ') : name;
}

/** "Association" → "Asso", "Assoc.", "Ass."; "Fédération" → "Féd."; "Fondation" → "Fond.". */
export function abbreviate(name: string, rand: Rand): string {
  return name
    .replace(/\bAssociation\b/gi, () => pick(['Asso', 'asso', 'Assoc.', 'Ass.', 'Asso.'], rand))
    .replace(/\bFédération\b/gi, () => pick(['Féd.', 'Fédé', 'Fed.'], rand))
    .replace(/\bFondation\b/gi, () => pick(['Fond.', 'Fondation'], rand));
}

/** Cuts the last long word of the name: "Vaincre la Mucoviscidose" → "Vaincre la Muco". */
export function truncateLastWord(name: string, rand: Rand): string {
  const words = name.split(/\s+/);
  for (let i = words.length - 1; i > 0; i--) {
    const w = words[i] ?? '';
    if (w.length >= 7 && !FUNCTION_WORDS.has(w.toLowerCase())) {
      const keep = Math.max(4, Math.ceil(w.length * (0.45 + rand() * 0.25)));
      return [...words.slice(0, i), w.slice(0, keep)].join(' ');
    }
  }
  return name;
}

/** One typo in one long word: two letters swapped, one dropped, or one doubled. */
export function typo(text: string, rand: Rand): string {
  const words = text.split(' ');
  const long = words.map((w, i) => [w, i] as const).filter(([w]) => w.length >= 6 && /^[\p{L}]+$/u.test(w));
  if (long.length === 0) return text;
  const [w, i] = pick(long, rand);
  const p = 1 + Math.floor(rand() * (w.length - 2));
  const kind = rand();
  let out: string;
  if (kind < 0.4) out = w.slice(0, p) + (w[p + 1] ?? '') + (w[p] ?? '') + w.slice(p + 2);
  else if (kind < 0.75) out = w.slice(0, p) + w.slice(p + 1);
  else out = w.slice(0, p) + (w[p] ?? '') + w.slice(p);
  words[i] = out;
  return words.join(' ');
}

function changeCase(text: string, rand: Rand): string {
  const r = rand();
  if (r < 0.6) return text.toLowerCase();
  if (r < 0.8) return text.toUpperCase();
  return text.replace(/\p{L}+/gu, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
}

/** Names without the leading generic word, when what is left is still distinctive. */
function shortName(name: string): string | undefined {
  const words = name.split(/\s+/);
  if (words.length >= 3 && GENERIC.test(words[0] ?? '')) {
    let rest = words.slice(1);
    while (
      rest.length > 0 &&
      (FUNCTION_WORDS.has((rest[0] ?? '').toLowerCase()) || ELIDED.test(rest[0] ?? ''))
    ) {
      rest = [(rest[0] ?? '').replace(ELIDED, ''), ...rest.slice(1)].filter(
        (w) => w && !FUNCTION_WORDS.has(w.toLowerCase()),
      );
      if (rest.length > 0 && !FUNCTION_WORDS.has((rest[0] ?? '').toLowerCase())) break;
    }
    const content = rest.filter((w) => !FUNCTION_WORDS.has(w.toLowerCase()) && !/^fran/i.test(w));
    if (content.length >= 2) return rest.join(' ');
  }
  return undefined;
}

/**
 * One realistic way of typing the association: acronym alone, acronym with the name, full name,
 * alias, short name, truncated name; then perhaps missing accents, a change of case, a typo,
 * dropped articles, "Asso" for "Association". Deterministic for a given `rand`.
 */
export function messyMention(entry: RegistryEntry, rand: Rand): string {
  const acronyms = entry.acronyms;
  const acr = acronyms.length > 0 ? pick(acronyms, rand) : undefined;
  const names = [entry.name, ...entry.aliases];
  const r = rand();
  let text: string;
  let mayTypo = true;
  if (acr && r < 0.2) {
    text = rand() < 0.25 ? acr.toLowerCase() : acr;
    mayTypo = false;
  } else if (acr && r < 0.32) {
    const short = acr.split(/[-\s]/)[0] ?? acr;
    const name = pick(names, rand);
    text = pick([`${acr} - ${name}`, `${name} (${acr})`, `${short} ${name}`, `${name}, ${short}`], rand);
  } else if (r < 0.42 && entry.aliases.length > 0) {
    text = pick(entry.aliases, rand);
  } else if (r < 0.52) {
    text = truncateLastWord(pick(names, rand), rand);
  } else if (r < 0.6) {
    text = shortName(entry.name) ?? entry.name;
  } else {
    text = pick(names, rand);
  }
  if (/^association\b/i.test(text) && rand() < 0.3) text = abbreviate(text, rand);
  if (rand() < 0.15 && text.split(' ').length > 3) text = dropArticles(text);
  if (rand() < 0.4) text = stripAccents(text);
  if (rand() < 0.35) text = changeCase(text, rand);
  if (mayTypo && rand() < 0.25) text = typo(text, rand);
  if (rand() < 0.05) text = `  ${text} `;
  return text;
}
