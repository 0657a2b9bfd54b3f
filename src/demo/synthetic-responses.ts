import { cairnetError, isCairnetError } from '../errors.js';
import { instrumentHash } from '../instrument/instrument-hash.js';
import type { InstrumentJson } from '../instrument/types.js';
import { type QuestionError, validateAnswers } from '../responses/validate-answers.js';
import { ConditionEngine } from './condition-engine.js';
import { type DrawContext, drawAnswer } from './draw-answer.js';
import { COMPOSITES, isEmptyAnswer } from './draw-composite.js';
import { type QuestionSite, questionSites } from './questionnaire-sites.js';
import { type Random, seededRandom } from './random.js';

type Values = Record<string, unknown>;

export interface SyntheticOptions {
  respondents: number;
  seed: number;
  /** The survey's first language: text placeholders read "Texte 17" in French, "Text 17" otherwise. */
  lang?: string;
  /** Share of optional questions left unanswered (0.1). */
  skipOptional?: number;
  /** Whole responses drawn before giving up on one (8). */
  tries?: number;
  /** The questionnaire version's key for the validator's caches (its hash, computed when absent). */
  cacheKey?: string;
}

/** A synthetic response as the server keeps it, and how many draws it took. */
export interface SyntheticResponse {
  /** The answers the server's validation kept (equations computed, hidden defaults set). */
  data: Values;
  /** Answers the server dropped as hidden by the skip logic (none, unless the generator erred). */
  dropped: string[];
  draws: number;
}

/** What the server appends to a question's name for the text typed beside it ("Other", a comment). */
const COMMENT = '-Comment';
/** Passes over the questionnaire: the first in order; later ones for a question shown or hidden by a later answer. */
const PASSES = 4;

/**
 * A synthetic respondent for any questionnaire: walks its pages and questions in order and
 * answers each question shown (page, panel and question `visibleIf`, `enableIf`, `requiredIf`
 * read on the answers so far by survey-core's expression engine), leaving optional ones
 * unanswered now and then. Pure: the same random draws give the same answers.
 */
export class ResponseDrawer {
  private readonly engine: ConditionEngine;
  private readonly sites: QuestionSite[];
  private readonly word: string;
  private readonly skipOptional: number;

  constructor(json: InstrumentJson, options: { lang?: string; skipOptional?: number } = {}) {
    this.engine = new ConditionEngine(json);
    this.sites = questionSites(json);
    this.word = (options.lang ?? 'en').startsWith('fr') ? 'Texte' : 'Text';
    this.skipOptional = options.skipOptional ?? 0.1;
  }

  /** One respondent's answers (before the server's validation). */
  draw(rand: Random): Values {
    const answers: Values = {};
    const visited = new Set<QuestionSite>();
    for (let pass = 0; pass < PASSES; pass++) {
      let changed = false;
      for (const site of this.sites) {
        if (site.fixed) continue;
        const values = this.engine.values(answers);
        if (!this.engine.all(site.visibleIf, values)) {
          changed = forget(answers, site.name) || changed;
          continue;
        }
        if (visited.has(site)) continue;
        visited.add(site);
        changed = true;
        if (this.engine.all(site.enableIf, values)) this.answer(site, answers, values, rand);
      }
      if (!changed) break;
    }
    return answers;
  }

  private answer(site: QuestionSite, answers: Values, values: Values, rand: Random): void {
    const { el, name } = site;
    const required =
      el.isRequired === true ||
      (typeof el.requiredIf === 'string' && this.engine.test(el.requiredIf, values));
    if (!required && rand() < this.skipOptional) {
      // left as shown: a default answer stays
      if (el.defaultValue !== undefined && el.defaultValue !== null) answers[name] = el.defaultValue;
      return;
    }
    const ctx: DrawContext = {
      rand,
      engine: this.engine,
      values,
      word: this.word,
      skipOptional: this.skipOptional,
      withAnswer: (v) => ({ ...values, [name]: v }),
    };
    const drawn = drawAnswer(el, name, ctx, COMPOSITES, required);
    if (drawn === undefined || isEmptyAnswer(drawn.value)) return;
    answers[name] = drawn.value;
    if (drawn.comment !== undefined) answers[`${name}${COMMENT}`] = drawn.comment;
  }
}

function forget(answers: Values, name: string): boolean {
  if (!(name in answers) && !(`${name}${COMMENT}` in answers)) return false;
  delete answers[name];
  delete answers[`${name}${COMMENT}`];
  return true;
}

/** The draws of respondent i of a panel: its own stream, so each respondent depends only on (seed, i). */
export function respondentRandom(seed: number, i: number): Random {
  return seededRandom((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0);
}

function describeFailure(errors: QuestionError[], tries: number): string {
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `after ${tries} draws no synthetic response satisfies question "${first?.question}": ${first?.messages.join('; ')}${more}`;
}

/**
 * Respondent i's response, checked by the server's own validation (`validateAnswers`, as for
 * `POST /api/instruments/:name/responses`): drawn again when refused, and after `tries` refusals
 * `CAIRNET_DEMO_UNSATISFIABLE`, naming the questions whose rules no draw met.
 */
export function syntheticResponse(
  drawer: ResponseDrawer,
  json: InstrumentJson,
  cacheKey: string,
  rand: Random,
  tries = 8,
): SyntheticResponse {
  let errors: QuestionError[] = [];
  for (let t = 1; t <= tries; t++) {
    const raw = drawer.draw(rand);
    try {
      const { data, dropped } = validateAnswers(json as Values, cacheKey, raw, {
        complete: true,
        locale: 'en',
      });
      return { data, dropped, draws: t };
    } catch (e) {
      if (
        !isCairnetError(e) ||
        !['CAIRNET_RESPONSE_INVALID', 'CAIRNET_RESPONSE_UNKNOWN_FIELD'].includes(e.code)
      )
        throw e;
      errors = Array.isArray(e.details)
        ? (e.details as QuestionError[])
        : [{ question: '?', messages: [e.message] }];
    }
  }
  throw cairnetError('CAIRNET_DEMO_UNSATISFIABLE', describeFailure(errors, tries), errors);
}

/**
 * N synthetic completed responses to a questionnaire, each passing the server's validation.
 * Deterministic: the same questionnaire, seed and options give the same responses.
 *
 * @example
 * const responses = syntheticResponses(json, { respondents: 300, seed: 7, lang: 'fr' });
 */
export function syntheticResponses(json: InstrumentJson, options: SyntheticOptions): SyntheticResponse[] {
  const drawer = new ResponseDrawer(json, options);
  const key = options.cacheKey ?? instrumentHash(json);
  return Array.from({ length: options.respondents }, (_, i) =>
    syntheticResponse(drawer, json, key, respondentRandom(options.seed, i), options.tries),
  );
}
