import { FunctionFactory } from 'survey-core';
import '../web/public/expression-functions.js';

/**
 * The functions imported questionnaires need beyond SurveyJS's own (regexMatch, strLength,
 * countSelected, countAnswered, sumAnswered, coalesce, toInt, toNumber, concatText, power,
 * isAnswered), registered on survey-core's FunctionFactory from the very file the respondent's
 * page loads (`src/web/public/expression-functions.js`): one engine in the browser and on the
 * server. Importing this module is enough; the call is idempotent.
 */
export function registerExpressionFunctions(): void {
  const shared = (globalThis as { CairnetExpressionFunctions?: { register(f: unknown): void } })
    .CairnetExpressionFunctions;
  if (!shared) throw new Error('expression-functions.js did not load');
  shared.register(FunctionFactory);
}

/** Names of the functions registered by {@link registerExpressionFunctions}. */
export function expressionFunctionNames(): string[] {
  return (
    (globalThis as { CairnetExpressionFunctions?: { names: string[] } }).CairnetExpressionFunctions?.names ??
    []
  );
}

registerExpressionFunctions();
