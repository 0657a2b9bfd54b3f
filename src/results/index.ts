export { codeVersion } from './code-version.js';
export { type ComputeSnapshotOptions, computeSnapshot, newSnapshotId } from './compute-snapshot.js';
export { LatestSnapshot, type LatestSnapshotOptions } from './latest-snapshot.js';
export { loadSnapshot, publishedSnapshotId, snapshotFromRow } from './load-snapshot.js';
export type {
  PublishedResults,
  Snapshot,
  SnapshotAssociations,
  SnapshotBody,
  SnapshotInfo,
  SnapshotInputs,
} from './snapshot.js';
export { diffResults, type FigureChange, type IndicatorDiff, type SnapshotDiff } from './snapshot-diff.js';
export { type PatternVariable, type StoreCountSource, storeCountSource } from './store-count-source.js';
export { storeDataset } from './store-dataset.js';
export {
  evaluateStorePlan,
  prepareStorePlan,
  type StoreEvaluation,
  type StoreEvaluationOptions,
} from './store-plan.js';
export { evaluateParsedPlan, evaluateStoreResults, type StoreResultsOptions } from './store-results.js';
export { surveyPlan } from './survey-plan.js';
