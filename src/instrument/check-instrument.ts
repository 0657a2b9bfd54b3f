import { ConditionRunner, Model } from 'survey-core';
import { cairnetError } from '../errors.js';
import { isQuestionType, LAYOUT_TYPES, TEMPLATE_TYPES } from './question-types.js';
import { QUOTAS_KEY, quotaProblems } from './quotas.js';
import type { InstrumentJson } from './types.js';
import { pagesOf, walkElements } from './walk-elements.js';

/** One thing wrong with an instrument: where (a JSON path) and what. */
export interface InstrumentProblem {
  path: string;
  message: string;
}

const CONDITION_KEYS = ['visibleIf', 'enableIf', 'requiredIf'] as const;

/**
 * Lists everything wrong with a questionnaire JSON: survey-core's own JSON errors, then
 * Cairnet's rules (known element types, names present and unique — also inside dynamic panel
 * templates —, unique choice/row/column values, and conditions that parse and only name
 * existing questions). An empty list means the instrument is usable.
 */
export function instrumentProblems(json: unknown): InstrumentProblem[] {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return [{ path: '', message: 'An instrument must be a JSON object.' }];
  }
  const instrument = json as InstrumentJson;
  const problems: InstrumentProblem[] = [];
  if (Array.isArray(instrument.pages)) {
    (instrument.pages as unknown[]).forEach((page, i) => {
      if (page === null || typeof page !== 'object' || Array.isArray(page)) {
        problems.push({ path: `/pages/${i}`, message: 'A page must be a JSON object.' });
      }
    });
  }
  const sites = walkElements(instrument);
  if (sites.length === 0) problems.push({ path: '', message: 'The instrument has no questions.' });

  const pathOf = new Map<unknown, string>(sites.map((s) => [s.element, s.path]));
  for (const { page, path } of pagesOf(instrument)) pathOf.set(page, path);
  problems.push(...surveyCoreErrors(instrument, pathOf));

  const pageNames = new Map<string, string>();
  pagesOf(instrument).forEach(({ page, path }) => {
    if (typeof page.name === 'string') {
      const seen = pageNames.get(page.name);
      if (seen !== undefined) {
        problems.push({ path, message: `Page name "${page.name}" is already used at ${seen}.` });
      } else pageNames.set(page.name, path);
    }
  });

  const names = new Map<string, string>();
  const templateNames = new Map<string, Map<string, string>>();
  for (const { element, path, template } of sites) {
    const type = element.type;
    if (typeof type !== 'string' || (!isQuestionType(type) && !LAYOUT_TYPES.has(type))) {
      problems.push({ path, message: `Unknown element type "${String(type)}".` });
    } else if (template !== null && !TEMPLATE_TYPES.has(type)) {
      problems.push({
        path,
        message: `A dynamic panel template may not hold "${type}" elements.`,
      });
    }
    if (typeof element.name !== 'string' || element.name.trim() === '') {
      problems.push({ path, message: 'The element has no name.' });
      continue;
    }
    const scope = template === null ? names : (templateNames.get(template) ?? new Map<string, string>());
    if (template !== null) templateNames.set(template, scope);
    const seen = scope.get(element.name);
    if (seen !== undefined) {
      problems.push({ path, message: `Name "${element.name}" is already used at ${seen}.` });
    } else scope.set(element.name, path);
    for (const key of ['choices', 'rows', 'columns'] as const) {
      const dup = firstDuplicate(element[key]);
      if (dup !== undefined) {
        problems.push({ path: `${path}/${key}`, message: `Value "${dup}" appears twice in ${key}.` });
      }
    }
  }

  const known = new Set(names.keys());
  if (Array.isArray(instrument.calculatedValues)) {
    for (const c of instrument.calculatedValues) {
      if (c && typeof c === 'object' && typeof (c as { name?: unknown }).name === 'string') {
        known.add((c as { name: string }).name);
      }
    }
  }
  const checkConditions = (owner: Record<string, unknown>, path: string, template: string | null): void => {
    for (const key of CONDITION_KEYS) {
      const expr = owner[key];
      if (expr === undefined) continue;
      const where = `${path}/${key}`;
      if (typeof expr !== 'string') {
        problems.push({ path: where, message: `${key} must be a string expression.` });
        continue;
      }
      const runner = new ConditionRunner(expr);
      if (!runner.canRun()) {
        problems.push({ path: where, message: `${key} "${expr}" is not a valid expression.` });
        continue;
      }
      for (const variable of runner.getVariables()) {
        const missing = missingReference(variable, known, template, templateNames);
        if (missing !== null) problems.push({ path: where, message: `${key} "${expr}" ${missing}.` });
      }
    }
  };
  for (const { page, path } of pagesOf(instrument)) checkConditions(page, path, null);
  for (const { element, path, template } of sites) checkConditions(element, path, template);
  problems.push(...quotaProblems(instrument));
  return problems;
}

/**
 * Throws `CAIRNET_INSTRUMENT_INVALID` listing every problem (`details: [{path, message}]`)
 * unless the instrument passes all checks.
 *
 * @example checkInstrument(JSON.parse(readFileSync('instruments/cairnet/survey.json', 'utf8')));
 */
export function checkInstrument(json: unknown): asserts json is InstrumentJson {
  const problems = instrumentProblems(json);
  if (problems.length > 0) {
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : '';
    throw cairnetError(
      'CAIRNET_INSTRUMENT_INVALID',
      `The questionnaire is invalid: ${first.path || '/'}: ${first.message}${more}`,
      problems,
    );
  }
}

function surveyCoreErrors(json: InstrumentJson, pathOf: Map<unknown, string>): InstrumentProblem[] {
  let model: Model;
  try {
    model = new Model(json);
  } catch (e) {
    return [{ path: '', message: `survey-core cannot read the questionnaire: ${(e as Error).message}` }];
  }
  const errors = (model.jsonErrors ?? []) as { message: string; jsonObj?: unknown; propertyName?: string }[];
  // Cairnet's own survey-level key (quotas), checked by quotaProblems.
  const out = errors
    .filter((e) => !(e.jsonObj === json && e.propertyName === QUOTAS_KEY))
    .map((e) => ({
      path: pathOf.get(e.jsonObj) ?? '',
      message: `survey-core: ${e.message}`,
    }));
  model.dispose();
  return out;
}

function missingReference(
  variable: string,
  known: Set<string>,
  template: string | null,
  templateNames: Map<string, Map<string, string>>,
): string | null {
  const panelPrefix = /^panel\./.exec(variable);
  if (panelPrefix) {
    const inner = baseName(variable.slice('panel.'.length));
    if (template === null) return `uses {panel.${inner}} outside a dynamic panel`;
    return templateNames.get(template)?.has(inner)
      ? null
      : `names "${inner}", not a question of panel "${template}"`;
  }
  const base = baseName(variable);
  return known.has(base) ? null : `names "${base}", which is not a question of this instrument`;
}

/**
 * `a.b[0].c` → `a`: conditions may reach into a matrix row or a panel item; `a-Comment` → `a`:
 * the text of a question's "Other" choice or comment box.
 */
function baseName(variable: string): string {
  return (variable.split(/[.[]/)[0] ?? variable).replace(/-Comment$/, '');
}

function firstDuplicate(list: unknown): string | undefined {
  if (!Array.isArray(list)) return undefined;
  const seen = new Set<string>();
  for (const item of list) {
    // Choices, rows and matrix columns have a value; a matrixdropdown's columns, a name.
    const value =
      item !== null && typeof item === 'object'
        ? ((item as { value?: unknown; name?: unknown }).value ?? (item as { name?: unknown }).name)
        : (item as unknown);
    const key = String(value);
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return undefined;
}
