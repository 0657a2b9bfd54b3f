import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

export const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'associations');

export interface LabelledMention {
  mention: string;
  label: string;
  registry_id: string;
  variant: string;
  source: string;
}

export function readLabelled(): LabelledMention[] {
  return parse(readFileSync(join(fixtures, 'labelled.csv'), 'utf8'), { columns: true }) as LabelledMention[];
}

export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
