import type { ElementJson, InstrumentJson, PageJson } from './types.js';

/** Where an element sits in the instrument, as the walk found it. */
export interface ElementSite {
  element: ElementJson;
  /** JSON path such as `/pages/2/elements/1/templateElements/0`. */
  path: string;
  page: PageJson;
  pageName: string;
  /** visibleIf of the page and enclosing panels, outermost first. */
  conditions: string[];
  /** Name of the dynamic panel whose template holds this element, if any. */
  template: string | null;
}

/** The pages of an instrument, with root-level `elements`/`questions` treated as one page. */
export function pagesOf(json: InstrumentJson): { page: PageJson; path: string }[] {
  if (Array.isArray(json.pages)) {
    // A page that is not an object (null, a string) is no page; instrumentProblems reports it.
    return json.pages.flatMap((page, i) =>
      page !== null && typeof page === 'object' && !Array.isArray(page)
        ? [{ page, path: `/pages/${i}` }]
        : [],
    );
  }
  const root = Array.isArray(json.elements) ? 'elements' : Array.isArray(json.questions) ? 'questions' : null;
  if (root === null) return [];
  return [{ page: { name: 'page1', elements: json[root] as ElementJson[] }, path: '' }];
}

/** Every element of the instrument, depth first, in questionnaire order. */
export function walkElements(json: InstrumentJson): ElementSite[] {
  const sites: ElementSite[] = [];
  const visit = (
    list: unknown,
    path: string,
    page: PageJson,
    pageName: string,
    conditions: string[],
    template: string | null,
  ): void => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, i) => {
      if (raw === null || typeof raw !== 'object') return;
      const element = raw as ElementJson;
      const here = `${path}/${i}`;
      sites.push({ element, path: here, page, pageName, conditions, template });
      const inner = typeof element.visibleIf === 'string' ? [...conditions, element.visibleIf] : conditions;
      visit(element.elements, `${here}/elements`, page, pageName, inner, template);
      if (Array.isArray(element.templateElements)) {
        visit(element.templateElements, `${here}/templateElements`, page, pageName, inner, element.name);
      }
    });
  };
  pagesOf(json).forEach(({ page, path }, i) => {
    const pageName = typeof page.name === 'string' ? page.name : `page${i + 1}`;
    const conditions = typeof page.visibleIf === 'string' ? [page.visibleIf] : [];
    const listPath =
      path === '' ? (Array.isArray(json.elements) ? '/elements' : '/questions') : `${path}/elements`;
    visit(page.elements, listPath, page, pageName, conditions, null);
  });
  return sites;
}
