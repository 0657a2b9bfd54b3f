import { cairnetError } from '../errors.js';

/**
 * The check that every number of an HTML output is bound to an indicator.
 *
 * A number (a run of digits, with its decimal and thousands separators) in the text of an HTML
 * document must sit inside an element whose `data-indicator` names known sources (one, or several
 * separated by spaces for a chart of several indicators): an indicator
 * id of the plan, or one of {@link META_SOURCES}. The exceptions, by rule:
 *
 * 1. **years**: a four-digit number from 1900 to 2099 standing alone ("2012");
 * 2. **dates**: anything inside `<time>`, and a day-month-year date written out
 *    ("30 January 2013", "1er février 2013", "2013-01-30");
 * 3. **page numbers**: anything inside an element with `data-page`;
 * 4. **identifiers**: anything inside `<code>` (variable names, codes such as `age_band = 50_54`),
 *    and digits glued to a letter or an underscore before them (indicator ids such as F2);
 * 5. **questionnaire wording**: anything inside an element with `data-quote="instrument"`
 *    (question and answer labels quoted from the instrument, e.g. in the codebook).
 *
 * Attribute values, comments and the contents of `<style>` and `<script>` are not text.
 */
export const META_SOURCES = [
  'respondents',
  'typology',
  'plan.confidence',
  'plan.minCell',
  'plan.fragileBase',
  'weighting',
] as const;

export interface UnboundNumber {
  number: string;
  /** Some text around it, to find it. */
  context: string;
  /** Set when the number sits in a `data-indicator` element that names an unknown source. */
  unknownSource?: string;
}

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

const MONTHS =
  'january|february|march|april|may|june|july|august|september|october|november|december|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre';
const DATE = new RegExp(
  `\\b\\d{1,2}(?:er)?[\\s\\u00a0]+(?:${MONTHS})[\\s\\u00a0]+\\d{4}\\b|\\b\\d{4}-\\d{2}-\\d{2}\\b`,
  'giu',
);
const NUMBER = /\d+(?:[.,\u00a0\u202f ]\d+)*/g;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
    if (e[0] === '#') {
      const code =
        e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[e.toLowerCase()] ?? all;
  });
}

interface Frame {
  tag: string;
  source?: string;
  exempt: boolean;
}

function attribute(tagText: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tagText);
  if (!m) return new RegExp(`\\s${name}(?=[\\s/>])`, 'i').test(tagText) ? '' : undefined;
  return decode(m[1] ?? m[2] ?? m[3] ?? '');
}

function numbersIn(text: string): { number: string; at: number }[] {
  const blanked = text.replace(DATE, (d) => ' '.repeat(d.length));
  const out: { number: string; at: number }[] = [];
  for (const m of blanked.matchAll(NUMBER)) {
    const at = m.index ?? 0;
    const number = m[0].trim();
    const before = blanked[at - 1] ?? '';
    if (/[A-Za-z_]/.test(before)) continue; // an identifier such as F2
    const after = blanked.slice(at + m[0].length, at + m[0].length + 2);
    if (/^(19|20)\d\d$/.test(number) && !/^[.,]\d/.test(after)) continue; // a year
    out.push({ number, at });
  }
  return out;
}

/**
 * The numbers of an HTML document that no indicator accounts for (empty when the document
 * passes). `known` lists the indicator ids; the {@link META_SOURCES} are always known.
 */
export function findUnboundNumbers(html: string, known: Iterable<string>): UnboundNumber[] {
  const sources = new Set<string>([...known, ...META_SOURCES]);
  const stack: Frame[] = [];
  const found: UnboundNumber[] = [];
  const token =
    /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\/?([A-Za-z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>|[^<]+|</g;
  for (const m of html.matchAll(token)) {
    const t = m[0];
    if (t.startsWith('<!')) continue;
    if (m[1] !== undefined) {
      const tag = m[1].toLowerCase();
      if (t.startsWith('</')) {
        const at = stack.map((f) => f.tag).lastIndexOf(tag);
        if (at >= 0) stack.length = at;
        continue;
      }
      if (m[3] === '/' || VOID.has(tag)) continue;
      const source = attribute(t, 'data-indicator');
      const exempt =
        tag === 'time' ||
        tag === 'code' ||
        tag === 'style' ||
        tag === 'script' ||
        attribute(t, 'data-page') !== undefined ||
        attribute(t, 'data-quote') === 'instrument';
      stack.push({ tag, ...(source !== undefined ? { source } : {}), exempt });
      continue;
    }
    if (stack.some((f) => f.exempt)) continue;
    const bound = [...stack].reverse().find((f) => f.source !== undefined);
    // a chart drawing several indicators names them all (data-indicator="F7 F8 F9")
    if (bound?.source?.split(/\s+/).every((id) => sources.has(id))) continue;
    const text = decode(t);
    for (const n of numbersIn(text)) {
      found.push({
        number: n.number,
        context: text
          .slice(Math.max(0, n.at - 40), n.at + n.number.length + 40)
          .replace(/\s+/g, ' ')
          .trim(),
        ...(bound?.source !== undefined ? { unknownSource: bound.source } : {}),
      });
    }
  }
  return found;
}

/** Throws `CAIRNET_PUBLISH_UNBOUND_NUMBER` (with the numbers found) unless every number is bound. */
export function assertBoundNumbers(html: string, known: Iterable<string>, what: string): void {
  const unbound = findUnboundNumbers(html, known);
  if (unbound.length === 0) return;
  const first = unbound[0]!;
  throw cairnetError(
    'CAIRNET_PUBLISH_UNBOUND_NUMBER',
    `The ${what} holds ${unbound.length} number(s) bound to no indicator, first "${first.number}" in "${first.context}"${first.unknownSource !== undefined ? ` (data-indicator="${first.unknownSource}" names no indicator)` : ''}`,
    unbound.slice(0, 20),
  );
}
