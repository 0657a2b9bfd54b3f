import { FunctionFactory } from 'survey-core';
import { EXPRESSION_FUNCTION_NAMES, registerOn } from './expression-engine.js';

/**
 * The functions imported questionnaires need beyond SurveyJS's own (regexMatch, strLength,
 * countSelected, countAnswered, sumAnswered, coalesce, toInt, toNumber, concatText, power,
 * isAnswered), registered on survey-core's FunctionFactory from the very module the respondent's
 * page loads bundled (`expression-engine.ts`, served as `/assets/expression-functions.js`): one
 * engine in the browser and on the server. Importing this module is enough; the call is idempotent.
 */
export function registerExpressionFunctions(): void {
  registerOn(FunctionFactory);
}

/** Names of the functions registered by {@link registerExpressionFunctions}. */
export function expressionFunctionNames(): string[] {
  return [...EXPRESSION_FUNCTION_NAMES];
}

registerExpressionFunctions();
