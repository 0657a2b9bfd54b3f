// Functions that imported questionnaires use and SurveyJS lacks (LimeSurvey's Expression Manager,
// ODK's XPath). One module, run as it is in both places: the respondent's page loads it bundled
// (`src/web/client/expression-functions.ts` → `/assets/expression-functions.js`, after
// survey-core; it registers itself on window.Survey), and the server imports it and registers the
// same functions on survey-core's FunctionFactory (`expression-functions.ts`), so the form and the
// server's validator run the same engine. Pure: no DOM, no Node.

const MAX_REGEX_INPUT = 2000;

/** Arguments flattened: arrays and the values of objects (matrix answers) become items. */
function flat(args: readonly unknown[], out: unknown[]): unknown[] {
  for (const a of args) {
    if (Array.isArray(a)) flat(a, out);
    else if (a !== null && typeof a === 'object') flat(Object.values(a), out);
    else out.push(a);
  }
  return out;
}
const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** A LimeSurvey/PHP pattern (`/^a$/i`) or a plain one (ODK) as a JavaScript RegExp, or null. */
function toRegExp(pattern: unknown): RegExp | null {
  const p = String(pattern ?? '');
  const delimited = /^([/#~!@%|])([\s\S]*)\1([imsux]*)$/.exec(p);
  try {
    if (delimited) return new RegExp(delimited[2]!, delimited[3]!.replace(/[xs]/g, '') + 'u');
    return new RegExp(p, 'u');
  } catch {
    try {
      return new RegExp(delimited ? delimited[2]! : p);
    } catch {
      return null;
    }
  }
}

type ExpressionFunction = (params: unknown[]) => unknown;

const functions: Record<string, ExpressionFunction> = {
  /** LimeSurvey regexMatch(pattern, value); ODK regex(value, pattern) is translated to it. */
  regexMatch(params) {
    const value = params[1];
    if (isEmpty(value)) return false;
    const re = toRegExp(params[0]);
    const text = String(value);
    return re !== null && text.length <= MAX_REGEX_INPUT && re.test(text);
  },
  /** Length of a text (LimeSurvey strlen, ODK string-length). */
  strLength(params) {
    const v = params[0];
    return isEmpty(v) ? 0 : [...String(v)].length;
  },
  /** Number of choices ticked (ODK count-selected). */
  countSelected(params) {
    const v = params[0];
    if (Array.isArray(v)) return v.length;
    if (isEmpty(v)) return 0;
    return String(v).split(/\s+/).filter(Boolean).length;
  },
  /** LimeSurvey count(): how many of the values (arrays and matrix rows flattened) are answered. */
  countAnswered(params) {
    return flat(params, []).filter((v) => !isEmpty(v)).length;
  },
  /** LimeSurvey sum(): the numbers among the values, added (empty ones ignored). */
  sumAnswered(params) {
    let total = 0;
    for (const v of flat(params, [])) {
      const n = Number(v);
      if (!isEmpty(v) && Number.isFinite(n)) total += n;
    }
    return total;
  },
  /** The first value that is not empty (ODK coalesce). */
  coalesce(params) {
    for (const v of params) if (!isEmpty(v)) return v;
    return '';
  },
  /** The integer part (ODK int, LimeSurvey intval). */
  toInt(params) {
    const n = Number(params[0]);
    return Number.isFinite(n) ? Math.trunc(n) : 0;
  },
  /** A number, or NaN-free 0 (ODK number, LimeSurvey floatval). */
  toNumber(params) {
    const n = Number(params[0]);
    return Number.isFinite(n) ? n : 0;
  },
  /** Texts joined (ODK concat, LimeSurvey join). */
  concatText(params) {
    return flat(params, [])
      .map((v) => (isEmpty(v) ? '' : String(v)))
      .join('');
  },
  /** ODK pow, LimeSurvey pow. */
  power(params) {
    const r = Number(params[0]) ** Number(params[1]);
    return Number.isFinite(r) ? r : 0;
  },
  /** Whether a value was given (LimeSurvey !is_empty on any value, arrays included). */
  isAnswered(params) {
    return flat([params[0]], []).some((v) => !isEmpty(v));
  },
};

/** What survey-core's FunctionFactory offers that the registration uses. */
export interface FunctionFactoryLike {
  Instance: { register(name: string, func: ExpressionFunction): void };
}

/** Registers the functions on a survey-core FunctionFactory (idempotent). */
export function registerOn(factory: FunctionFactoryLike): void {
  for (const [name, func] of Object.entries(functions)) factory.Instance.register(name, func);
}

/** Names of the functions {@link registerOn} registers. */
export const EXPRESSION_FUNCTION_NAMES: readonly string[] = Object.keys(functions);
