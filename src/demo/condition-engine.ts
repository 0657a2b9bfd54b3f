import { ConditionRunner, ExpressionRunner } from 'survey-core';
import '../instrument/expression-functions.js';
import type { InstrumentJson } from '../instrument/types.js';

type Values = Record<string, unknown>;

/**
 * survey-core's expression engine (the one the respondent's page and the server's validator
 * run, with Cairnet's functions registered) on the answers given so far: conditions
 * (`visibleIf`, `enableIf`, `requiredIf`, choice filters, validators) and the values they may
 * read that the respondent does not type (calculated values, equations). Runners are compiled
 * once per expression.
 */
export class ConditionEngine {
  private readonly conditions = new Map<string, ConditionRunner>();
  private readonly expressions = new Map<string, ExpressionRunner>();
  /** Calculated values and equations, in questionnaire order: recomputed from the answers. */
  private readonly derived: { name: string; expression: string }[];

  constructor(json: InstrumentJson) {
    const calculated = Array.isArray(json.calculatedValues) ? (json.calculatedValues as Values[]) : [];
    const equations = equationsOf(json);
    this.derived = [
      ...calculated
        .filter((c) => typeof c.name === 'string' && typeof c.expression === 'string')
        .map((c) => ({ name: c.name as string, expression: c.expression as string })),
      ...equations,
    ];
  }

  /** The answers with the calculated values and equations they imply (the answers themselves when none). */
  values(answers: Values): Values {
    if (this.derived.length === 0) return answers;
    const out: Values = { ...answers };
    for (const d of this.derived) {
      const v = this.run(d.expression, out);
      if (v !== undefined && v !== null && !(typeof v === 'number' && Number.isNaN(v))) out[d.name] = v;
    }
    return out;
  }

  /** Whether a condition holds on the values (an expression that is not `true` does not). */
  test(expression: string, values: Values): boolean {
    let runner = this.conditions.get(expression);
    if (!runner) {
      runner = new ConditionRunner(expression);
      this.conditions.set(expression, runner);
    }
    return runner.runValues(values) === true;
  }

  /** Whether every condition holds. */
  all(expressions: readonly string[], values: Values): boolean {
    return expressions.every((e) => this.test(e, values));
  }

  /** An expression's value on the values. */
  run(expression: string, values: Values): unknown {
    let runner = this.expressions.get(expression);
    if (!runner) {
      runner = new ExpressionRunner(expression);
      this.expressions.set(expression, runner);
    }
    return runner.runValues(values);
  }
}

/** The `expression` questions of a questionnaire (equations), depth first. */
function equationsOf(json: InstrumentJson): { name: string; expression: string }[] {
  const out: { name: string; expression: string }[] = [];
  const visit = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const el of list as Values[]) {
      if (el === null || typeof el !== 'object') continue;
      if (el.type === 'expression' && typeof el.name === 'string' && typeof el.expression === 'string')
        out.push({ name: el.name, expression: el.expression });
      visit(el.elements);
    }
  };
  for (const page of (json.pages ?? []) as Values[]) visit(page.elements);
  visit(json.elements);
  return out;
}
