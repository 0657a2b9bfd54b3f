/**
 * The pieces of survey-core's parsed expression tree (`ConditionsParser`) that Cairnet reads: its
 * classes' public getters. Shared by the XLSForm export and the plan's "asked" conditions.
 */
export interface ExpressionNode {
  getType(): string;
  operator?: string;
  leftOperand?: ExpressionNode;
  rightOperand?: ExpressionNode;
  expression?: ExpressionNode;
  variable?: string;
  correctValue?: unknown;
  value?: unknown;
  values?: ExpressionNode[];
  functionName?: string;
  paramValues?: ExpressionNode[];
}
