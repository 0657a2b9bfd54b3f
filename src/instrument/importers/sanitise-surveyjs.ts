import { cairnetError } from '../../errors.js';
import type { InstrumentJson } from '../types.js';
import type { ImportNote } from './import-report.js';
import { plainText } from './plain-text.js';

/** SurveyJS properties shown to people: plain text once imported. */
const TEXT_KEYS = new Set([
  'title',
  'description',
  'text',
  'html',
  'completedHtml',
  'completedBeforeHtml',
  'loadingHtml',
  'requiredErrorText',
  'placeholder',
  'otherText',
  'otherPlaceholder',
  'labelTrue',
  'labelFalse',
  'minRateDescription',
  'maxRateDescription',
  'noneText',
  'selectAllText',
  'commentText',
  'startSurveyText',
  'completeText',
  'pageNextText',
  'pagePrevText',
]);

/** Lists whose values are shown as their own text when they have none. */
const VALUE_LISTS = new Set(['choices', 'rows', 'columns', 'rateValues']);

/** Properties SurveyJS renders as HTML: their plain text is escaped back into HTML. */
const HTML_KEYS = new Set(['html', 'completedHtml', 'completedBeforeHtml', 'loadingHtml']);

/**
 * Whether a property is shown to people: the list above, and every other SurveyJS text
 * property by its name (`panelRemoveText`, `addRowText`, `completedHtmlOnCondition`'s `html`…).
 */
const isTextKey = (key: string): boolean =>
  TEXT_KEYS.has(key) || /(Text|Html|Title|Description|Placeholder)$/.test(key);
const isHtmlKey = (key: string): boolean => HTML_KEYS.has(key) || /Html$/.test(key);

/**
 * Makes every displayed string of an uploaded SurveyJS JSON plain text (HTML properties hold
 * escaped plain text), in place of the original, and notes each change. Every string under a
 * displayed property is text, however it is nested (`{"text": {"fr": …}}` or odder shapes). A
 * choice, row or column value that holds markup is refused (`CAIRNET_IMPORT_INVALID`): values
 * are data codes, not something to rewrite. Returns a new object.
 */
export function sanitiseSurveyJs(json: InstrumentJson, sanitised: ImportNote[]): InstrumentJson {
  /** `textKey`: the displayed property this value sits under, if any. */
  const visit = (value: unknown, path: string, key: string | null, textKey: string | null): unknown => {
    const under = textKey ?? (key !== null && isTextKey(key) ? key : null);
    if (typeof value === 'string') return under !== null ? clean(value, path, under) : value;
    if (key !== null && VALUE_LISTS.has(key) && Array.isArray(value)) {
      value.forEach((item, i) => {
        const code = item !== null && typeof item === 'object' ? (item as { value?: unknown }).value : item;
        if (typeof code === 'string' && plainText(code) !== code.trim()) {
          throw cairnetError(
            'CAIRNET_IMPORT_INVALID',
            `${path}/${i}: the value "${code.slice(0, 40)}" holds markup; values must be plain codes`,
          );
        }
      });
    }
    if (Array.isArray(value)) return value.map((v, i) => visit(v, `${path}/${i}`, null, under));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        Object.defineProperty(out, k, {
          value: visit(v, `${path}/${k}`, k, under),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return value;
  };
  const clean = (s: string, path: string, key: string): string => {
    const text = plainText(s);
    const result = isHtmlKey(key) ? escapeHtml(text) : text;
    if (result !== s) sanitised.push({ where: path, message: 'HTML or control characters removed' });
    return result;
  };
  return visit(json, '', null, null) as InstrumentJson;
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '<br>');
}
