import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCategoricalCsv } from '../../../src/cli/read-categorical-csv.js';
import { type CodedVariable, encodeVariable } from '../../../src/stats/mca/categorical-variable.js';

/** One data set and FactoMineR's results on it (test/fixtures/r/typology/make-fixtures.R). */
export interface TypologyFixture {
  name: string;
  active: string[];
  supplementary: string[];
  weights: string | null;
  ncp: number;
  clusters: number;
  levels: { variable: string; labels: string[]; values: (string | null)[] }[];
  eig: number[][];
  indCoord: number[][];
  indContrib: number[][];
  indCos2: number[][];
  varLabels: string[];
  varVariables: string[];
  varCoord: number[][];
  varContrib: number[][];
  varCos2: number[][];
  varVtest: number[][];
  eta2: number[][];
  eta2Variables: string[];
  supLabels?: string[];
  supVariables?: string[];
  supCoord?: number[][];
  supCos2?: number[][];
  supVtest?: number[][];
  supEta2?: number[][];
  inertiaGain: number[];
  clusterConsolidated: number[];
  clusterHierarchy: number[];
  descConsolidated: DescRow[][];
  descHierarchy: DescRow[][];
}

export interface DescRow {
  variable: string;
  level: string;
  claMod: number;
  modCla: number;
  global: number;
  pValue: number;
  vtest: number;
}

export const FIXTURE_DIR = join(import.meta.dirname, '../../fixtures/r/typology');
export const FIXTURE_NAMES = ['poison', 'tea', 'generated'] as const;

export interface LoadedFixture {
  r: TypologyFixture;
  active: CodedVariable[];
  supplementary: CodedVariable[];
  weights: number[] | null;
  csvPath: string;
  /** Our (variable, level) → FactoMineR's category label. */
  label(variable: string, level: string): string;
}

export function loadFixture(name: string): LoadedFixture {
  const r = JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8')) as TypologyFixture;
  const csvPath = join(FIXTURE_DIR, `${name}.csv`);
  const csv = readCategoricalCsv(readFileSync(csvPath, 'utf8'));
  const encode = (v: string) => encodeVariable({ name: v, values: csv.column(v) });
  const weights = r.weights ? csv.column(r.weights).map(Number) : null;
  const labels = new Map<string, string>();
  for (const l of r.levels) {
    l.labels.forEach((lab, k) => {
      labels.set(`${l.variable}\u0000${l.values[k] ?? 'NA'}`, lab);
    });
  }
  return {
    r,
    active: r.active.map(encode),
    supplementary: r.supplementary.map(encode),
    weights,
    csvPath,
    label(variable, level) {
      const lab = labels.get(`${variable}\u0000${level}`);
      if (lab === undefined) throw new Error(`no R label for ${variable}=${level}`);
      return lab;
    },
  };
}

/** Largest relative difference |a − b| / max(|b|, floor), comparing a column up to its sign. */
export function relativeDifference(a: number, b: number, floor = 1e-12): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), floor);
}
