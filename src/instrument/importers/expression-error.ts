/** A source expression that cannot become a SurveyJS expression. */
export class ExpressionError extends Error {
  /**
   * `syntax`: the source itself is broken (an unbalanced quote or parenthesis); `unsupported`: it
   * is well-formed but uses something SurveyJS cannot express; `reference`: it names something
   * that is not (or no longer) a question of the instrument.
   */
  readonly kind: 'syntax' | 'unsupported' | 'reference';
  constructor(message: string, kind: boolean | 'syntax' | 'unsupported' | 'reference' = 'syntax') {
    super(message);
    this.name = 'ExpressionError';
    this.kind = kind === true ? 'unsupported' : kind === false ? 'syntax' : kind;
  }
  /** True when the expression is well-formed but cannot be carried (unsupported or a reference). */
  get unsupported(): boolean {
    return this.kind !== 'syntax';
  }
}

/** A translated expression and the question names it reads. */
export interface Translation {
  expression: string;
  references: string[];
}

/** A string literal as SurveyJS reads it. */
export function surveyString(s: string): string {
  if (!s.includes("'")) return `'${s}'`;
  if (!s.includes('"')) return `"${s}"`;
  throw new ExpressionError(`the text ${s} holds both kinds of quote`, true);
}

/** Lists dependency cycles (`a → b → a`) in a graph of "shown if" references. */
export function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}
