import { cairnetError } from '../../errors.js';

/** One categorical column of a survey: a value per respondent, `null` when missing. */
export interface CategoricalColumn {
  readonly name: string;
  readonly values: ReadonlyArray<string | null>;
}

/**
 * A categorical column coded as integers. Missing answers become a category of their own
 * (level `"NA"`, `missing: true`), as FactoMineR's `MCA` does by default (`na.method = "NA"`,
 * where it is named `<variable>.NA`).
 */
export interface CodedVariable {
  readonly name: string;
  /** Level labels; the missing level, if any, is last and labelled `"NA"`. */
  readonly levels: readonly string[];
  /** Index of the missing level in `levels`, or -1 when no value is missing. */
  readonly missingLevel: number;
  /** `codes[i]` is the level index of respondent i. */
  readonly codes: Int32Array;
}

const collator = new Intl.Collator('en', { numeric: false, sensitivity: 'variant' });

/**
 * Codes a categorical column: observed values sorted (as R's `factor` sorts them in an English
 * locale), then the missing level.
 *
 * @example
 * encodeVariable({ name: 'q1', values: ['agree', null, 'disagree'] }).levels // ['agree', 'disagree', 'NA']
 */
export function encodeVariable(column: CategoricalColumn): CodedVariable {
  const index = new Map<string, number>();
  const n = column.values.length;
  const raw = new Int32Array(n);
  let hasMissing = false;
  for (let i = 0; i < n; i++) {
    const v = column.values[i];
    if (v === null || v === undefined) {
      raw[i] = -1;
      hasMissing = true;
      continue;
    }
    let k = index.get(v);
    if (k === undefined) {
      k = index.size;
      index.set(v, k);
    }
    raw[i] = k;
  }
  const observed = [...index.keys()].sort((a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
  const rank = new Int32Array(observed.length);
  observed.forEach((v, r) => {
    rank[index.get(v)!] = r;
  });
  const missingLevel = hasMissing ? observed.length : -1;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = raw[i]!;
    codes[i] = k < 0 ? missingLevel : rank[k]!;
  }
  return { name: column.name, levels: hasMissing ? [...observed, 'NA'] : observed, missingLevel, codes };
}

/** Checks that coded variables all have `n` rows; throws CAIRNET_TYPOLOGY_INVALID otherwise. */
export function checkLengths(variables: readonly CodedVariable[], n: number): void {
  for (const v of variables) {
    if (v.codes.length !== n) {
      throw cairnetError(
        'CAIRNET_TYPOLOGY_INVALID',
        `Variable "${v.name}" has ${v.codes.length} values but the data have ${n} rows.`,
      );
    }
  }
}
