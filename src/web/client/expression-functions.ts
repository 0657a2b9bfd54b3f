// The respondent's page loads this bundle after survey-core: the functions imported
// questionnaires need, from the same module the server's validator registers
// (src/instrument/expression-engine.ts). Also offered as window.CairnetExpressionFunctions.
import {
  EXPRESSION_FUNCTION_NAMES,
  type FunctionFactoryLike,
  registerOn,
} from '../../instrument/expression-engine.js';

const g = globalThis as {
  CairnetExpressionFunctions?: { register(f: FunctionFactoryLike): void; names: string[] };
  Survey?: { FunctionFactory?: FunctionFactoryLike };
};
g.CairnetExpressionFunctions = { register: registerOn, names: [...EXPRESSION_FUNCTION_NAMES] };
if (g.Survey?.FunctionFactory) registerOn(g.Survey.FunctionFactory);
