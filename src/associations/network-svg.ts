import * as vega from 'vega';
import type { BipartiteEdge } from './citations.js';

export interface NetworkView {
  svg: string;
  /** What the drawing shows, for the caption: it is restricted to the most cited associations. */
  associations: number;
  researchers: number;
  edges: number;
  totalAssociations: number;
}

/**
 * Draws the researcher–association network as SVG with Vega's force-directed layout (static,
 * computed in Node): associations in blue with their names, researchers as small grey dots
 * without any label (they are pseudonymous responses). Only the `top` most cited associations and
 * the researchers citing them are drawn, so that the picture stays readable; the whole network
 * is in the GraphML and CSV exports.
 */
export async function networkSvg(edges: readonly BipartiteEdge[], top = 30): Promise<NetworkView> {
  const counts = new Map<string, { label: string; n: number }>();
  for (const e of edges) {
    const c = counts.get(e.association) ?? { label: e.label, n: 0 };
    c.n++;
    counts.set(e.association, c);
  }
  const kept = new Set(
    [...counts.entries()]
      .sort((a, b) => b[1].n - a[1].n || a[1].label.localeCompare(b[1].label))
      .slice(0, top)
      .map(([id]) => id),
  );
  const index = new Map<string, number>();
  const width = 960;
  const height = 720;
  // cx, cy: where the x and y forces pull every node, so that unconnected groups stay in view.
  const nodes: {
    index: number;
    kind: 'association' | 'researcher';
    label: string;
    size: number;
    cx: number;
    cy: number;
  }[] = [];
  const nodeOf = (key: string, kind: 'association' | 'researcher', label: string, size: number) => {
    let i = index.get(key);
    if (i === undefined) {
      i = nodes.length;
      index.set(key, i);
      nodes.push({ index: i, kind, label, size, cx: width / 2, cy: height / 2 });
    }
    return i;
  };
  const links: { source: number; target: number }[] = [];
  for (const e of edges) {
    if (!kept.has(e.association)) continue;
    const c = counts.get(e.association)!;
    const a = nodeOf(`a:${e.association}`, 'association', c.label.slice(0, 60), 40 + 12 * c.n);
    const r = nodeOf(`r:${e.researcher}`, 'researcher', '', 12);
    links.push({ source: r, target: a });
  }
  const spec = {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width,
    height,
    autosize: 'none',
    background: 'white',
    signals: [{ name: 'static', value: true }],
    data: [
      { name: 'node-data', values: nodes },
      { name: 'link-data', values: links },
    ],
    scales: [
      {
        name: 'color',
        type: 'ordinal',
        domain: ['association', 'researcher'],
        range: ['#1b4f8a', '#9aa5b1'],
      },
    ],
    marks: [
      {
        name: 'nodes',
        type: 'symbol',
        zindex: 1,
        from: { data: 'node-data' },
        encode: {
          enter: {
            fill: { scale: 'color', field: 'kind' },
            size: { field: 'size' },
            stroke: { value: 'white' },
          },
        },
        transform: [
          {
            type: 'force',
            iterations: 300,
            static: true,
            signal: 'force',
            forces: [
              { force: 'center', x: width / 2, y: height / 2 },
              { force: 'collide', radius: 5 },
              { force: 'nbody', strength: -30 },
              { force: 'link', links: 'link-data', distance: 34 },
              { force: 'x', x: 'datum.cx', strength: 0.035 },
              { force: 'y', y: 'datum.cy', strength: 0.045 },
            ],
          },
        ],
      },
      {
        type: 'path',
        from: { data: 'link-data' },
        interactive: false,
        encode: { update: { stroke: { value: '#c9ced6' }, strokeWidth: { value: 0.6 } } },
        transform: [
          {
            type: 'linkpath',
            require: { signal: 'force' },
            shape: 'line',
            sourceX: 'datum.source.x',
            sourceY: 'datum.source.y',
            targetX: 'datum.target.x',
            targetY: 'datum.target.y',
          },
        ],
      },
      {
        type: 'text',
        from: { data: 'nodes' },
        zindex: 2,
        interactive: false,
        encode: {
          update: {
            x: { field: 'x' },
            y: { field: 'y', offset: -8 },
            text: { signal: "datum.datum.kind === 'association' ? datum.datum.label : ''" },
            align: { value: 'center' },
            fontSize: { value: 10 },
            fill: { value: '#1d2330' },
          },
        },
      },
    ],
  };
  const view = new vega.View(vega.parse(spec as unknown as vega.Spec), { renderer: 'none' });
  await view.runAsync();
  const svg = await view.toSVG();
  view.finalize();
  return {
    svg,
    associations: kept.size,
    researchers: nodes.length - kept.size,
    edges: links.length,
    totalAssociations: counts.size,
  };
}
