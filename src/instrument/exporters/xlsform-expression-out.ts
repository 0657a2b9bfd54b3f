import { ConditionsParser } from 'survey-core';
import { cairnetError } from '../../errors.js';
import type { ExpressionNode as Node } from '../expression-tree.js';

const COMPARE: Record<string, string> = {
  equal: '=',
  notequal: '!=',
  less: '<',
  lessorequal: '<=',
  greater: '>',
  greaterorequal: '>=',
};
const ARITHMETIC: Record<string, string> = { plus: '+', minus: '-', mul: '*', div: 'div', mod: 'mod' };

function literal(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true()' : 'false()';
  const s = String(v ?? '');
  return s.includes("'") ? `"${s}"` : `'${s}'`;
}

/**
 * Writes a SurveyJS expression as an XLSForm (XPath-like) one, the inverse of the importer's
 * translation: `{q}` → `${q}` (`.` for the question itself), `{q} contains 'x'` (a checkbox) →
 * `selected(${q}, 'x')`, `anyof`/`noneof`/`allof` → `or`/`and` of comparisons or `selected()`,
 * `empty`/`notempty` → `= ''`/`!= ''`, `!e` → `not(e)`, `iif()` → `if()`. What XLSForm cannot
 * say is `CAIRNET_INSTRUMENT_EXPORT_UNSUPPORTED`.
 *
 * @example toXlsformExpression("{relation} anyof ['a', 'b']", { isMultiple: () => false })
 * // "(${relation} = 'a' or ${relation} = 'b')"
 */
export function toXlsformExpression(
  source: string,
  ctx: { isMultiple: (name: string) => boolean; self?: string; rename?: (name: string) => string },
): string {
  const tree = new ConditionsParser().parseExpression(source) as unknown as Node | undefined;
  const fail = (why: string): never => {
    throw cairnetError('CAIRNET_INSTRUMENT_EXPORT_UNSUPPORTED', `"${source}": ${why} has no XLSForm form`);
  };
  if (!tree) return fail('an expression that does not parse');
  const ref = (n: Node): string => {
    const name = n.variable ?? '';
    return name === ctx.self ? '.' : `\${${ctx.rename ? ctx.rename(name) : name}}`;
  };
  const write = (n: Node | undefined): string => {
    if (!n) return fail('an empty operand');
    switch (n.getType()) {
      case 'variable':
        return ref(n);
      case 'const':
        return literal(n.correctValue ?? n.value);
      case 'unary': {
        const op = n.operator ?? '';
        if (op === 'negate') return `not(${write(n.expression)})`;
        if (op === 'empty') return `${write(n.expression)} = ''`;
        if (op === 'notempty') return `${write(n.expression)} != ''`;
        return fail(`the operator ${op}`);
      }
      case 'function': {
        const args = (n.paramValues ?? []).map(write);
        if (n.functionName === 'iif' && args.length === 3) return `if(${args.join(', ')})`;
        if (n.functionName === 'today' && args.length === 0) return 'today()';
        return fail(`the function ${n.functionName}()`);
      }
      case 'binary':
        return binary(n);
      default:
        return fail(`a ${n.getType()}`);
    }
  };
  const binary = (n: Node): string => {
    const op = n.operator ?? '';
    if (op === 'and' || op === 'or') return `(${write(n.leftOperand)} ${op} ${write(n.rightOperand)})`;
    if (op in COMPARE) return `${write(n.leftOperand)} ${COMPARE[op]} ${write(n.rightOperand)}`;
    if (op in ARITHMETIC) return `(${write(n.leftOperand)} ${ARITHMETIC[op]} ${write(n.rightOperand)})`;
    const left = n.leftOperand;
    if (left?.getType() !== 'variable') return fail(`"${op}" on something other than a question`);
    const right = n.rightOperand;
    const values = right?.getType() === 'array' ? (right.values ?? []) : right ? [right] : [];
    const multiple = ctx.isMultiple(left.variable ?? '');
    const one = (v: Node) =>
      multiple ? `selected(${ref(left)}, ${write(v)})` : `${ref(left)} = ${write(v)}`;
    const join = (parts: string[], w: string) =>
      parts.length === 1 ? parts[0]! : `(${parts.join(` ${w} `)})`;
    if (values.length === 0) return fail(`"${op}" with no value`);
    switch (op) {
      case 'contains':
      case 'allof':
        return join(values.map(one), 'and');
      case 'notcontains':
        return `not(${join(values.map(one), 'and')})`;
      case 'anyof':
        return join(values.map(one), 'or');
      case 'noneof':
        return `not(${join(values.map(one), 'or')})`;
      default:
        return fail(`the operator ${op}`);
    }
  };
  return write(tree);
}
