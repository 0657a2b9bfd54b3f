import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRegistryCsv } from './registry-csv.js';
import type { RegistryEntry } from './registry-entry.js';

const seedDir = join(dirname(fileURLToPath(import.meta.url)), 'seed');
let cached: RegistryEntry[] | undefined;

/**
 * The built-in registry: the real associations of the survey team's list (`seed/real.csv`,
 * ids `R001…` in row order) and about 450 invented ones (`seed/invented.csv`, ids `I001…`).
 * Returns a fresh copy each time.
 */
export function loadSeedRegistry(): RegistryEntry[] {
  if (!cached) {
    const real = parseRegistryCsv(readFileSync(join(seedDir, 'real.csv'), 'utf8'), {
      idPrefix: 'R',
      origin: 'real',
    });
    const invented = parseRegistryCsv(readFileSync(join(seedDir, 'invented.csv'), 'utf8'));
    cached = [...real, ...invented];
  }
  return cached.map((e) => ({ ...e, acronyms: [...e.acronyms], aliases: [...e.aliases] }));
}
