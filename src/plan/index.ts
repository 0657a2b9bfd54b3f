export { checkPlan, planVocabulary, type VariableShape } from './check-plan.js';
export {
  type CountRequest,
  type CountSource,
  type CountTable,
  type CoveringCountSource,
  datasetCountSource,
} from './count-source.js';
export { type EvaluationContext, evaluateIndicator, proportionOf } from './evaluate-indicator.js';
export {
  type EvaluatePlanOptions,
  evaluatePlan,
  type PlanResults,
  type PreparedDataset,
  planVariables,
  preparePlanDataset,
} from './evaluate-plan.js';
export type {
  CellResult,
  GroupResult,
  IndicatorResult,
  LevelResult,
  TestResult,
} from './indicator-result.js';
export { CAIRNET_PLAN_PATH, type ParsedPlan, parsePlan, readPlanFile } from './parse-plan.js';
export { type PlanProblem, planInvalid } from './plan-problem.js';
export { type Indicator, type Plan, planSchema } from './plan-schema.js';
export { EXACT_ROWS, type TypologySummary, typologyProfiles } from './typology-profiles.js';
