/**
 * Writes seed/invented.csv: about 450 invented (but plausible) French patient associations,
 * two per condition of conditions.ts, with an acronym for about 60% of them.
 * Run: npx tsx src/associations/seed/make-invented.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initialsOf, normalise } from '../normalise.js';
import { formatRegistryCsv, parseRegistryCsv } from '../registry-csv.js';
import type { RegistryEntry } from '../registry-entry.js';
import { CONDITIONS, TEMPLATES } from './conditions.js';

const dir = dirname(fileURLToPath(import.meta.url));
const real = parseRegistryCsv(readFileSync(join(dir, 'real.csv'), 'utf8'));
const usedAcronyms = new Set(real.flatMap((e) => [...e.acronyms, ...initialsOf(e.name)].map(normalise)));
const usedNames = new Set(real.map((e) => normalise(e.name)));
const out: RegistryEntry[] = [];
const passes: [number, number][] = CONDITIONS.flatMap((_, i) => [[i, 0] as [number, number], [i, 1]]);
for (let i = 0; i < CONDITIONS.length; i += 7) passes.push([i, 2]);
for (const [i, k] of passes) {
  const c = CONDITIONS[i];
  if (!c) continue;
  {
    if (out.length >= 450) break;
    const t = TEMPLATES[(i * 7 + k * 5) % TEMPLATES.length];
    if (!t) continue;
    const name = t(c);
    if (usedNames.has(normalise(name))) continue;
    usedNames.add(normalise(name));
    const acr = initialsOf(name)[0]?.toUpperCase() ?? '';
    const withAcronym = (i + k) % 5 < 3 && acr.length >= 3 && !usedAcronyms.has(normalise(acr));
    if (withAcronym) usedAcronyms.add(normalise(acr));
    out.push({
      id: `I${String(out.length + 1).padStart(3, '0')}`,
      name,
      acronyms: withAcronym ? [acr] : [],
      aliases: [],
      area: c.area,
      origin: 'invented',
    });
  }
}
writeFileSync(join(dir, 'invented.csv'), formatRegistryCsv(out));
console.log(`wrote ${out.length} invented associations`);
