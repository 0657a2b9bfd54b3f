import type { InstrumentJson } from '../instrument/types.js';
import { pagesOf } from '../instrument/walk-elements.js';

/** A questionnaire element as JSON. */
export type ElementJson = Record<string, unknown>;

/**
 * A question as the synthetic respondent meets it: its JSON, the name its answer is stored
 * under, and the conditions (page, panels, its own) that must all hold for it to be shown or
 * answerable.
 */
export interface QuestionSite {
  el: ElementJson;
  type: string;
  /** The key of its answer (`valueName`, else `name`). */
  name: string;
  /** `visibleIf` of its page, enclosing panels and its own: all must hold for it to be shown. */
  visibleIf: string[];
  /** `enableIf` of its enclosing panels and its own: all must hold for it to be answerable. */
  enableIf: string[];
  /** Hidden or read-only whatever the answers (`visible: false`, `readOnly: true` on it or above). */
  fixed: boolean;
  /** For a dynamic panel: the questions of its template, conditions read in the panel's scope. */
  template?: QuestionSite[];
}

/** Element types that hold no answer of the respondent's. */
const NO_ANSWER = new Set(['html', 'image', 'expression', 'empty']);

interface Scope {
  visibleIf: string[];
  enableIf: string[];
  fixed: boolean;
}

function within(scope: Scope, el: ElementJson): Scope {
  return {
    visibleIf: typeof el.visibleIf === 'string' ? [...scope.visibleIf, el.visibleIf] : scope.visibleIf,
    enableIf: typeof el.enableIf === 'string' ? [...scope.enableIf, el.enableIf] : scope.enableIf,
    fixed: scope.fixed || el.visible === false || el.readOnly === true,
  };
}

function collect(list: unknown, scope: Scope, out: QuestionSite[]): void {
  if (!Array.isArray(list)) return;
  for (const raw of list) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) continue;
    const el = raw as ElementJson;
    const type = String(el.type ?? '');
    const here = within(scope, el);
    if (type === 'panel' || type === 'flowpanel') {
      collect(el.elements ?? el.questions, here, out);
      continue;
    }
    if (NO_ANSWER.has(type) || typeof el.name !== 'string') continue;
    const site: QuestionSite = {
      el,
      type,
      name: typeof el.valueName === 'string' && el.valueName !== '' ? el.valueName : el.name,
      visibleIf: here.visibleIf,
      enableIf: here.enableIf,
      fixed: here.fixed,
    };
    if (type === 'paneldynamic') site.template = templateSites(el);
    out.push(site);
  }
}

const templates = new WeakMap<ElementJson, QuestionSite[]>();

/** The questions of a dynamic panel's template, their conditions read in a panel's scope (once per element). */
export function templateSites(el: ElementJson): QuestionSite[] {
  let sites = templates.get(el);
  if (!sites) {
    sites = [];
    collect(el.templateElements, { visibleIf: [], enableIf: [], fixed: false }, sites);
    templates.set(el, sites);
  }
  return sites;
}

/** The questions a respondent can answer, in the order they meet them (pages, then depth first). */
export function questionSites(json: InstrumentJson): QuestionSite[] {
  const out: QuestionSite[] = [];
  for (const { page } of pagesOf(json)) {
    collect(
      page.elements ?? page.questions,
      within({ visibleIf: [], enableIf: [], fixed: false }, page),
      out,
    );
  }
  return out;
}
