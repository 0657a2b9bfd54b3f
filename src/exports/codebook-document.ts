import type { Codebook, CodebookVariable } from '../instrument/types.js';
import type { ExportLanguage } from './value-labels.js';

/** What a codebook document says about its instrument. */
export interface CodebookSource {
  name: string;
  version: number;
  hash: string;
  title: string;
}

/**
 * The codebook as JSON: the instrument it describes, then every variable (name, question, type,
 * labels in French and English, levels with their labels, section, visibility condition).
 */
export function codebookJson(source: CodebookSource, codebook: Codebook): string {
  return `${JSON.stringify({ instrument: source, variables: codebook.variables }, null, 2)}\n`;
}

/**
 * The codebook as Markdown: one section per page of the questionnaire, one table row per
 * variable, and the value labels of each categorical variable. Cells are escaped so that a label
 * cannot break the table or inject HTML into a rendered document.
 */
export function codebookMarkdown(
  source: CodebookSource,
  codebook: Codebook,
  lang: ExportLanguage = 'fr',
): string {
  const lines: string[] = [
    `# Codebook: ${md(source.title || source.name)}`,
    '',
    `Instrument \`${md(source.name)}\`, version ${source.version}, hash \`${source.hash}\`; ${codebook.variables.length} variables. Labels in ${lang === 'fr' ? 'French' : 'English'}.`,
    '',
    'Types: `single` (one code), `multiple` (codes joined by ` | `, then one 0/1 indicator per choice named `<question>__<choice>`), `ordinal`, `matrix_row`, `boolean` (0/1), `numeric`, `text`, `text_list` (entries joined by ` | `). An empty cell means no answer.',
  ];
  const sections = new Map<string, CodebookVariable[]>();
  for (const v of codebook.variables) sections.set(v.section, [...(sections.get(v.section) ?? []), v]);
  for (const [section, vars] of sections) {
    lines.push(
      '',
      `## ${md(section)}`,
      '',
      '| variable | label | type | values | shown if |',
      '|---|---|---|---|---|',
    );
    for (const v of vars) {
      const values = v.levels.map((l) => `\`${md(String(l.value))}\` ${md(l.label[lang])}`).join('<br>');
      lines.push(
        `| \`${md(v.name)}\` | ${md(v.label[lang])} | ${v.type} | ${values} | ${v.visibleIf ? `\`${md(v.visibleIf)}\`` : ''} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Escapes text for a Markdown table cell (pipes, backticks, HTML, line breaks). */
function md(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/`/g, "'")
    .replace(/[\r\n]+/g, ' ');
}
