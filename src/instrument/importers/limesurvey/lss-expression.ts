import { ConditionRunner } from 'survey-core';
import '../../expression-functions.js';
import { ExpressionError, surveyString, type Translation } from '../expression-error.js';

/** What a LimeSurvey variable name stands for in the imported instrument. */
export type LssReference =
  | { kind: 'question'; question: string }
  /** One choice of a multiple-choice question (`Q_SQ`, "Y" when chosen). */
  | { kind: 'choice'; question: string; code: string }
  /** One row of an array question (`Q_SQ`), or one cell (`Q_SQ_X`, `Q_SQ#0`). */
  | { kind: 'row'; question: string; code: string }
  /** The text of an "Other" choice or of a comment box (`Q_other`, `Q_comment`). */
  | { kind: 'comment'; question: string }
  | { kind: 'unknown' };

type Token = (
  | { kind: 'id'; name: string }
  | { kind: 'str'; value: string }
  | { kind: 'num'; value: string }
  | { kind: 'op'; value: string }
) & { start: number; end: number };

/** A part of an `and` left out of a weakened condition, and why. */
export interface DroppedPart {
  part: string;
  reason: string;
}

export interface LssTranslation extends Translation {
  /** With `weaken`: the parts of `and`s left out (the condition is then weaker than the source's). */
  dropped: DroppedPart[];
}

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
  not: '!',
};

/** Attributes of a variable that read its value. */
const VALUE_SUFFIXES = new Set(['NAOK', 'value', 'valueNAOK', 'code']);

/** LimeSurvey functions and the registered (or SurveyJS) function each becomes. */
const FUNCTIONS: Record<string, string> = {
  count: 'countAnswered',
  sum: 'sumAnswered',
  min: 'min',
  max: 'max',
  regexmatch: 'regexMatch',
  strlen: 'strLength',
  intval: 'toInt',
  floatval: 'toNumber',
  round: 'round',
  pow: 'power',
  join: 'concatText',
};

/**
 * Translates a LimeSurvey Expression Manager equation into a SurveyJS expression:
 * `Q1 == "A1"` → `{Q1} = 'A1'`; `.NAOK`, `.value`, `.valueNAOK` read the value, `.shown` its
 * displayed text; SGQA names (`123X4X56`) and `self`/`that.Q` are resolved by `resolve`;
 * `Q2_SQ001 == "Y"` (a ticked box) → `{Q2} contains 'SQ001'`, array rows and cells →
 * `{Q3.SQ001}`, `Q_other` → the "Other" text; `is_empty`, `count`, `sum`, `regexMatch`,
 * `strlen`, `intval`, `round`, `if` → functions of survey-core or of
 * `src/instrument/expression-engine.ts`; `and`/`or`/`!`, comparisons and arithmetic. Anything
 * else throws an {@link ExpressionError} (`syntax` when the text is broken).
 *
 * With `weaken` (a relevance: a weaker condition only shows the question more often), a part of
 * an `and` that cannot be carried (`unsupported` or `reference`) is left out and listed in
 * `dropped`, provided the `and` sits where leaving a part out can only weaken the whole: not
 * under a `!`, nor inside a comparison, arithmetic or a function's arguments. When nothing is
 * left, the error is thrown as without `weaken`. A broken text is never weakened.
 */
export function translateLss(
  source: string,
  resolve: (name: string) => LssReference,
  self: string | null = null,
  options: { weaken?: boolean } = {},
): LssTranslation {
  const trimmed = source.trim().replace(/^\{([\s\S]*)\}$/, '$1');
  const tokens = tokenize(trimmed);
  const references = new Set<string>();
  const dropped: DroppedPart[] = [];
  let pos = 0;
  /** How many enclosing places make leaving a part out unsafe (a `!`, an operand, an argument). */
  let guarded = 0;
  const inside = <T>(parse: () => T): T => {
    guarded++;
    try {
      return parse();
    } finally {
      guarded--;
    }
  };
  /** The token after the conjunct starting at `from`: the next `&&`, `||` or `)` at its depth. */
  const conjunctEnd = (from: number): number => {
    let depth = 0;
    for (let k = from; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (t.kind !== 'op') continue;
      if (t.value === '(') depth++;
      else if (t.value === ')') {
        if (depth === 0) return k;
        depth--;
      } else if (depth === 0 && (t.value === '&&' || t.value === '||')) return k;
    }
    return tokens.length;
  };
  /** Does the parenthesised group opening at `open` stand as a condition (not as an operand)? */
  const standsAlone = (open: number): boolean => {
    let depth = 0;
    for (let k = open; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (t.kind !== 'op') continue;
      if (t.value === '(') depth++;
      else if (t.value === ')' && --depth === 0) {
        const next = tokens[k + 1];
        return next === undefined || (next.kind === 'op' && ['&&', '||', ')'].includes(next.value));
      }
    }
    return false;
  };
  const isOp = (...v: string[]): boolean => {
    const t = tokens[pos];
    return t !== undefined && t.kind === 'op' && v.includes(t.value);
  };
  const expect = (v: string): void => {
    if (!isOp(v)) throw new ExpressionError(`expected "${v}" in ${source}`);
    pos++;
  };
  const contains = (c: { question: string; code: string }) => `({${c.question}} contains '${c.code}')`;
  const truth = (o: Operand): string => (o.choice ? contains(o.choice) : o.text);
  /** A ticked box read as a value is "Y", else "". */
  const value = (o: Operand): string => (o.choice ? `iif(${contains(o.choice)}, 'Y', '')` : o.text);

  const or = (): Operand => {
    let left = and();
    while (isOp('||')) {
      pos++;
      left = { text: `${truth(left)} or ${truth(and())}` };
    }
    return left;
  };
  const and = (): Operand => {
    if (!options.weaken || guarded > 0) {
      let left = comparison();
      while (isOp('&&')) {
        pos++;
        left = { text: `${truth(left)} and ${truth(comparison())}` };
      }
      return left;
    }
    const kept: string[] = [];
    let firstError: ExpressionError | undefined;
    for (;;) {
      const from = pos;
      const noted = dropped.length;
      try {
        kept.push(truth(comparison()));
      } catch (e) {
        if (!(e instanceof ExpressionError) || !e.unsupported) throw e;
        firstError ??= e;
        pos = conjunctEnd(from);
        dropped.length = noted;
        const last = tokens[pos - 1];
        const part = last ? trimmed.slice(tokens[from]!.start, last.end) : '';
        dropped.push({ part, reason: e.message });
      }
      if (!isOp('&&')) break;
      pos++;
    }
    if (kept.length === 0) throw firstError!;
    return { text: kept.join(' and ') };
  };
  const comparison = (): Operand => {
    const left = additive();
    if (!isOp('==', '!=', '<', '<=', '>', '>=')) return left;
    const op = (tokens[pos++] as { value: string }).value;
    const right = inside(additive);
    const choice = left.choice ?? right.choice;
    if (choice && (op === '==' || op === '!=')) {
      const other = left.choice ? right.text : left.text;
      const ticked = other === "'Y'" ? op === '==' : other === "''" ? op === '!=' : null;
      if (ticked !== null) return { text: ticked ? contains(choice) : `!${contains(choice)}` };
    }
    const l = value(left);
    const r = value(right);
    if ((op === '==' || op === '!=') && (r === "''" || l === "''" || r === "' '" || l === "' '")) {
      const operand = r === "''" || r === "' '" ? l : r;
      return { text: emptiness(operand, op === '==') };
    }
    return { text: `${l} ${op === '==' ? '=' : op} ${r}` };
  };
  const additive = (): Operand => {
    let left = multiplicative();
    while (isOp('+', '-')) {
      const op = (tokens[pos++] as { value: string }).value;
      left = { text: `${value(left)} ${op} ${value(inside(multiplicative))}` };
    }
    return left;
  };
  const multiplicative = (): Operand => {
    let left = unary();
    while (isOp('*', '/', '%')) {
      const op = (tokens[pos++] as { value: string }).value;
      left = { text: `${value(left)} ${op} ${value(inside(unary))}` };
    }
    return left;
  };
  const unary = (): Operand => {
    if (isOp('!')) {
      pos++;
      return { text: `!(${truth(inside(unary))})` };
    }
    if (isOp('-')) {
      pos++;
      return { text: `-${value(inside(unary))}` };
    }
    if (isOp('+')) {
      pos++;
      return unary();
    }
    return primary();
  };
  const primary = (): Operand => {
    const t = tokens[pos++];
    if (t === undefined) throw new ExpressionError(`${source} ends too early`);
    if (t.kind === 'str') return { text: surveyString(t.value === '-oth-' ? 'other' : t.value) };
    if (t.kind === 'num') return { text: t.value };
    if (t.kind === 'op') {
      if (t.value === '(') {
        const inner = standsAlone(pos - 1) ? or() : inside(or);
        expect(')');
        return { text: `(${truth(inner)})` };
      }
      throw new ExpressionError(`unexpected "${t.value}" in ${source}`);
    }
    if (isOp('(')) return call(t.name.toLowerCase());
    return variable(t.name);
  };
  const variable = (raw: string): Operand => {
    const parts = raw.split('.');
    if (parts[0] === 'that') parts.shift();
    let name = parts.shift() ?? '';
    if (name === 'self') {
      if (self === null) throw new ExpressionError(`"self" has no meaning in ${source}`, 'unsupported');
      name = self;
    }
    if (parts[0]?.startsWith('sq_')) name = `${name}_${parts.shift()!.slice(3)}`;
    const suffix = parts.shift();
    if (parts.length > 0 || (suffix !== undefined && !VALUE_SUFFIXES.has(suffix) && suffix !== 'shown')) {
      throw new ExpressionError(
        `the attribute .${suffix} of ${name} has no SurveyJS equivalent`,
        'unsupported',
      );
    }
    if (name === 'true' || name === 'false') return { text: name };
    const ref = resolve(name);
    if (ref.kind === 'unknown') {
      throw new ExpressionError(`"${name}" is not a carried question of this survey`, 'reference');
    }
    references.add(ref.question);
    if (suffix === 'shown') {
      if (ref.kind !== 'question')
        throw new ExpressionError(`.shown of ${name} has no SurveyJS equivalent`, 'unsupported');
      return { text: `displayValue('${ref.question}')` };
    }
    if (ref.kind === 'choice')
      return { text: `{${ref.question}}`, choice: { question: ref.question, code: ref.code } };
    if (ref.kind === 'row') return { text: `{${ref.question}.${ref.code}}` };
    if (ref.kind === 'comment') return { text: `{${ref.question}-Comment}` };
    return { text: `{${ref.question}}` };
  };
  const call = (name: string): Operand => {
    expect('(');
    const args: Operand[] = [];
    if (!isOp(')')) {
      args.push(inside(or));
      while (isOp(',')) {
        pos++;
        args.push(inside(or));
      }
    }
    expect(')');
    const arity = (...n: number[]) => {
      if (!n.includes(args.length))
        throw new ExpressionError(`${name}() takes ${n.join(' or ')} argument(s) in ${source}`);
    };
    switch (name) {
      case 'is_empty': {
        arity(1);
        const a = args[0]!;
        return { text: a.choice ? `!${contains(a.choice)}` : emptiness(a.text, true) };
      }
      case 'if':
        arity(3);
        return { text: `iif(${truth(args[0]!)}, ${value(args[1]!)}, ${value(args[2]!)})` };
      case 'regexmatch':
        arity(2);
        break;
      case 'strlen':
      case 'intval':
      case 'floatval':
        arity(1);
        break;
      case 'round':
        arity(1, 2);
        break;
      case 'pow':
        arity(2);
        break;
    }
    const target = FUNCTIONS[name];
    if (!target)
      throw new ExpressionError(`the function ${name}() has no SurveyJS equivalent`, 'unsupported');
    return { text: `${target}(${args.map(value).join(', ')})` };
  };

  if (trimmed === '' || trimmed === '1') return { expression: 'true', references: [], dropped };
  const result = truth(or());
  if (pos < tokens.length) throw new ExpressionError(`unexpected text after position ${pos} in ${source}`);
  if (!new ConditionRunner(result).canRun()) {
    throw new ExpressionError(`${source} became ${result}, which SurveyJS cannot run`, 'unsupported');
  }
  return { expression: result, references: [...references], dropped };
}

/** `{x} empty` for a variable; the registered `isAnswered()` for anything else. */
function emptiness(operand: string, empty: boolean): string {
  if (/^\{[^{}]+\}$/.test(operand)) return `${operand} ${empty ? 'empty' : 'notempty'}`;
  return empty ? `!isAnswered(${operand})` : `isAnswered(${operand})`;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const re =
    /\s+|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\d+X\d+X\d+[A-Za-z0-9_#]*(?:\.[A-Za-z]+)?)|(\d+(?:\.\d+)?|\.\d+)|(===|!==|==|!=|<=|>=|&&|\|\||<|>|!|\+|-|\*|\/|%|\(|\)|,)|([A-Za-z_][A-Za-z0-9_#]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)/y;
  let i = 0;
  while (i < source.length) {
    re.lastIndex = i;
    const m = re.exec(source);
    if (!m) throw new ExpressionError(`cannot read "${source.slice(i, i + 12)}" in ${source}`);
    const at = { start: i, end: re.lastIndex };
    i = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'str', value: m[1].replace(/\\(.)/g, '$1'), ...at });
    else if (m[2] !== undefined) tokens.push({ kind: 'str', value: m[2].replace(/\\(.)/g, '$1'), ...at });
    else if (m[3] !== undefined) tokens.push({ kind: 'id', name: m[3], ...at });
    else if (m[4] !== undefined) tokens.push({ kind: 'num', value: m[4], ...at });
    else if (m[5] !== undefined)
      tokens.push({ kind: 'op', value: m[5] === '===' ? '==' : m[5] === '!==' ? '!=' : m[5], ...at });
    else if (m[6] !== undefined) {
      const op = WORD_OPS[m[6].toLowerCase()];
      tokens.push(op ? { kind: 'op', value: op, ...at } : { kind: 'id', name: m[6], ...at });
    }
  }
  return tokens;
}
