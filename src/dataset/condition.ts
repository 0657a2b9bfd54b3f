import { cairnetError } from '../errors.js';
import type { CategoricalColumn, Dataset, DatasetColumn } from './dataset.js';

/**
 * A condition on one respondent's answers, in a small declarative form (no expressions are
 * evaluated): a variable's value in a set of levels, a 0/1 indicator set, answered or missing,
 * and `all` / `any` / `not` combinations. A missing value is in no set.
 *
 * @example
 * { var: 'relation', in: ['short_term', 'ongoing'] }
 * { all: [{ flag: 'in_contact' }, { not: { var: 'funding', in: ['no'] } }] }
 */
export type Condition =
  | { var: string; in: readonly (string | number)[] }
  | { flag: string }
  | { answered: string }
  | { missing: string }
  | { all: readonly Condition[] }
  | { any: readonly Condition[] }
  | { not: Condition };

/** The variables a condition reads. */
export function conditionVariables(c: Condition): string[] {
  if ('var' in c) return [c.var];
  if ('flag' in c) return [c.flag];
  if ('answered' in c) return [c.answered];
  if ('missing' in c) return [c.missing];
  if ('all' in c) return c.all.flatMap(conditionVariables);
  if ('any' in c) return c.any.flatMap(conditionVariables);
  return conditionVariables(c.not);
}

function column(dataset: Dataset, name: string): DatasetColumn {
  const col = dataset.columns.get(name);
  if (!col) throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `The dataset has no variable "${name}"`);
  return col;
}

function categorical(dataset: Dataset, name: string, why: string): CategoricalColumn {
  const col = column(dataset, name);
  if (col.kind !== 'categorical') {
    throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `"${name}" is ${col.kind}, not categorical: ${why}`);
  }
  return col;
}

function isAnswered(col: DatasetColumn, i: number): boolean {
  if (col.kind === 'categorical') return col.codes[i]! >= 0;
  if (col.kind === 'numeric') return !Number.isNaN(col.values[i]!);
  return col.offsets[i + 1]! > col.offsets[i]!;
}

/**
 * Evaluates a condition on every row: 1 where it holds, 0 elsewhere.
 *
 * @example
 * const inContact = conditionMask(dataset, { var: 'relation', in: ['short_term', 'ongoing'] });
 */
export function conditionMask(dataset: Dataset, c: Condition): Uint8Array {
  const n = dataset.n;
  const out = new Uint8Array(n);
  if ('var' in c || 'flag' in c) {
    const name = 'var' in c ? c.var : c.flag;
    const col = categorical(dataset, name, 'a condition lists its levels');
    const wanted = 'var' in c ? c.in.map(String) : ['1'];
    const accept = new Uint8Array(col.levels.length);
    for (const w of wanted) {
      const k = col.levels.indexOf(w);
      if (k < 0) {
        throw cairnetError(
          'CAIRNET_COLUMN_UNKNOWN',
          `"${w}" is not a level of "${name}" (levels: ${col.levels.join(', ')})`,
        );
      }
      accept[k] = 1;
    }
    const codes = col.codes;
    for (let i = 0; i < n; i++) {
      const k = codes[i]!;
      out[i] = k >= 0 ? accept[k]! : 0;
    }
    return out;
  }
  if ('answered' in c || 'missing' in c) {
    const col = column(dataset, 'answered' in c ? c.answered : c.missing);
    const want = 'answered' in c ? 1 : 0;
    for (let i = 0; i < n; i++) out[i] = (isAnswered(col, i) ? 1 : 0) === want ? 1 : 0;
    return out;
  }
  if ('not' in c) {
    const m = conditionMask(dataset, c.not);
    for (let i = 0; i < n; i++) out[i] = 1 - m[i]!;
    return out;
  }
  const parts = ('all' in c ? c.all : c.any).map((p) => conditionMask(dataset, p));
  const all = 'all' in c;
  out.fill(all ? 1 : 0);
  for (const m of parts) {
    if (all) for (let i = 0; i < n; i++) out[i]! &= m[i]!;
    else for (let i = 0; i < n; i++) out[i]! |= m[i]!;
  }
  return out;
}
