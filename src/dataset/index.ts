export { distinctAssociationCount } from './association-names.js';
export { type Condition, conditionMask, conditionVariables } from './condition.js';
export type { CategoricalColumn, Dataset, DatasetColumn, NumericColumn, TextListColumn } from './dataset.js';
export { hasSynthetic, textsAt } from './dataset.js';
export { buildDataset, DatasetBuilder, type DatasetOptions, type ResponseRow } from './dataset-builder.js';
export {
  addDerivedVariables,
  type DerivedVariable,
  indicatorColumn,
  withColumn,
} from './derived-variable.js';
