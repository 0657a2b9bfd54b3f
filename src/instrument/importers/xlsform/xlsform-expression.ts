import { ConditionRunner } from 'survey-core';
import '../../expression-functions.js';
import { ExpressionError, surveyString, type Translation } from '../expression-error.js';

type Token =
  | { kind: 'ref'; name: string }
  | { kind: 'str'; value: string }
  | { kind: 'num'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'word'; value: string }
  | { kind: 'dot' };

/**
 * Translates an XLSForm (XPath-like) expression into a SurveyJS expression:
 * `${q}` → `{q}`, `.` → the current question, `selected(${q}, 'x')` → `{q} contains 'x'`,
 * `not(e)` → `!(e)`, `and`/`or`, comparisons (`= != < <= > >=`; `= ''` → `empty`), arithmetic
 * (`+ - * div mod`), `if()` → `iif()`, `today()`, `true()`, `false()`. Anything else throws an
 * {@link ExpressionError} (`unsupported` for well-formed expressions SurveyJS cannot express).
 *
 * @example translateXlsform("${age} >= 18 and selected(${roles}, 'pi')", 'x').expression
 * // "{age} >= 18 and ({roles} contains 'pi')"
 */
export interface XlsformScope {
  /** Names of the questions of the enclosing repeat: read as `{panel.NAME}`. */
  siblings?: ReadonlySet<string>;
  /** A bare name (a column of the choices sheet in a choice_filter), as a SurveyJS literal. */
  column?: (name: string) => string | undefined;
  /** Questions holding one choice (select_one): `selected()` on them is an equality. */
  single?: ReadonlySet<string>;
}

/** Functions that become a registered function of the same arguments. */
const SAME_ARGS: Record<string, string> = {
  'count-selected': 'countSelected',
  'string-length': 'strLength',
  coalesce: 'coalesce',
  int: 'toInt',
  number: 'toNumber',
  concat: 'concatText',
  pow: 'power',
  round: 'round',
  min: 'min',
  max: 'max',
};

export function translateXlsform(source: string, self: string | null, scope: XlsformScope = {}): Translation {
  const tokens = tokenize(source);
  const references = new Set<string>();
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (v: string): boolean => {
    const t = peek();
    return t !== undefined && t.kind === 'op' && t.value === v;
  };
  const isWord = (v: string): boolean => {
    const t = peek();
    return t !== undefined && t.kind === 'word' && t.value === v;
  };
  const expect = (v: string): void => {
    if (!isOp(v)) throw new ExpressionError(`expected "${v}" in ${source}`);
    pos++;
  };

  const or = (): string => {
    let left = and();
    while (isWord('or')) {
      pos++;
      left = `${left} or ${and()}`;
    }
    return left;
  };
  const and = (): string => {
    let left = comparison();
    while (isWord('and')) {
      pos++;
      left = `${left} and ${comparison()}`;
    }
    return left;
  };
  const comparison = (): string => {
    const left = additive();
    const t = peek();
    if (t?.kind === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(t.value)) {
      pos++;
      const right = additive();
      if ((t.value === '=' || t.value === '!=') && (right === "''" || left === "''")) {
        const operand = right === "''" ? left : right;
        return `${operand} ${t.value === '=' ? 'empty' : 'notempty'}`;
      }
      return `${left} ${t.value} ${right}`;
    }
    return left;
  };
  const additive = (): string => {
    let left = multiplicative();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[pos++] as { value: string }).value;
      left = `${left} ${op} ${multiplicative()}`;
    }
    return left;
  };
  const multiplicative = (): string => {
    let left = unary();
    while (isOp('*') || isWord('div') || isWord('mod')) {
      const t = tokens[pos++] as { value: string };
      const op = t.value === 'div' ? '/' : t.value === 'mod' ? '%' : '*';
      left = `${left} ${op} ${unary()}`;
    }
    return left;
  };
  const unary = (): string => {
    if (isOp('-')) {
      pos++;
      return `-${unary()}`;
    }
    return primary();
  };
  const args = (): string[] => {
    expect('(');
    const list: string[] = [];
    if (!isOp(')')) {
      list.push(or());
      while (isOp(',')) {
        pos++;
        list.push(or());
      }
    }
    expect(')');
    return list;
  };
  const primary = (): string => {
    const t = tokens[pos++];
    if (t === undefined) throw new ExpressionError(`${source} ends too early`);
    switch (t.kind) {
      case 'ref':
        references.add(t.name);
        return scope.siblings?.has(t.name) ? `{panel.${t.name}}` : `{${t.name}}`;
      case 'dot':
        if (self === null) throw new ExpressionError(`"." has no meaning in ${source}`, 'unsupported');
        return scope.siblings?.has(self) ? `{panel.${self}}` : `{${self}}`;
      case 'str':
        return surveyString(t.value);
      case 'num':
        return t.value;
      case 'op':
        if (t.value === '(') {
          const inner = or();
          expect(')');
          return `(${inner})`;
        }
        throw new ExpressionError(`unexpected "${t.value}" in ${source}`);
      case 'word': {
        const next = tokens[pos];
        if (next?.kind === 'op' && next.value === '(') return call(t.value, args());
        if (t.value === 'true' || t.value === 'false') return t.value;
        const literal = scope.column?.(t.value);
        if (literal !== undefined) return literal;
        throw new ExpressionError(`"${t.value}" is not a question or a function in ${source}`, 'reference');
      }
    }
  };
  const call = (name: string, a: string[]): string => {
    const arity = (n: number) => {
      if (a.length !== n) throw new ExpressionError(`${name}() takes ${n} argument(s) in ${source}`);
    };
    switch (name) {
      case 'selected': {
        arity(2);
        // `contains` on a single choice's text would also match a longer code holding it.
        const one = /^\{(?:panel\.)?([^{}]+)\}$/.exec(a[0]!)?.[1];
        return one !== undefined && scope.single?.has(one)
          ? `(${a[0]} = ${a[1]})`
          : `(${a[0]} contains ${a[1]})`;
      }
      case 'not':
        arity(1);
        return `!(${a[0]})`;
      case 'true':
        arity(0);
        return 'true';
      case 'false':
        arity(0);
        return 'false';
      case 'today':
        arity(0);
        return 'today()';
      case 'if':
        arity(3);
        return `iif(${a.join(', ')})`;
      case 'now':
        arity(0);
        return 'currentDate()';
      case 'regex':
        arity(2);
        return `regexMatch(${a[1]}, ${a[0]})`;
      case 'once':
      case 'string':
        arity(1);
        return a[0]!;
      default: {
        const target = SAME_ARGS[name];
        if (target) return `${target}(${a.join(', ')})`;
        throw new ExpressionError(`the function ${name}() has no SurveyJS equivalent`, true);
      }
    }
  };

  const expression = or();
  if (pos < tokens.length) throw new ExpressionError(`unexpected text after position ${pos} in ${source}`);
  if (!new ConditionRunner(expression).canRun()) {
    throw new ExpressionError(`${source} became ${expression}, which SurveyJS cannot run`, 'unsupported');
  }
  return { expression, references: [...references] };
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const re =
    /\s+|\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}|'([^']*)'|"([^"]*)"|(\d+(?:\.\d+)?|\.\d+)|(!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)|([A-Za-z_][A-Za-z0-9_:-]*)|(\.)/y;
  let i = 0;
  while (i < source.length) {
    re.lastIndex = i;
    const m = re.exec(source);
    if (!m) {
      const quote = /^['"]/.test(source.slice(i)) ? ' (a quote is not closed)' : '';
      throw new ExpressionError(`cannot read "${source.slice(i, i + 12)}"${quote} in ${source}`);
    }
    i = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'ref', name: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'str', value: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'str', value: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'num', value: m[4] });
    else if (m[5] !== undefined) tokens.push({ kind: 'op', value: m[5] });
    else if (m[6] !== undefined) tokens.push({ kind: 'word', value: m[6] });
    else if (m[7] !== undefined) tokens.push({ kind: 'dot' });
  }
  return tokens;
}
