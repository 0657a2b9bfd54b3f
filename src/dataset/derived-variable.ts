import { cairnetError } from '../errors.js';
import type { LocalisedText } from '../instrument/types.js';
import { type Condition, conditionMask } from './condition.js';
import type { CategoricalColumn, Dataset, DatasetColumn } from './dataset.js';

/**
 * A variable computed from others, declared in the analysis plan:
 * - `when`: a 0/1 indicator, 1 where the condition holds (never missing);
 * - `recode`: a categorical variable whose levels group the levels of another, in the order
 *   written; a level not listed becomes missing.
 *
 * @example
 * { name: 'in_contact', when: { var: 'relation', in: ['short_term', 'ongoing'] } }
 * { name: 'age_group', recode: 'age_band', map: { under_40: ['lt30', '30_34', '35_39'], … } }
 */
export type DerivedVariable =
  | { name: string; label?: LocalisedText; when: Condition }
  | {
      name: string;
      label?: LocalisedText;
      recode: string;
      map: Readonly<Record<string, readonly (string | number)[]>>;
      levelLabels?: Readonly<Record<string, LocalisedText>>;
    };

const YES_NO: LocalisedText[] = [
  { fr: 'non', en: 'no' },
  { fr: 'oui', en: 'yes' },
];

/** A 0/1 indicator column from a mask. */
export function indicatorColumn(name: string, label: LocalisedText, mask: Uint8Array): CategoricalColumn {
  const codes = new Int16Array(mask.length);
  for (let i = 0; i < mask.length; i++) codes[i] = mask[i]!;
  return { kind: 'categorical', name, label, levels: ['0', '1'], levelLabels: YES_NO, ordered: false, codes };
}

function derive(dataset: Dataset, d: DerivedVariable): DatasetColumn {
  const label = d.label ?? { fr: d.name, en: d.name };
  if ('when' in d) return indicatorColumn(d.name, label, conditionMask(dataset, d.when));
  const source = dataset.columns.get(d.recode);
  if (source?.kind !== 'categorical') {
    throw cairnetError(
      'CAIRNET_COLUMN_UNKNOWN',
      `"${d.name}" recodes "${d.recode}", which is not a categorical variable`,
    );
  }
  const newLevels = Object.keys(d.map);
  const to = new Int16Array(source.levels.length).fill(-1);
  newLevels.forEach((level, k) => {
    for (const old of d.map[level]!) {
      const j = source.levels.indexOf(String(old));
      if (j < 0) {
        throw cairnetError(
          'CAIRNET_COLUMN_UNKNOWN',
          `"${old}" is not a level of "${d.recode}" (recoded into "${d.name}")`,
        );
      }
      to[j] = k;
    }
  });
  const codes = new Int16Array(dataset.n);
  for (let i = 0; i < dataset.n; i++) {
    const c = source.codes[i]!;
    codes[i] = c >= 0 ? to[c]! : -1;
  }
  return {
    kind: 'categorical',
    name: d.name,
    label,
    levels: newLevels,
    levelLabels: newLevels.map((l) => d.levelLabels?.[l] ?? { fr: l, en: l }),
    ordered: source.ordered,
    codes,
  };
}

/**
 * Adds derived variables to a dataset, in order (each may use those before it).
 *
 * @example
 * const withDerived = addDerivedVariables(dataset, plan.derived);
 */
export function addDerivedVariables(dataset: Dataset, derived: readonly DerivedVariable[]): Dataset {
  const columns = new Map(dataset.columns);
  let current: Dataset = dataset;
  for (const d of derived) {
    if (columns.has(d.name))
      throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `Derived variable "${d.name}" already exists`);
    columns.set(d.name, derive(current, d));
    current = { ...dataset, columns: new Map(columns) };
  }
  return { ...dataset, columns };
}

/** Adds one computed column (a typology's profiles, a weight) to a dataset. */
export function withColumn(dataset: Dataset, column: DatasetColumn): Dataset {
  const columns = new Map(dataset.columns);
  columns.set(column.name, column);
  return { ...dataset, columns };
}
