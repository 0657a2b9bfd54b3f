import { type Condition, conditionMask } from '../dataset/condition.js';
import type { Dataset } from '../dataset/dataset.js';
import { cairnetError } from '../errors.js';

/**
 * What to count: respondents satisfying `among`, by the levels of `by` (if any) and by the
 * outcome, a condition (outcomes '0' and '1') or a categorical variable's levels (missing values
 * left out). A proportion, a crosstab and a distribution need nothing more.
 */
export interface CountRequest {
  among: Condition | null;
  outcome: { condition: Condition } | { variable: string };
  by: string | null;
}

/** A count source that can say which variables it reaches (the store's, src/results/). */
export interface CoveringCountSource extends CountSource {
  covers(variable: string): boolean;
}

/** Unweighted counts of respondents, `counts[group][outcome]`; without `by`, one group `'*'`. */
export interface CountTable {
  groups: string[];
  outcomes: string[];
  counts: number[][];
}

/**
 * Where counts come from (DESIGN.md principle 7): the in-memory dataset here, or a SQL
 * `GROUP BY` over the store, so that estimates from counts never need the rows themselves.
 */
export interface CountSource {
  count(request: CountRequest): Promise<CountTable>;
}

/**
 * Counts over an in-memory dataset; with `frequencies`, row i stands for `frequencies[i]`
 * respondents (rows grouped by a SQL GROUP BY).
 *
 * @example
 * const t = await datasetCountSource(dataset).count({ among: null, by: 'age_band', outcome: { variable: 'relation' } });
 */
export function datasetCountSource(dataset: Dataset, frequencies?: ArrayLike<number>): CountSource {
  const masks = new Map<string, Uint8Array>();
  const mask = (c: Condition) => {
    const key = JSON.stringify(c);
    let m = masks.get(key);
    if (!m) {
      m = conditionMask(dataset, c);
      masks.set(key, m);
    }
    return m;
  };
  const categorical = (name: string) => {
    const col = dataset.columns.get(name);
    if (col?.kind !== 'categorical')
      throw cairnetError('CAIRNET_COLUMN_UNKNOWN', `No categorical variable "${name}"`);
    return col;
  };
  return {
    async count(request) {
      const among = request.among ? mask(request.among) : null;
      let outcomes: string[];
      let outcomeCode: Int16Array | Uint8Array;
      if ('condition' in request.outcome) {
        outcomes = ['0', '1'];
        outcomeCode = mask(request.outcome.condition);
      } else {
        const col = categorical(request.outcome.variable);
        outcomes = [...col.levels];
        outcomeCode = col.codes;
      }
      const byCol = request.by ? categorical(request.by) : null;
      const groups = byCol ? [...byCol.levels] : ['*'];
      const k = outcomes.length;
      const flat = new Float64Array(groups.length * k);
      const byCodes = byCol?.codes;
      for (let i = 0; i < dataset.n; i++) {
        if (among && !among[i]) continue;
        const o = outcomeCode[i]!;
        if (o < 0) continue;
        const g = byCodes ? byCodes[i]! : 0;
        if (g < 0) continue;
        flat[g * k + o]! += frequencies ? frequencies[i]! : 1;
      }
      return {
        groups,
        outcomes,
        counts: groups.map((_, g) => Array.from(flat.subarray(g * k, (g + 1) * k))),
      };
    },
  };
}
