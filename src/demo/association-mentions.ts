import type { RegistryEntry } from '../associations/registry-entry.js';
import { loadSeedRegistry, messyMention } from '../associations/variants.js';
import { drawIndex, type Random } from './random.js';

/** What one respondent wrote: the registry ids meant and the messy text typed for each. */
export interface Mentions {
  ids: string[];
  texts: string[];
}

/**
 * Draws the associations respondents cite. Real associations are cited more often the higher
 * they sit in the survey team's list (AFM-Téléthon first), invented ones form a long tail; a
 * respondent never cites the same one twice. Each citation is typed the messy way people do
 * (acronyms, typos, missing accents, case).
 */
export class MentionSource {
  readonly #entries: RegistryEntry[];
  readonly #cumulative: number[];

  constructor() {
    this.#entries = loadSeedRegistry();
    let realRank = 0;
    let acc = 0;
    this.#cumulative = this.#entries.map((e) => {
      const w = e.origin === 'real' ? 1 + 6 / (++realRank) ** 0.6 : 1;
      acc += w;
      return acc;
    });
  }

  draw(count: number, rand: Random): Mentions {
    const ids: string[] = [];
    const texts: string[] = [];
    const total = this.#cumulative[this.#cumulative.length - 1] ?? 0;
    for (let tries = 0; ids.length < count && tries < count * 20; tries++) {
      const u = rand() * total;
      const i = this.#cumulative.findIndex((c) => u < c);
      const entry = this.#entries[i < 0 ? this.#entries.length - 1 : i]!;
      if (ids.includes(entry.id)) continue;
      const text = messyMention(entry, rand).slice(0, 200);
      if (text.trim() === '') continue;
      ids.push(entry.id);
      texts.push(text);
    }
    return { ids, texts };
  }
}

/** How many associations a respondent cites: 0–6, more with an ongoing relation. */
export function mentionCount(relation: string, rand: Random): number {
  if (relation === 'ongoing') return drawIndex([0.04, 0.14, 0.22, 0.24, 0.18, 0.11, 0.07], rand());
  if (relation === 'short_term') return drawIndex([0.2, 0.38, 0.25, 0.12, 0.05], rand());
  return 0;
}
