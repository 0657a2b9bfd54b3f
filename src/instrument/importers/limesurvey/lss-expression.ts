import { ConditionRunner } from 'survey-core';
import { ExpressionError, surveyString, type Translation } from '../expression-error.js';

/** What a LimeSurvey variable name stands for in the imported instrument. */
export type LssReference =
  | { kind: 'question'; question: string }
  /** One choice of a multiple-choice question (`Q_SQ`, "Y" when chosen). */
  | { kind: 'choice'; question: string; code: string }
  /** One row of an array question (`Q_SQ`). */
  | { kind: 'row'; question: string; code: string }
  | { kind: 'unknown' };

type Token =
  | { kind: 'id'; name: string }
  | { kind: 'str'; value: string }
  | { kind: 'num'; value: string }
  | { kind: 'op'; value: string };

/** An operand as translated so far: its SurveyJS text, and the choice it names when it is one. */
interface Operand {
  text: string;
  choice?: { question: string; code: string };
}

const WORD_OPS: Record<string, string> = {
  eq: '==',
  ne: '!=',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  and: '&&',
  or: '||',
};

/**
 * Translates a LimeSurvey ExpressionScript relevance equation into a SurveyJS expression:
 * `Q1 == "A1"` → `{Q1} = 'A1'`, `Q1.NAOK` → `{Q1}`, `Q2_SQ001 == "Y"` (a chosen box of a
 * multiple-choice question) → `{Q2} contains 'SQ001'`, array rows → `{Q3.SQ001}`,
 * `is_empty(Q1)` → `{Q1} empty`, `and`/`or`/`&&`/`||`/`!`, comparisons and arithmetic,
 * `if()` → `iif()`. Other functions throw an unsupported {@link ExpressionError}.
 */
export function translateLss(source: string, resolve: (name: string) => LssReference): Translation {
  const trimmed = source.trim().replace(/^\{([\s\S]*)\}$/, '$1');
  const tokens = tokenize(trimmed);
  const references = new Set<string>();
  let pos = 0;
  const isOp = (...v: string[]): boolean => {
    const t = tokens[pos];
    return t !== undefined && t.kind === 'op' && v.includes(t.value);
  };
  const expect = (v: string): void => {
    if (!isOp(v)) throw new ExpressionError(`expected "${v}" in ${source}`);
    pos++;
  };
  const truth = (o: Operand): string =>
    o.choice ? `({${o.choice.question}} contains '${o.choice.code}')` : o.text;

  const or = (): Operand => {
    let left = and();
    while (isOp('||')) {
      pos++;
      left = { text: `${truth(left)} or ${truth(and())}` };
    }
    return left;
  };
  const and = (): Operand => {
    let left = comparison();
    while (isOp('&&')) {
      pos++;
      left = { text: `${truth(left)} and ${truth(comparison())}` };
    }
    return left;
  };
  const comparison = (): Operand => {
    const left = additive();
    if (!isOp('==', '!=', '<', '<=', '>', '>=')) return left;
    const op = (tokens[pos++] as { value: string }).value;
    const right = additive();
    const choice = left.choice ?? right.choice;
    if (choice) {
      const other = left.choice ? right.text : left.text;
      const chosen = other === "'Y'" ? op === '==' : other === "''" ? op === '!=' : null;
      if (chosen === null || (op !== '==' && op !== '!=')) {
        throw new ExpressionError(
          `a multiple-choice box can only be compared with "Y" or "" in ${source}`,
          true,
        );
      }
      const test = `({${choice.question}} contains '${choice.code}')`;
      return { text: chosen ? test : `!${test}` };
    }
    if ((op === '==' || op === '!=') && (right.text === "''" || left.text === "''")) {
      const operand = right.text === "''" ? left.text : right.text;
      return { text: `${operand} ${op === '==' ? 'empty' : 'notempty'}` };
    }
    return { text: `${left.text} ${op === '==' ? '=' : op} ${right.text}` };
  };
  const additive = (): Operand => {
    let left = multiplicative();
    while (isOp('+', '-')) {
      const op = (tokens[pos++] as { value: string }).value;
      left = { text: `${left.text} ${op} ${multiplicative().text}` };
    }
    return left;
  };
  const multiplicative = (): Operand => {
    let left = unary();
    while (isOp('*', '/')) {
      const op = (tokens[pos++] as { value: string }).value;
      left = { text: `${left.text} ${op} ${unary().text}` };
    }
    return left;
  };
  const unary = (): Operand => {
    if (isOp('!')) {
      pos++;
      return { text: `!(${truth(unary())})` };
    }
    if (isOp('-')) {
      pos++;
      return { text: `-${unary().text}` };
    }
    return primary();
  };
  const primary = (): Operand => {
    const t = tokens[pos++];
    if (t === undefined) throw new ExpressionError(`${source} ends too early`);
    if (t.kind === 'str') return { text: surveyString(t.value) };
    if (t.kind === 'num') return { text: t.value };
    if (t.kind === 'op') {
      if (t.value === '(') {
        const inner = or();
        expect(')');
        return { text: `(${truth(inner)})` };
      }
      throw new ExpressionError(`unexpected "${t.value}" in ${source}`);
    }
    if (isOp('(')) return call(t.name.toLowerCase());
    return variable(t.name);
  };
  const variable = (raw: string): Operand => {
    const [name = '', suffix] = raw.split('.');
    if (suffix !== undefined && !['NAOK', 'value', 'code'].includes(suffix)) {
      throw new ExpressionError(`the attribute .${suffix} of ${name} has no SurveyJS equivalent`, true);
    }
    const ref = resolve(name);
    if (ref.kind === 'unknown') {
      throw new ExpressionError(`"${name}" is not a question of this survey`);
    }
    references.add(ref.question);
    if (ref.kind === 'choice')
      return { text: `{${ref.question}}`, choice: { question: ref.question, code: ref.code } };
    if (ref.kind === 'row') return { text: `{${ref.question}.${ref.code}}` };
    return { text: `{${ref.question}}` };
  };
  const call = (name: string): Operand => {
    expect('(');
    const args: Operand[] = [];
    if (!isOp(')')) {
      args.push(or());
      while (isOp(',')) {
        pos++;
        args.push(or());
      }
    }
    expect(')');
    const one = (): Operand => {
      if (args.length !== 1) throw new ExpressionError(`${name}() takes one argument in ${source}`);
      return args[0]!;
    };
    switch (name) {
      case 'is_empty': {
        const a = one();
        return { text: a.choice ? `!(${truth(a)})` : `${a.text} empty` };
      }
      case 'intval':
      case 'floatval':
        return { text: one().text };
      case 'if':
        if (args.length !== 3) throw new ExpressionError(`if() takes three arguments in ${source}`);
        return { text: `iif(${args.map(truth).join(', ')})` };
      case 'sum':
      case 'min':
      case 'max':
        return { text: `${name}(${args.map((a) => a.text).join(', ')})` };
      default:
        throw new ExpressionError(`the function ${name}() has no SurveyJS equivalent`, true);
    }
  };

  if (trimmed === '' || trimmed === '1') return { expression: 'true', references: [] };
  const result = truth(or());
  if (pos < tokens.length) throw new ExpressionError(`unexpected text after position ${pos} in ${source}`);
  if (!new ConditionRunner(result).canRun()) {
    throw new ExpressionError(`${source} became ${result}, which SurveyJS cannot run`);
  }
  return { expression: result, references: [...references] };
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const re =
    /\s+|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\d+(?:\.\d+)?)|(==|!=|<=|>=|&&|\|\||<|>|!|\+|-|\*|\/|\(|\)|,)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z]+)?)/y;
  let i = 0;
  while (i < source.length) {
    re.lastIndex = i;
    const m = re.exec(source);
    if (!m) throw new ExpressionError(`cannot read "${source.slice(i, i + 12)}" in ${source}`);
    i = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'str', value: m[1].replace(/\\(.)/g, '$1') });
    else if (m[2] !== undefined) tokens.push({ kind: 'str', value: m[2].replace(/\\(.)/g, '$1') });
    else if (m[3] !== undefined) tokens.push({ kind: 'num', value: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'op', value: m[4] });
    else if (m[5] !== undefined) {
      const op = WORD_OPS[m[5].toLowerCase()];
      tokens.push(op ? { kind: 'op', value: op } : { kind: 'id', name: m[5] });
    }
  }
  return tokens;
}
