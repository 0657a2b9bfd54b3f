import type { ConditionEngine } from './condition-engine.js';
import { type ChoiceAnswer, drawMultiple, drawRanking, drawRating, drawSingle } from './draw-choice.js';
import { drawNumber, drawText } from './draw-scalar.js';
import type { ElementJson } from './questionnaire-sites.js';
import type { Random } from './random.js';

type Values = Record<string, unknown>;

/** What drawing one answer needs: the draws, the engine, the values it may read, the language. */
export interface DrawContext {
  rand: Random;
  engine: ConditionEngine;
  /** The answers so far (with calculated values), and the scope (`panel`, `row`) of a nested question. */
  values: Values;
  /** The word of a text placeholder in the survey's language. */
  word: string;
  /** Share of optional questions (and cells, rows, items) left unanswered. */
  skipOptional: number;
  /** The values a validator of this question reads once `value` is its answer. */
  withAnswer: (value: unknown) => Values;
}

/** How many times one question is drawn again when its own validators refuse the draw. */
export const LOCAL_TRIES = 12;

/** Draws of composite questions, given by draw-composite.ts (kept apart to keep files short). */
export interface CompositeDraws {
  matrix(el: ElementJson, ctx: DrawContext): ChoiceAnswer | undefined;
  cells(el: ElementJson, ctx: DrawContext): ChoiceAnswer | undefined;
  panels(el: ElementJson, ctx: DrawContext): ChoiceAnswer | undefined;
}

function placeholderText(ctx: DrawContext): () => string {
  return () => `${ctx.word} ${1 + Math.floor(ctx.rand() * 99)}`;
}

/**
 * One draw of an answer by the question's type (the types an instrument may hold, see
 * src/instrument/question-types.ts); undefined for a type that takes no answer.
 */
function drawOnce(
  el: ElementJson,
  name: string,
  ctx: DrawContext,
  attempt: number,
  composite: CompositeDraws,
): ChoiceAnswer | undefined {
  const { rand, engine, values } = ctx;
  const other = placeholderText(ctx);
  const scalar = { rand, engine, values, word: ctx.word, attempt };
  switch (String(el.type)) {
    case 'radiogroup':
    case 'dropdown':
      return drawSingle(el, engine, values, rand, other);
    case 'checkbox':
    case 'tagbox':
      return drawMultiple(el, engine, values, rand, other);
    case 'ranking':
      return drawRanking(el, engine, values, rand);
    case 'rating':
      return drawRating(el, rand);
    case 'boolean': {
      const yes = rand() < 0.5;
      const declared = yes ? el.valueTrue : el.valueFalse;
      return { value: declared ?? yes };
    }
    case 'text':
      return ['number', 'range'].includes(String(el.inputType))
        ? { value: drawNumber(el, name, scalar) }
        : { value: drawText(el, scalar) };
    case 'comment':
      return { value: drawText(el, scalar) };
    case 'matrix':
      return composite.matrix(el, ctx);
    case 'matrixdropdown':
      return composite.cells(el, ctx);
    case 'paneldynamic':
      return composite.panels(el, ctx);
    default:
      return undefined;
  }
}

/** A comment beside the answer now and then, where the question offers a comment box. */
function withComment(el: ElementJson, answer: ChoiceAnswer, ctx: DrawContext): ChoiceAnswer {
  if (answer.comment !== undefined || !(el.showCommentArea === true || el.hasComment === true)) return answer;
  return ctx.rand() < 0.2 ? { ...answer, comment: placeholderText(ctx)() } : answer;
}

/**
 * An answer to one question that its own validators accept (expression, numeric, text, regex,
 * e-mail, answer count), drawn again up to {@link LOCAL_TRIES} times. When none passes, an
 * optional question is left unanswered; a required one keeps the last draw, and the server's
 * validation then says which rule could not be met.
 */
export function drawAnswer(
  el: ElementJson,
  name: string,
  ctx: DrawContext,
  composite: CompositeDraws,
  required: boolean,
): ChoiceAnswer | undefined {
  let last: ChoiceAnswer | undefined;
  for (let attempt = 0; attempt < LOCAL_TRIES; attempt++) {
    last = drawOnce(el, name, ctx, attempt, composite);
    if (last === undefined) return undefined;
    if (validatorsHold(el, last.value, ctx)) return withComment(el, last, ctx);
  }
  return required ? last : undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether the question's validators accept an answer (an empty answer passes all but an expression). */
export function validatorsHold(el: ElementJson, value: unknown, ctx: DrawContext): boolean {
  const validators = Array.isArray(el.validators) ? (el.validators as Values[]) : [];
  const texts = (Array.isArray(value) ? value : [value]).filter((v) => v !== undefined && v !== null);
  return validators.every((v) => {
    switch (v?.type) {
      case 'expression':
        return typeof v.expression !== 'string' || ctx.engine.test(v.expression, ctx.withAnswer(value));
      case 'numeric':
        return texts.every(
          (t) =>
            (v.minValue === undefined || Number(t) >= Number(v.minValue)) &&
            (v.maxValue === undefined || Number(t) <= Number(v.maxValue)),
        );
      case 'regex':
        return typeof v.regex !== 'string' || texts.every((t) => regexTest(v, String(t)));
      case 'text':
        return texts.every(
          (t) =>
            String(t).length >= Number(v.minLength ?? 0) &&
            (!Number(v.maxLength) || String(t).length <= Number(v.maxLength)) &&
            (v.allowDigits !== false || !/\d/.test(String(t))),
        );
      case 'email':
        return texts.every((t) => EMAIL.test(String(t)));
      default:
        return true;
    }
  });
}

function regexTest(v: Values, text: string): boolean {
  try {
    return new RegExp(String(v.regex), v.caseInsensitive === true ? 'i' : '').test(text);
  } catch {
    return true;
  }
}
