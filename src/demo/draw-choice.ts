import type { ConditionEngine } from './condition-engine.js';
import type { ElementJson } from './questionnaire-sites.js';
import { type Random, shuffle } from './random.js';

type Values = Record<string, unknown>;

/** A choice, row or column as declared: its value and its own conditions. */
export interface Item {
  value: unknown;
  visibleIf?: string;
  enableIf?: string;
}

/** The items of a list as declared (`"a"`, `3` or `{value, visibleIf, enableIf}`), in order. */
export function itemsOf(list: unknown): Item[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw): Item[] => {
    if (raw === null || raw === undefined) return [];
    if (typeof raw !== 'object') return [{ value: raw }];
    const o = raw as Values;
    if (!('value' in o) && typeof o.name !== 'string') return [];
    return [
      {
        value: 'value' in o ? o.value : o.name,
        ...(typeof o.visibleIf === 'string' ? { visibleIf: o.visibleIf } : {}),
        ...(typeof o.enableIf === 'string' ? { enableIf: o.enableIf } : {}),
      },
    ];
  });
}

/**
 * The items a respondent can pick: shown (the item's own `visibleIf`, else the list's filter,
 * `{item}` being the item's value, as survey-core reads them) and enabled (likewise).
 */
export function offeredItems(
  items: readonly Item[],
  filters: { visibleIf?: unknown; enableIf?: unknown },
  engine: ConditionEngine,
  values: Values,
): Item[] {
  return items.filter((item) => {
    const scoped = { ...values, item: item.value };
    const shown = item.visibleIf ?? (typeof filters.visibleIf === 'string' ? filters.visibleIf : undefined);
    const enabled = item.enableIf ?? (typeof filters.enableIf === 'string' ? filters.enableIf : undefined);
    return (
      (shown === undefined || engine.test(shown, scoped)) &&
      (enabled === undefined || engine.test(enabled, scoped))
    );
  });
}

/** A choice question's answer and the text typed beside it ("Other", a comment). */
export interface ChoiceAnswer {
  value: unknown;
  comment?: string;
}

/** How often a respondent ticks "Other" or "None" when offered. */
const OTHER_RATE = 0.05;
const NONE_RATE = 0.03;

function choicesOffered(el: ElementJson, engine: ConditionEngine, values: Values): Item[] {
  return offeredItems(
    itemsOf(el.choices),
    { visibleIf: el.choicesVisibleIf, enableIf: el.choicesEnableIf },
    engine,
    values,
  );
}

/** One choice (radiogroup, dropdown, button group, single image picker), "Other" now and then. */
export function drawSingle(
  el: ElementJson,
  engine: ConditionEngine,
  values: Values,
  rand: Random,
  otherText: () => string,
): ChoiceAnswer | undefined {
  const offered = choicesOffered(el, engine, values);
  if (el.showOtherItem === true && (offered.length === 0 || rand() < OTHER_RATE))
    return { value: 'other', comment: otherText() };
  if (el.showNoneItem === true && (offered.length === 0 || rand() < NONE_RATE)) return { value: 'none' };
  if (offered.length === 0) return undefined;
  return { value: offered[Math.floor(rand() * offered.length)]!.value };
}

function count(v: unknown): number | undefined {
  const n = Number(v);
  return v !== undefined && v !== null && v !== '' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** How many choices a multiple choice may hold: its min/max selected, and `answercount` validators. */
function selectionRange(el: ElementJson, offered: number): [number, number] {
  const validators = Array.isArray(el.validators) ? (el.validators as Values[]) : [];
  const counts = validators.filter((v) => v?.type === 'answercount');
  const min = Math.max(1, count(el.minSelectedChoices) ?? 1, ...counts.map((v) => count(v.minCount) ?? 1));
  const max = Math.min(
    offered,
    count(el.maxSelectedChoices) ?? offered,
    ...counts.map((v) => count(v.maxCount) ?? offered),
  );
  return [Math.min(min, offered), max];
}

/**
 * Several choices (checkbox, tagbox, multiple image picker): between the question's minimum and
 * maximum, fewer more often; "Other" (with its text) or "None" (alone) now and then.
 */
export function drawMultiple(
  el: ElementJson,
  engine: ConditionEngine,
  values: Values,
  rand: Random,
  otherText: () => string,
): ChoiceAnswer | undefined {
  const offered = choicesOffered(el, engine, values);
  const other = el.showOtherItem === true;
  if (el.showNoneItem === true && (offered.length === 0 || rand() < NONE_RATE)) return { value: ['none'] };
  const [min, max] = selectionRange(el, offered.length + (other ? 1 : 0));
  if (max < 1) return undefined;
  // fewer choices are likelier: k = min + a geometric number of extra choices
  let k = min;
  while (k < max && rand() < 0.45) k++;
  const pool = shuffle(
    offered.map((c) => c.value),
    rand,
  );
  const picked = pool.slice(0, k);
  const withOther = other && (picked.length < k || rand() < OTHER_RATE);
  if (withOther) {
    if (picked.length === k && picked.length > 0) picked.pop();
    picked.push('other');
  }
  const order = new Map(offered.map((c, i) => [c.value, i]));
  picked.sort((a, b) => (order.get(a) ?? offered.length) - (order.get(b) ?? offered.length));
  return withOther ? { value: picked, comment: otherText() } : { value: picked };
}

/** A ranking: every offered item in a random order (or, selecting to rank, some of them). */
export function drawRanking(
  el: ElementJson,
  engine: ConditionEngine,
  values: Values,
  rand: Random,
): ChoiceAnswer | undefined {
  const offered = choicesOffered(el, engine, values).map((c) => c.value);
  if (offered.length === 0) return undefined;
  const ranked = shuffle(offered, rand);
  if (el.selectToRankEnabled !== true) return { value: ranked };
  const [min, max] = selectionRange(el, ranked.length);
  return { value: ranked.slice(0, min + Math.floor(rand() * (max - min + 1))) };
}

/** A rating: one of its values (`rateValues`, else `rateMin`…`rateMax` by `rateStep`). */
export function drawRating(el: ElementJson, rand: Random): ChoiceAnswer {
  const declared = itemsOf(el.rateValues).map((i) => i.value);
  if (declared.length > 0) return { value: declared[Math.floor(rand() * declared.length)] };
  const min = Number(el.rateMin ?? 1);
  const max = Number(el.rateMax ?? (el.rateCount !== undefined ? min + Number(el.rateCount) - 1 : 5));
  const step = Number(el.rateStep ?? 1) || 1;
  const slots = Math.max(1, Math.floor((max - min) / step + 1e-9) + 1);
  return { value: min + step * Math.floor(rand() * slots) };
}
