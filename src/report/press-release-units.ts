/**
 * The units a press release is cut into: each heading, each list item and each sentence of a
 * paragraph or quote is kept, replaced by its alternative or left out on its own. A unit's
 * alternative follows it after `{{else}}` ("Few fear for their freedom. {{else}} Their freedom.").
 * Placeholders arrive as private-use tokens (see press-release.ts), so that no number or Markdown
 * of theirs can confuse the cut. Emphasis (`**…**`, `_…_`) must not span two sentences.
 */
export const FIGURE = /\uE000(\d+)\uE001/g;
export const CLAIM = /\uE003(\d+)\uE001/g;
export const ELSE = '\uE002';

export interface Unit {
  text: string;
  alt?: string;
}

export interface Block {
  kind: 'heading' | 'paragraph' | 'list' | 'quote';
  level: number;
  units: Unit[];
}

/** A sentence ends at . ! ? or … (past closing emphasis, quotes and brackets) before a new start. */
const SENTENCE_END = /(?<=[.!?…](?:\*\*|\*|_|»|"|”|\))*)\s+(?=[A-ZÀ-ÖØ-Þ0-9«"“(*_\uE000\uE002\uE003])/u;

function withAlternatives(parts: string[]): Unit[] {
  const units: Unit[] = [];
  for (const part of parts) {
    const p = part.trim();
    if (p === '') continue;
    if (p.startsWith(ELSE) && units.length > 0) {
      units[units.length - 1]!.alt = p.slice(ELSE.length).trim();
      continue;
    }
    const [main, alt] = p.split(ELSE, 2);
    units.push({ text: main!.trim(), ...(alt !== undefined ? { alt: alt.trim() } : {}) });
  }
  return units;
}

/** Cuts tokenised Markdown into blocks of units. */
export function splitBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  for (const raw of markdown.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const block = raw.trim();
    if (block === '') continue;
    const heading = /^(#{1,3})\s+(.*)$/s.exec(block);
    if (heading) {
      blocks.push({
        kind: 'heading',
        level: heading[1]!.length,
        units: withAlternatives([heading[2]!.replace(/\n/g, ' ')]),
      });
      continue;
    }
    const lines = block.split('\n');
    if (lines.every((l) => /^\s*[-*]\s+/.test(l))) {
      blocks.push({
        kind: 'list',
        level: 0,
        units: lines.flatMap((l) => withAlternatives([l.replace(/^\s*[-*]\s+/, '')])),
      });
      continue;
    }
    const quote = lines.every((l) => l.startsWith('>'));
    const text = (quote ? lines.map((l) => l.replace(/^>\s?/, '')) : lines).join(' ');
    blocks.push({
      kind: quote ? 'quote' : 'paragraph',
      level: 0,
      units: withAlternatives(text.split(SENTENCE_END)),
    });
  }
  return blocks;
}

/** Markdown again from the kept texts of each block (blocks left without text are dropped). */
export function joinBlocks(blocks: { kind: Block['kind']; level: number; texts: string[] }[]): string {
  const kept = blocks.filter((b) => b.texts.length > 0);
  // A heading whose section kept nothing under it goes too.
  const shown = kept.filter((b, i) => {
    if (b.kind !== 'heading') return true;
    const next = kept[i + 1];
    return next !== undefined && !(next.kind === 'heading' && next.level <= b.level);
  });
  return shown
    .map((b) => {
      if (b.kind === 'heading') return `${'#'.repeat(b.level)} ${b.texts.join(' ')}`;
      if (b.kind === 'list') return b.texts.map((t) => `- ${t}`).join('\n');
      if (b.kind === 'quote') return `> ${b.texts.join(' ')}`;
      return b.texts.join(' ');
    })
    .join('\n\n');
}

/** Claims out, spaces tidied ("word ," → "word,", no double spaces). */
export function tidy(text: string): string {
  return text
    .replace(CLAIM, '')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([,.)])/g, '$1')
    .replace(/\( +/g, '(')
    .trim();
}

/**
 * A figure printed a second time for the same cell in one unit ("58 % des chercheurs (58 %)")
 * goes: a bracket holding only it, or it and its separator at the start of a bracket.
 */
export function dropRepeatedFigures(text: string, echoKey: (token: number) => string | undefined): string {
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const m of text.matchAll(FIGURE)) {
    const key = echoKey(Number(m[1]));
    if (key === undefined) continue;
    if (seen.has(key)) repeated.push(m[0]);
    seen.add(key);
  }
  let out = text;
  for (const token of repeated) {
    const alone = new RegExp(`\\s*\\(\\s*${token}\\s*\\)`);
    const first = new RegExp(`\\(\\s*${token}\\s*[;,]\\s*`);
    if (alone.test(out)) out = out.replace(alone, '');
    else if (first.test(out)) out = out.replace(first, '(');
  }
  return out;
}
