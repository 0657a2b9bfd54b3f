import { escapeHtml } from './html.js';

/**
 * The small Markdown of the press-release templates, to HTML: `#`–`###` headings, paragraphs,
 * `- ` lists, `> ` quotes, `**strong**` / `__strong__`, `*emphasis*` / `_emphasis_` (underscores
 * only at word edges, so `snake_case` stays), `` `code` `` and `[links](https://…)`. Everything
 * else is text (escaped).
 * `inline` renders a stretch of text; the caller's placeholders pass through it untouched as
 * long as they hold no Markdown or HTML characters.
 */
export function markdownToHtml(markdown: string, inline: (escapedText: string) => string = (s) => s): string {
  const blocks = markdown.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  const span = (text: string) =>
    inline(
      escapeHtml(text)
        .replace(/`([^`]+)`/g, '<code>$1</code>')
        .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2">$1</a>')
        .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
        .replace(/(^|[^\p{L}\p{N}_])__(\S(?:.*?\S)?)__(?![\p{L}\p{N}_])/gu, '$1<strong>$2</strong>')
        .replace(/(^|[^*])\*([^*\s][^*]*?)\*/g, '$1<em>$2</em>')
        .replace(/(^|[^\p{L}\p{N}_])_(\S(?:.*?\S)?)_(?![\p{L}\p{N}_])/gu, '$1<em>$2</em>'),
    );
  const out: string[] = [];
  for (const raw of blocks) {
    const block = raw.trim();
    if (block === '') continue;
    const heading = /^(#{1,3})\s+(.*)$/s.exec(block);
    if (heading) {
      const level = heading[1]!.length;
      out.push(`<h${level}>${span(heading[2]!.replace(/\n/g, ' '))}</h${level}>`);
      continue;
    }
    const lines = block.split('\n');
    if (lines.every((l) => /^\s*[-*]\s+/.test(l))) {
      out.push(
        `<ul>\n${lines.map((l) => `<li>${span(l.replace(/^\s*[-*]\s+/, ''))}</li>`).join('\n')}\n</ul>`,
      );
      continue;
    }
    if (lines.every((l) => l.startsWith('>'))) {
      out.push(`<blockquote><p>${span(lines.map((l) => l.replace(/^>\s?/, '')).join(' '))}</p></blockquote>`);
      continue;
    }
    out.push(`<p>${span(lines.join(' '))}</p>`);
  }
  return out.join('\n');
}
