/**
 * What reconciled mentions feed: the associations each response cites, the count of distinct
 * associations (F6), the most cited ones, and the researcher–association bipartite network.
 *
 * @example
 * const responses = [{ responseId: 'r1', mentions: ['AFM', 'Vaincre la muco'] }];
 * const rec = createReconciler(loadSeedRegistry()).reconcile(responseMentions(responses));
 * distinctAssociations(citedAssociations(responses, rec)); // 2
 */
import type { MentionInput, ReconciledMention } from './reconcile.js';

export interface ResponseMentions {
  responseId: string;
  mentions: readonly string[];
  /** When the response was completed (ISO 8601): when its mentions arrived. */
  at?: string;
}

/** One association as cited: its group, the registry id (null for a candidate new entry), a label. */
export interface CitedAssociation {
  group: string;
  entryId: string | null;
  label: string;
}

export interface ResponseAssociations {
  responseId: string;
  /** Distinct associations the response cites, in the order first cited. */
  associations: CitedAssociation[];
}

/** The mentions of all responses, in order, as input for `reconcile` (ids `responseId#k`). */
export function responseMentions(responses: readonly ResponseMentions[]): MentionInput[] {
  return responses.flatMap((r) =>
    r.mentions.map((text, k) => ({ id: `${r.responseId}#${k + 1}`, text, ...(r.at ? { at: r.at } : {}) })),
  );
}

/**
 * The associations each response cites: `reconciled` is the result of reconciling
 * {@link responseMentions} (same order). Empty mentions are skipped.
 */
export function citedAssociations(
  responses: readonly ResponseMentions[],
  reconciled: readonly ReconciledMention[],
): ResponseAssociations[] {
  const total = responses.reduce((s, r) => s + r.mentions.length, 0);
  if (total !== reconciled.length) {
    throw new RangeError(`expected ${total} reconciled mentions, got ${reconciled.length}`);
  }
  let at = 0;
  return responses.map((r) => {
    const seen = new Map<string, CitedAssociation>();
    for (let k = 0; k < r.mentions.length; k++) {
      const m = reconciled[at++];
      if (!m || m.group === 'empty' || seen.has(m.group)) continue;
      seen.set(m.group, {
        group: m.group,
        entryId: m.match?.id ?? null,
        label: m.match?.name ?? m.mention.trim(),
      });
    }
    return { responseId: r.responseId, associations: [...seen.values()] };
  });
}

/** Number of distinct associations cited across responses (published figure F6). */
export function distinctAssociations(cited: readonly ResponseAssociations[]): number {
  return new Set(cited.flatMap((r) => r.associations.map((a) => a.group))).size;
}

export interface CitationCount extends CitedAssociation {
  /** Number of responses citing it. */
  responses: number;
}

/** Associations by number of citing responses, most cited first (ties by label). */
export function mostCited(cited: readonly ResponseAssociations[], top = 10): CitationCount[] {
  const counts = new Map<string, CitationCount>();
  for (const r of cited) {
    for (const a of r.associations) {
      const c = counts.get(a.group) ?? { ...a, responses: 0 };
      c.responses++;
      counts.set(a.group, c);
    }
  }
  return [...counts.values()]
    .sort((a, b) => b.responses - a.responses || a.label.localeCompare(b.label))
    .slice(0, top);
}

export interface BipartiteEdge {
  researcher: string;
  association: string;
  label: string;
}

/** The researcher–association edge list (one edge per response and association it cites). */
export function bipartiteEdges(cited: readonly ResponseAssociations[]): BipartiteEdge[] {
  return cited.flatMap((r) =>
    r.associations.map((a) => ({ researcher: r.responseId, association: a.group, label: a.label })),
  );
}

/**
 * The edge list the press office may download: only researchers who agreed to press contacts
 * (`include`), each under a number drawn for this download alone (`P1`, `P2`… in a random
 * order), so that the file names neither a respondent nor a response, and two downloads cannot
 * be joined by their ids. `random` returns numbers in [0, 1) (a test may fix it).
 */
export function pressEdges(
  cited: readonly ResponseAssociations[],
  include: ReadonlySet<string>,
  random: () => number = Math.random,
): BipartiteEdge[] {
  const kept = cited.filter((r) => include.has(r.responseId) && r.associations.length > 0);
  for (let i = kept.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kept[i], kept[j]] = [kept[j]!, kept[i]!];
  }
  return kept.flatMap((r, i) =>
    r.associations.map((a) => ({ researcher: `P${i + 1}`, association: a.group, label: a.label })),
  );
}

/** Removes the control characters XML 1.0 does not allow (all below U+0020 but tab, LF, CR). */
function stripControls(s: string): string {
  let out = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    if (code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) out += c;
  }
  return out;
}

function xml(s: string): string {
  return stripControls(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** GraphML of the bipartite network: nodes have `kind` (researcher or association) and `label`. */
export function edgesToGraphML(edges: readonly BipartiteEdge[]): string {
  const nodes = new Map<string, { kind: string; label: string }>();
  for (const e of edges) {
    nodes.set(`r:${e.researcher}`, { kind: 'researcher', label: e.researcher });
    nodes.set(`a:${e.association}`, { kind: 'association', label: e.label });
  }
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    '  <key id="kind" for="node" attr.name="kind" attr.type="string"/>',
    '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
    '  <graph id="cairnet" edgedefault="undirected">',
    ...[...nodes].map(
      ([id, n]) =>
        `    <node id="${xml(id)}"><data key="kind">${n.kind}</data><data key="label">${xml(n.label)}</data></node>`,
    ),
    ...edges.map(
      (e) => `    <edge source="${xml(`r:${e.researcher}`)}" target="${xml(`a:${e.association}`)}"/>`,
    ),
    '  </graph>',
    '</graphml>',
  ];
  return `${lines.join('\n')}\n`;
}

function csvCell(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV of the edge list (`researcher,association,label`), formula-safe. */
export function edgesToCsv(edges: readonly BipartiteEdge[]): string {
  const rows = edges.map((e) => [e.researcher, e.association, e.label].map(csvCell).join(','));
  return `researcher,association,label\n${rows.map((r) => `${r}\n`).join('')}`;
}
