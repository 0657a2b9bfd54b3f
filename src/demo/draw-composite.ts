import { type CompositeDraws, type DrawContext, drawAnswer } from './draw-answer.js';
import type { ChoiceAnswer } from './draw-choice.js';
import { itemsOf, offeredItems } from './draw-choice.js';
import { type ElementJson, templateSites } from './questionnaire-sites.js';

type Values = Record<string, unknown>;

/** Whether an answer is empty as survey-core counts it (nothing, '', [], an object of empties). */
export function isEmptyAnswer(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v as Values).every(isEmptyAnswer);
  return false;
}

/** Whether a part (a row, a cell, an item) is answered: always when required, else most of the time. */
function answers(required: boolean, ctx: DrawContext): boolean {
  return required || ctx.rand() >= ctx.skipOptional;
}

/** A single-choice matrix: a column for each shown row (every row when each row is required). */
function matrix(el: ElementJson, ctx: DrawContext): ChoiceAnswer | undefined {
  const rows = offeredItems(itemsOf(el.rows), { visibleIf: el.rowsVisibleIf }, ctx.engine, ctx.values);
  const columns = offeredItems(
    itemsOf(el.columns),
    { visibleIf: el.columnsVisibleIf },
    ctx.engine,
    ctx.values,
  );
  if (rows.length === 0 || columns.length === 0) return undefined;
  const everyRow = el.eachRowRequired === true || el.isAllRowRequired === true;
  const value: Values = {};
  for (const row of rows) {
    if (!answers(everyRow, ctx)) continue;
    value[String(row.value)] = columns[Math.floor(ctx.rand() * columns.length)]!.value;
  }
  if (Object.keys(value).length === 0) {
    const row = rows[Math.floor(ctx.rand() * rows.length)]!;
    value[String(row.value)] = columns[Math.floor(ctx.rand() * columns.length)]!.value;
  }
  return { value };
}

/** A column of a dropdown matrix as the question its cells are (its cell type, its choices). */
function cellQuestion(el: ElementJson, column: Values): ElementJson {
  const own = column.cellType !== undefined && column.cellType !== 'default' ? column.cellType : undefined;
  const declared = Array.isArray(column.choices) && column.choices.length > 0 ? column.choices : el.choices;
  return { ...column, type: own ?? el.cellType ?? 'dropdown', choices: declared };
}

function rowCells(el: ElementJson, ctx: DrawContext, scope: Values): Values {
  const row: Values = {};
  for (const column of (Array.isArray(el.columns) ? el.columns : []) as Values[]) {
    if (!column || typeof column.name !== 'string') continue;
    const cell = cellQuestion(el, column);
    const values = { ...ctx.values, ...scope, row };
    if (cell.type === 'expression' || column.visible === false || column.readOnly === true) continue;
    if (typeof column.visibleIf === 'string' && !ctx.engine.test(column.visibleIf, values)) continue;
    if (typeof column.enableIf === 'string' && !ctx.engine.test(column.enableIf, values)) continue;
    const required =
      column.isRequired === true ||
      (typeof column.requiredIf === 'string' && ctx.engine.test(column.requiredIf, values));
    if (!answers(required, ctx)) continue;
    const name = column.name;
    const drawn = drawAnswer(
      cell,
      name,
      { ...ctx, values, withAnswer: (v) => ({ ...values, row: { ...row, [name]: v } }) },
      COMPOSITES,
      required,
    );
    if (drawn !== undefined && !isEmptyAnswer(drawn.value)) row[name] = drawn.value;
  }
  return row;
}

/** A dropdown matrix: for each shown row, its cells (required columns always, others mostly). */
function cells(el: ElementJson, ctx: DrawContext): ChoiceAnswer | undefined {
  const rows = offeredItems(itemsOf(el.rows), { visibleIf: el.rowsVisibleIf }, ctx.engine, ctx.values);
  const value: Values = {};
  for (const row of rows) {
    const answered = rowCells(el, ctx, { rowName: row.value });
    if (!isEmptyAnswer(answered)) value[String(row.value)] = answered;
  }
  return { value };
}

/** How many panels: between the minimum (1 when required) and the maximum, at most 3 unless more are needed. */
function drawCount(minRaw: unknown, maxRaw: unknown, required: boolean, ctx: DrawContext): number {
  const min = Math.max(Number(minRaw) || 0, required ? 1 : 0);
  const declaredMax = Number(maxRaw);
  const max = Math.max(min, Math.min(Number.isFinite(declaredMax) && declaredMax > 0 ? declaredMax : 3, 3));
  return min + Math.floor(ctx.rand() * (max - min + 1));
}

/** A dynamic panel: 0–3 entries within its limits, each one's questions walked in the panel's scope. */
function panels(el: ElementJson, ctx: DrawContext): ChoiceAnswer | undefined {
  const template = templateSites(el);
  const n = drawCount(el.minPanelCount, el.maxPanelCount, el.isRequired === true, ctx);
  const entries: Values[] = [];
  for (let i = 0; i < n; i++) {
    const panel: Values = {};
    for (const site of template) {
      const values = { ...ctx.values, panel, panelIndex: i };
      if (site.fixed || !ctx.engine.all(site.visibleIf, values) || !ctx.engine.all(site.enableIf, values))
        continue;
      const required =
        site.el.isRequired === true ||
        (typeof site.el.requiredIf === 'string' && ctx.engine.test(site.el.requiredIf, values));
      if (!answers(required, ctx)) continue;
      const inner = {
        ...ctx,
        values,
        withAnswer: (v: unknown) => ({ ...values, panel: { ...panel, [site.name]: v } }),
      };
      const drawn = drawAnswer(site.el, site.name, inner, COMPOSITES, required);
      if (drawn !== undefined && !isEmptyAnswer(drawn.value)) panel[site.name] = drawn.value;
    }
    entries.push(panel);
  }
  return { value: entries };
}

export const COMPOSITES: CompositeDraws = { matrix, cells, panels };
