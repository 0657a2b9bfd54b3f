import type { LocalisedText } from '../instrument/types.js';

/** A categorical (or ordinal, or 0/1 indicator) column: level codes, -1 when missing. */
export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly label: LocalisedText;
  /** Levels in the instrument's order (or the order a derived variable declares). */
  readonly levels: readonly string[];
  readonly levelLabels: readonly LocalisedText[];
  /** Likert scales and bracketed amounts: the level order is meaningful. */
  readonly ordered: boolean;
  /** `codes[i]` is the index into {@link levels} of row i's value, or -1 when missing. */
  readonly codes: Int16Array;
}

/** A numeric column: NaN when missing. */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly label: LocalisedText;
  readonly values: Float64Array;
}

/**
 * A list of free texts per row (association names), dictionary-encoded: row i's texts are
 * `dictionary[items[k]]` for k from `offsets[i]` to `offsets[i + 1]`; no text means unanswered.
 */
export interface TextListColumn {
  readonly kind: 'text_list';
  readonly name: string;
  readonly label: LocalisedText;
  /** Each distinct (trimmed) text once. */
  readonly dictionary: readonly string[];
  readonly offsets: Int32Array;
  readonly items: Int32Array;
}

/** Row i's texts, or null when it gave none. */
export function textsAt(col: TextListColumn, i: number): string[] | null {
  const from = col.offsets[i]!;
  const to = col.offsets[i + 1]!;
  if (to === from) return null;
  const out: string[] = [];
  for (let k = from; k < to; k++) out.push(col.dictionary[col.items[k]!]!);
  return out;
}

export type DatasetColumn = CategoricalColumn | NumericColumn | TextListColumn;

/**
 * Responses as typed columns, one array per variable, rows in the order they were read.
 *
 * @example
 * const relation = dataset.columns.get('relation'); // { kind: 'categorical', levels: ['never', …], codes }
 */
export interface Dataset {
  readonly n: number;
  readonly columns: ReadonlyMap<string, DatasetColumn>;
  /** 1 for a synthetic (demonstration) response. */
  readonly synthetic: Uint8Array;
  /** Response ids, when the rows came from a store. */
  readonly ids?: readonly string[];
  /** Values found in the data that are not levels of their variable, counted by variable (read as missing). */
  readonly unknownValues: ReadonlyMap<string, number>;
}

/** Whether any row of the dataset is synthetic. */
export function hasSynthetic(dataset: Dataset): boolean {
  return dataset.synthetic.includes(1);
}
