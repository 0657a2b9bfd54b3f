/**
 * One association of the registry. Plain data: it is stored, exported as CSV and re-applied.
 *
 * @example
 * const afm: RegistryEntry = {
 *   id: 'R001', name: 'Association française contre les myopathies',
 *   acronyms: ['AFM-Téléthon', 'AFM'], aliases: [], area: 'rare diseases', origin: 'real',
 * };
 */
export interface RegistryEntry {
  /** Stable identifier (`R001…` for the real seed, `I001…` for the invented seed). */
  id: string;
  /** Canonical name. */
  name: string;
  /** Acronyms, most common first ("AFM-Téléthon", "AFM"). */
  acronyms: string[];
  /** Other names the association is known by (former names, short names). */
  aliases: string[];
  /** Disease or field ("cystic fibrosis", "rare diseases umbrella"). */
  area: string;
  /** `real` for an existing association; `invented` for demonstration entries. */
  origin: 'real' | 'invented';
}
