/** A source expression that cannot become a SurveyJS expression. */
export class ExpressionError extends Error {
  /** True when the expression is well-formed but uses something SurveyJS cannot express. */
  readonly unsupported: boolean;
  constructor(message: string, unsupported = false) {
    super(message);
    this.name = 'ExpressionError';
    this.unsupported = unsupported;
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
