import type { ConditionEngine } from './condition-engine.js';
import type { ElementJson } from './questionnaire-sites.js';
import type { Random } from './random.js';

type Values = Record<string, unknown>;

/** What the scalar draws need besides the question: the engine, the values so far, the language. */
export interface ScalarContext {
  rand: Random;
  engine: ConditionEngine;
  values: Values;
  /** The word of a text placeholder in the survey's language ("Texte", "Text"). */
  word: string;
  /** The draw being tried for this question (0 first): texts try another form each time. */
  attempt: number;
}

/** The range a number is drawn in when the questionnaire sets none. */
const DEFAULT_SPAN = 100;

function num(v: unknown): number | undefined {
  if (v === null || v === undefined || v === '' || typeof v === 'boolean') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Bounds an expression validator states on the question itself (`{age} >= 18 and {age} <= 99`,
 * `0 < {x}`): a hint to draw within, the validator itself being checked afterwards.
 */
export function expressionBounds(expression: string, name: string): { lower: Bound[]; upper: Bound[] } {
  const lower: Bound[] = [];
  const upper: Bound[] = [];
  const ref = `\\{${escapeRegExp(name)}\\}`;
  const number = '(-?\\d+(?:\\.\\d+)?)';
  for (const m of expression.matchAll(new RegExp(`${ref}\\s*(<=|>=|<|>)\\s*${number}`, 'g'))) {
    const b = { value: Number(m[2]), strict: m[1]!.length === 1 };
    (m[1]!.startsWith('>') ? lower : upper).push(b);
  }
  for (const m of expression.matchAll(new RegExp(`${number}\\s*(<=|>=|<|>)\\s*${ref}`, 'g'))) {
    const b = { value: Number(m[1]), strict: m[2]!.length === 1 };
    (m[2]!.startsWith('<') ? lower : upper).push(b);
  }
  return { lower, upper };
}

interface Bound {
  value: number;
  strict: boolean;
}

function validatorsOf(el: ElementJson): Values[] {
  return Array.isArray(el.validators)
    ? (el.validators as Values[]).filter((v) => v && typeof v === 'object')
    : [];
}

/** The bounds a number question states: `min`/`max` (or their expressions), numeric and expression validators. */
function numberBounds(el: ElementJson, name: string, ctx: ScalarContext) {
  const lower: Bound[] = [];
  const upper: Bound[] = [];
  const push = (list: Bound[], v: unknown, strict = false) => {
    const n = num(v);
    if (n !== undefined) list.push({ value: n, strict });
  };
  push(lower, el.min);
  push(upper, el.max);
  if (typeof el.minValueExpression === 'string')
    push(lower, ctx.engine.run(el.minValueExpression, ctx.values));
  if (typeof el.maxValueExpression === 'string')
    push(upper, ctx.engine.run(el.maxValueExpression, ctx.values));
  for (const v of validatorsOf(el)) {
    if (v.type === 'numeric') {
      push(lower, v.minValue);
      push(upper, v.maxValue);
    }
    if (v.type === 'expression' && typeof v.expression === 'string') {
      const b = expressionBounds(v.expression, name);
      lower.push(...b.lower);
      upper.push(...b.upper);
    }
  }
  return { lower, upper };
}

/**
 * A number for a number (or range) question: within its bounds and on its step;
 * a whole number unless the bounds or the step are not.
 */
export function drawNumber(el: ElementJson, name: string, ctx: ScalarContext): number {
  const range = el.inputType === 'range';
  const step = num(el.step) ?? (range ? 1 : undefined);
  const { lower, upper } = numberBounds(el, name, ctx);
  if (range && lower.length === 0) lower.push({ value: 0, strict: false });
  if (range && upper.length === 0) upper.push({ value: 100, strict: false });
  const whole = step === undefined ? [...lower, ...upper].every((b) => Number.isInteger(b.value)) : false;
  const unit = step ?? (whole ? 1 : 0.1);
  const lo = lower.length ? Math.max(...lower.map((b) => b.value + (b.strict ? unit : 0))) : undefined;
  const hi = upper.length ? Math.min(...upper.map((b) => b.value - (b.strict ? unit : 0))) : undefined;
  const min = lo ?? (hi !== undefined ? Math.min(0, hi - DEFAULT_SPAN) : 0);
  const max = Math.max(min, hi ?? min + DEFAULT_SPAN);
  const slots = Math.floor((max - min) / unit + 1e-9) + 1;
  const value = min + unit * Math.floor(ctx.rand() * slots);
  return Number(value.toFixed(decimals(unit)));
}

function decimals(unit: number): number {
  const s = String(unit);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : Math.min(10, s.length - dot - 1);
}

const DAY = 86_400_000;
/** Dates are drawn in these ten years unless the question narrows them. */
const DATE_FROM = Date.UTC(2015, 0, 1);
const DATE_TO = Date.UTC(2024, 11, 31);

function dateBound(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v !== 'string' || v === '') return undefined;
  const t = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
  return Number.isNaN(t) ? undefined : t;
}

/** A day within the question's `min`/`max` (or their expressions), else within 2015–2024. */
function drawDay(el: ElementJson, ctx: ScalarContext): Date {
  const expr = (e: unknown) => (typeof e === 'string' ? ctx.engine.run(e, ctx.values) : undefined);
  const lo = dateBound(el.min) ?? dateBound(expr(el.minValueExpression));
  const hi = dateBound(el.max) ?? dateBound(expr(el.maxValueExpression));
  let from = Math.max(DATE_FROM, lo ?? DATE_FROM);
  let to = Math.min(DATE_TO, hi ?? DATE_TO);
  if (from > to) [from, to] = [lo ?? to, hi ?? lo ?? to];
  const days = Math.floor((to - from) / DAY) + 1;
  return new Date(Math.ceil(from / DAY) * DAY + DAY * Math.floor(ctx.rand() * Math.max(1, days)));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A time of the working day, HH:MM. */
function drawTime(rand: Random): string {
  return `${pad(8 + Math.floor(rand() * 10))}:${pad(5 * Math.floor(rand() * 12))}`;
}

/** A value for a text question by its input type: a date, a time, an e-mail address, a placeholder. */
export function drawText(el: ElementJson, ctx: ScalarContext): string {
  const day = () => drawDay(el, ctx);
  const n = 1 + Math.floor(ctx.rand() * 99);
  switch (el.inputType) {
    case 'date':
      return day().toISOString().slice(0, 10);
    case 'datetime-local':
    case 'datetime':
      return `${day().toISOString().slice(0, 10)}T${drawTime(ctx.rand)}`;
    case 'time':
      return drawTime(ctx.rand);
    case 'month':
      return day().toISOString().slice(0, 7);
    case 'week':
      return `${day().getUTCFullYear()}-W${pad(1 + Math.floor(ctx.rand() * 52))}`;
    case 'email':
      return `${ctx.word.toLowerCase()}${n}@example.org`;
    case 'url':
      return `https://example.org/${n}`;
    case 'tel':
      return `01 23 45 67 ${pad(n)}`;
    case 'color':
      return `#${pad(n, 2)}66${pad(99 - n, 2)}`;
    default:
      return placeholder(el, ctx, n);
  }
}

/**
 * A short neutral text in the survey's language ("Texte 17"); another form on each new attempt
 * (digits, a word, an address) for a question whose pattern the first did not match, cut to
 * the question's length and padded to a `text` validator's minimum.
 */
function placeholder(el: ElementJson, ctx: ScalarContext, n: number): string {
  const forms = [
    `${ctx.word} ${n}`,
    String(n),
    ctx.word.toLowerCase(),
    String(10_000 + n * 101),
    `${ctx.word.toLowerCase()}${n}@example.org`,
    ctx.word.toUpperCase(),
    `${ctx.word}-${n}`,
  ];
  let text = forms[ctx.attempt % forms.length]!;
  const limits = validatorsOf(el).filter((v) => v.type === 'text');
  const min = Math.max(0, ...limits.map((v) => num(v.minLength) ?? 0));
  const max = Math.min(
    num(el.maxLength) ?? Number.POSITIVE_INFINITY,
    ...limits.map((v) => num(v.maxLength) || Number.POSITIVE_INFINITY),
  );
  while (text.length < min) text = `${text} ${ctx.word.toLowerCase()}`;
  return max > 0 && Number.isFinite(max) ? text.slice(0, max).trimEnd() || ctx.word.slice(0, max) : text;
}
