import { ConditionsParser, type Operand } from 'survey-core';
import type { Condition } from '../dataset/condition.js';
import type { ExpressionNode as Node } from '../instrument/expression-tree.js';
import type { Codebook, CodebookVariable } from '../instrument/types.js';

type Lookup = (name: string) => CodebookVariable | undefined;

const constant = (n: Node | undefined): string | null => {
  if (n?.getType() !== 'const') return null;
  const v = n.correctValue ?? n.value;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
};

const constants = (n: Node | undefined): string[] | null => {
  if (n?.getType() === 'array') {
    const out = (n.values ?? []).map(constant);
    return out.every((v): v is string => v !== null) ? out : null;
  }
  const one = constant(n);
  return one === null ? null : [one];
};

/** The codebook variable (and level values) a `{name}` of an expression reads, or undefined. */
function lookupIn(codebook: Codebook): Lookup {
  const byName = new Map(codebook.variables.map((v) => [v.name, v]));
  return (name) => {
    const direct = byName.get(name);
    if (direct) return direct;
    const dot = name.indexOf('.');
    if (dot < 0) return undefined;
    const [q, row] = [name.slice(0, dot), name.slice(dot + 1)];
    return codebook.variables.find((v) => v.question === q && v.row === row);
  };
}

/** `{var: v, in: values}` when every value is a level of `v` (booleans read as 1/0). */
function inLevels(v: CodebookVariable, values: string[]): Condition | null {
  const levels = new Set(v.levels.map((l) => String(l.value)));
  const coded = values.map((x) =>
    v.type === 'boolean' ? (x === 'true' ? '1' : x === 'false' ? '0' : x) : x,
  );
  return coded.every((x) => levels.has(x)) ? { var: v.name, in: coded } : null;
}

/** For a checkbox: the indicator of each choice ticked. */
function ticked(v: CodebookVariable, values: string[], codebook: Codebook): Condition[] | null {
  const out: Condition[] = [];
  for (const x of values) {
    const ind = codebook.variables.find((c) => c.question === v.name && c.choice === x);
    if (!ind) return null;
    out.push({ var: ind.name, in: ['1'] });
  }
  return out;
}

function firstColumn(v: CodebookVariable, codebook: Codebook): string | null {
  if (v.type !== 'multiple') return v.name;
  return codebook.variables.find((c) => c.question === v.name && c.choice !== undefined)?.name ?? null;
}

function translate(n: Node | undefined, lookup: Lookup, codebook: Codebook): Condition | null {
  if (!n) return null;
  const type = n.getType();
  if (type === 'unary') {
    if (n.operator === 'negate') {
      const inner = translate(n.expression, lookup, codebook);
      return inner ? { not: inner } : null;
    }
    const name = n.expression?.getType() === 'variable' ? n.expression.variable : undefined;
    const v = name ? lookup(name) : undefined;
    const column = v ? firstColumn(v, codebook) : null;
    if (!column) return null;
    if (n.operator === 'notempty') return { answered: column };
    if (n.operator === 'empty') return { missing: column };
    return null;
  }
  if (type !== 'binary') return null;
  const op = n.operator ?? '';
  if (op === 'and' || op === 'or') {
    const l = translate(n.leftOperand, lookup, codebook);
    const r = translate(n.rightOperand, lookup, codebook);
    if (!l || !r) return null;
    return op === 'and' ? { all: [l, r] } : { any: [l, r] };
  }
  const name = n.leftOperand?.getType() === 'variable' ? n.leftOperand.variable : undefined;
  const v = name ? lookup(name) : undefined;
  const values = constants(n.rightOperand);
  if (!v || !values) return null;
  const negated = op === 'notequal' || op === 'noneof' || op === 'notcontains';
  let c: Condition | null = null;
  if (v.type === 'multiple') {
    const each = ticked(v, values, codebook);
    if (!each) return null;
    if (op === 'contains' || op === 'notcontains' || op === 'allof') c = { all: each };
    else if (op === 'anyof' || op === 'noneof') c = { any: each };
  } else if (['equal', 'notequal', 'anyof', 'noneof'].includes(op)) c = inLevels(v, values);
  if (!c) return null;
  return negated ? { not: c } : c;
}

/**
 * Who was asked a question, as a plan condition, from its SurveyJS `visibleIf` (the page's,
 * panels' and question's together, as the codebook keeps it): `null` when everyone was asked,
 * `undefined` when the expression says something a plan condition cannot (a comparison of
 * numbers, a function), in which case the base is those who answered.
 *
 * @example askedCondition("{relation} anyof ['short_term', 'ongoing']", codebook)
 * // → { var: 'relation', in: ['short_term', 'ongoing'] }
 */
export function askedCondition(visibleIf: string | null, codebook: Codebook): Condition | null | undefined {
  if (!visibleIf || visibleIf.trim() === '') return null;
  let tree: Operand | undefined;
  try {
    tree = new ConditionsParser().parseExpression(visibleIf);
  } catch {
    return undefined;
  }
  return translate(tree as unknown as Node | undefined, lookupIn(codebook), codebook) ?? undefined;
}
