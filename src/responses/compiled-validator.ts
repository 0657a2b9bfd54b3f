import { ConditionRunner, surveyLocalization } from 'survey-core';
import type { QuestionError } from './validate-answers.js';

/**
 * A questionnaire's completion rules, compiled once for speed: which questions are visible
 * (page, panel and question `visibleIf`, evaluated by survey-core's own expression engine), which
 * are required (`isRequired`, `requiredIf`, a matrix's `eachRowRequired`). Building a survey-core
 * Model for each submission costs milliseconds; this costs microseconds.
 *
 * It covers the constructs listed in {@link SUPPORTED}; for a questionnaire that uses anything
 * else (validators, triggers, calculated values, `other` items…) {@link compileValidator} returns
 * the reason, and the caller validates with a full survey-core Model instead. Tests check that the
 * two agree on every answer they try.
 */
export interface CompiledValidator {
  /** The answers to keep (visible questions only), the dropped names and the errors. */
  run(
    answers: Record<string, unknown>,
    locale: string,
  ): { data: Record<string, unknown>; dropped: string[]; errors: QuestionError[] };
}

interface Rule {
  name: string;
  type: string;
  conditions: string[];
  isRequired: boolean;
  requiredIf: string | undefined;
  eachRowRequired: boolean;
  rows: string[];
}

const PRESENTATION = new Set([
  'name',
  'type',
  'title',
  'description',
  'descriptionLocation',
  'titleLocation',
  'hideNumber',
  'startWithNewLine',
  'width',
  'minWidth',
  'maxWidth',
  'colCount',
  'placeholder',
  'panelAddText',
  'panelRemoveText',
  'panelCount',
  'templateTitle',
  'html',
  'state',
  'indent',
  'requiredErrorText',
]);
/** What each element type may declare beyond presentation for the compiled path to apply. */
const SUPPORTED: Record<string, Set<string>> = {
  radiogroup: new Set(['choices', 'isRequired', 'requiredIf', 'visibleIf']),
  dropdown: new Set(['choices', 'isRequired', 'requiredIf', 'visibleIf']),
  checkbox: new Set(['choices', 'isRequired', 'requiredIf', 'visibleIf']),
  tagbox: new Set(['choices', 'isRequired', 'requiredIf', 'visibleIf']),
  matrix: new Set(['rows', 'columns', 'isRequired', 'requiredIf', 'visibleIf', 'eachRowRequired']),
  text: new Set(['isRequired', 'requiredIf', 'visibleIf', 'maxLength']),
  comment: new Set(['isRequired', 'requiredIf', 'visibleIf', 'maxLength']),
  boolean: new Set(['isRequired', 'requiredIf', 'visibleIf']),
  html: new Set(['visibleIf']),
  panel: new Set(['elements', 'visibleIf']),
  paneldynamic: new Set(['templateElements', 'visibleIf', 'minPanelCount', 'maxPanelCount']),
};
const TEMPLATE_TYPES = new Set(['text', 'comment']);
const SURVEY_KEYS = new Set([
  'title',
  'description',
  'logo',
  'showProgressBar',
  'progressBarLocation',
  'showQuestionNumbers',
  'checkErrorsMode',
  'completedHtml',
  'pages',
  'locale',
  'showTitle',
  'questionsOnPageMode',
  'widthMode',
  'showPreviewBeforeComplete',
  'completeText',
  'pageNextText',
  'pagePrevText',
]);
const PAGE_KEYS = new Set(['name', 'title', 'description', 'visibleIf', 'elements']);

type Json = Record<string, unknown>;

/** Compiles the rules, or returns why this questionnaire needs the full survey-core Model. */
export function compileValidator(json: Json): CompiledValidator | { unsupported: string } {
  const rules: Rule[] = [];
  for (const k of Object.keys(json)) {
    if (!SURVEY_KEYS.has(k)) return { unsupported: `survey property "${k}"` };
  }
  const pages = json.pages;
  if (!Array.isArray(pages)) return { unsupported: 'no pages' };
  for (const page of pages as Json[]) {
    for (const k of Object.keys(page)) if (!PAGE_KEYS.has(k)) return { unsupported: `page property "${k}"` };
    const pageConds = typeof page.visibleIf === 'string' ? [page.visibleIf] : [];
    const problem = collect((page.elements as Json[] | undefined) ?? [], pageConds, rules);
    if (problem) return { unsupported: problem };
  }
  return new RulesValidator(rules);
}

function collect(elements: Json[], conditions: string[], rules: Rule[]): string | undefined {
  for (const el of elements) {
    const type = String(el.type);
    const allowed = SUPPORTED[type];
    if (!allowed) return `element type "${type}"`;
    for (const k of Object.keys(el)) {
      if (!allowed.has(k) && !PRESENTATION.has(k)) return `${type} property "${k}" (${String(el.name)})`;
    }
    if (
      el.choices &&
      !(el.choices as unknown[]).every(
        (c) =>
          typeof c === 'string' || (c && typeof c === 'object' && !('visibleIf' in c) && !('enableIf' in c)),
      )
    ) {
      return `conditional choices (${String(el.name)})`;
    }
    const conds = typeof el.visibleIf === 'string' ? [...conditions, el.visibleIf] : conditions;
    if (type === 'panel') {
      const problem = collect((el.elements as Json[] | undefined) ?? [], conds, rules);
      if (problem) return problem;
      continue;
    }
    if (type === 'html') continue;
    if (type === 'paneldynamic') {
      if (Number(el.minPanelCount ?? 0) > 0) return `paneldynamic minPanelCount (${String(el.name)})`;
      for (const inner of (el.templateElements as Json[] | undefined) ?? []) {
        if (!TEMPLATE_TYPES.has(String(inner.type)))
          return `paneldynamic template type "${String(inner.type)}"`;
        for (const k of Object.keys(inner)) {
          if (k !== 'maxLength' && !PRESENTATION.has(k)) return `paneldynamic template property "${k}"`;
        }
      }
    }
    rules.push({
      name: String(el.name),
      type,
      conditions: conds,
      isRequired: el.isRequired === true,
      requiredIf: typeof el.requiredIf === 'string' ? el.requiredIf : undefined,
      eachRowRequired: el.eachRowRequired === true,
      rows: ((el.rows as unknown[] | undefined) ?? []).map((r) =>
        typeof r === 'object' && r !== null ? String((r as Json).value) : String(r),
      ),
    });
  }
  return undefined;
}

/** survey-core's Helpers.isValueEmpty, for the values a compiled questionnaire can hold. */
function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).every((k) => isEmpty((v as Json)[k]));
  return false;
}

class RulesValidator implements CompiledValidator {
  private readonly runners = new Map<string, ConditionRunner>();
  constructor(private readonly rules: Rule[]) {}

  private test(expr: string, values: Json, cache: Map<string, boolean>): boolean {
    const hit = cache.get(expr);
    if (hit !== undefined) return hit;
    let runner = this.runners.get(expr);
    if (!runner) {
      runner = new ConditionRunner(expr);
      this.runners.set(expr, runner);
    }
    const result = runner.runValues(values) === true;
    cache.set(expr, result);
    return result;
  }

  run(answers: Json, locale: string) {
    const cache = new Map<string, boolean>();
    const data: Json = {};
    const dropped: string[] = [];
    const errors: QuestionError[] = [];
    const required = surveyLocalization.getString('requiredError', locale);
    const allRows = surveyLocalization.getString('requiredInAllRowsError', locale);
    for (const rule of this.rules) {
      const visible = rule.conditions.every((c) => this.test(c, answers, cache));
      const value = answers[rule.name];
      if (!visible) {
        if (rule.name in answers) dropped.push(rule.name);
        continue;
      }
      if (rule.name in answers) data[rule.name] = value;
      const messages: string[] = [];
      const mustAnswer =
        rule.isRequired || (rule.requiredIf !== undefined && this.test(rule.requiredIf, answers, cache));
      if (mustAnswer && isEmpty(value)) messages.push(required);
      if (rule.eachRowRequired) {
        const row = (value ?? {}) as Json;
        if (rule.rows.some((r) => isEmpty(row[r]))) messages.push(allRows);
      }
      if (messages.length) errors.push({ question: rule.name, messages });
    }
    return { data, dropped, errors };
  }
}
