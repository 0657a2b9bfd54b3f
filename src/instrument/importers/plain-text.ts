const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  eacute: 'é',
  egrave: 'è',
  agrave: 'à',
  ccedil: 'ç',
  ecirc: 'ê',
  ocirc: 'ô',
  rsquo: '’',
  laquo: '«',
  raquo: '»',
};

/** Longest label an import keeps, in characters. */
export const MAX_LABEL_LENGTH = 4000;

/**
 * Turns an untrusted label into plain text: elements that carry code or styling (`script`,
 * `style`, `iframe`, `object`, …) are dropped with their content, every other tag is removed
 * (`<br>` and `</p>` become line breaks), entities are decoded, and this repeats until nothing
 * changes, so `<scr<script>ipt>` or `&lt;script&gt;` cannot survive as a tag. A `<` that does not
 * open a tag ("< 30 ans") is kept. Control characters go, runs of spaces shrink, and the text is
 * cut at {@link MAX_LABEL_LENGTH}. Survey tools render such labels as text, never as HTML.
 *
 * @example plainText('<b>Âge</b><script>alert(1)</script> &lt; 30') // 'Âge < 30'
 */
export function plainText(input: unknown): string {
  if (input === null || input === undefined) return '';
  let s = String(input);
  let settled = false;
  for (let i = 0; i < 10 && !settled; i++) {
    const before = s;
    s = s
      .replace(/<!--[\s\S]*?(-->|$)/g, '')
      .replace(/<(script|style|iframe|object|embed|template|noscript|svg|math)\b[\s\S]*?(<\/\1\s*>|$)/gi, '')
      .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6])\s*>/gi, '\n')
      // A tag ends at its `>`, at the end, or where the next `<` starts (`<scriptx<…` opens a tag too).
      .replace(/<\/?[A-Za-z!?][^<>]*(>|$|(?=<))/g, '')
      .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, decodeEntity);
    settled = s === before;
  }
  // Entities nested deeper than the passes (`&amp;amp;…lt;script&gt;`) decode into a tag on the
  // last pass: when the text has not settled, no `<` is kept.
  if (!settled) s = s.replace(/</g, '');
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/\r\n?/g, '\n')
      .replace(/[ \t\u00a0]+/g, ' ')
      .replace(/ *\n */g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
      .slice(0, MAX_LABEL_LENGTH)
  );
}

function decodeEntity(entity: string, body: string): string {
  if (body[0] === '#') {
    const code =
      body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  }
  // An own key only: `&constructor;` is not an entity (and must not print Object's source).
  const name = body.toLowerCase();
  return Object.hasOwn(NAMED, name) ? NAMED[name]! : entity;
}
