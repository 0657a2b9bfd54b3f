import type { InstrumentJson } from '../../types.js';
import { ExpressionError } from '../expression-error.js';
import type { ImportProblems } from '../import-problems.js';
import { type LssReference, translateLss } from './lss-expression.js';

const TEXT_KEYS = new Set(['title', 'description', 'html', 'text', 'otherText', 'commentText']);

/**
 * Rewrites LimeSurvey's piping in every displayed text into SurveyJS text processing:
 * `{Q1}`, `{Q1.shown}`, `{INSERTANS:123X4X5}` → `{Q1}`; an expression (`{round(BMI,2)}`)
 * becomes a calculated value shown as `{pipe_N}`. What cannot be carried (`{TOKEN:…}`, an
 * unknown name) is removed from the text and reported for its question.
 */
export function rewritePiping(
  json: InstrumentJson,
  resolve: (name: string) => LssReference,
  problems: ImportProblems,
): void {
  const calculated: { name: string; expression: string }[] = [];
  const byExpression = new Map<string, string>();
  const rewrite = (text: string, where: string, self: string | null): string =>
    text.replace(/\{([^{}\n]{1,500})\}/g, (whole, inner: string) => {
      const source = inner.trim().replace(/^INSERTANS:/, '');
      if (/^[A-Z]+:/.test(source) || /^(SAVEDID|SID|SURVEYURL|PERCENTCOMPLETE|TOKEN|EXPIRY)$/.test(source)) {
        problems.lose(
          where,
          'piping',
          `${whole} (a LimeSurvey placeholder) is not carried: removed from the text`,
        );
        return '';
      }
      try {
        const t = translateLss(source, resolve, self);
        const simple =
          /^\{([^{}]+)\}$/.exec(t.expression) ?? /^displayValue\('([^']+)'\)$/.exec(t.expression);
        if (simple) return `{${simple[1]}}`;
        let name = byExpression.get(t.expression);
        if (!name) {
          name = `pipe_${calculated.length + 1}`;
          byExpression.set(t.expression, name);
          calculated.push({ name, expression: t.expression });
        }
        return `{${name}}`;
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        problems.lose(where, 'piping', `${whole} cannot be shown (${e.message}): removed from the text`);
        return '';
      }
    });
  const visit = (node: unknown, where: string, self: string | null): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, where, self);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const isQuestion = typeof o.name === 'string' && typeof o.type === 'string';
    const here = isQuestion ? `question ${o.name}` : where;
    const me = isQuestion ? (o.name as string) : self;
    for (const [k, v] of Object.entries(o)) {
      if (TEXT_KEYS.has(k) && typeof v === 'string') o[k] = rewrite(v, here, me);
      else if (TEXT_KEYS.has(k) && v && typeof v === 'object' && !Array.isArray(v)) {
        const loc = v as Record<string, unknown>;
        for (const [lang, s] of Object.entries(loc))
          if (typeof s === 'string') loc[lang] = rewrite(s, here, me);
      } else if (k !== 'calculatedValues') visit(v, here, me);
    }
  };
  visit(json.pages, 'survey', null);
  for (const key of ['title', 'description'] as const) {
    const v = json[key];
    if (typeof v === 'string') json[key] = rewrite(v, 'survey', null);
  }
  if (calculated.length > 0) {
    json.calculatedValues = [
      ...((json.calculatedValues as unknown[] | undefined) ?? []),
      ...calculated.map((c) => ({ ...c, includeIntoResult: false })),
    ];
  }
}
