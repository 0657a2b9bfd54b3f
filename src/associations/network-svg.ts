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
    const a = nodeOf(`a:${e.association}`, 'association', c.label, 40 + 12 * c.n);
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
        // no ARIA roles on each mark: the page names the drawing as one image
        aria: false,
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
        aria: false,
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
    ],
  };
  const view = new vega.View(vega.parse(spec as unknown as vega.Spec), { renderer: 'none' });
  await view.runAsync();
  const placed = (view.data('nodes') as LaidOut[]) ?? [];
  const names = placeNames(placed);
  const svg = fitToDrawing(await view.toSVG(), placed, names, width, height);
  view.finalize();
  return {
    svg,
    associations: kept.size,
    researchers: nodes.length - kept.size,
    edges: links.length,
    totalAssociations: counts.size,
  };
}

interface LaidOut {
  x: number;
  y: number;
  datum: { kind: string; label: string; size: number };
}

interface Name {
  text: string;
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
  box: { x0: number; y0: number; x1: number; y1: number };
}

const CHAR = 7.6; // width of a character at 13 px, bold (generous)

/**
 * Names the associations, most cited first, each in full above, below, right or left of its node
 * where it overlaps no name already placed and no node; a name that finds no free place is left
 * out of the drawing (the exports and the review page have every name).
 */
function placeNames(nodes: readonly LaidOut[]): Name[] {
  const taken = nodes
    .filter((n) => n.datum.kind === 'association')
    .map((n) => {
      const r = Math.sqrt(n.datum.size) / 2 + 1;
      return { x0: n.x - r, y0: n.y - r, x1: n.x + r, y1: n.y + r };
    });
  const hits = (b: Name['box']) =>
    taken.some((t) => b.x0 < t.x1 && t.x0 < b.x1 && b.y0 < t.y1 && t.y0 < b.y1);
  const names: Name[] = [];
  const order = nodes
    .filter((n) => n.datum.kind === 'association')
    .sort((a, b) => b.datum.size - a.datum.size);
  for (const n of order) {
    const w = n.datum.label.length * CHAR;
    const r = Math.sqrt(n.datum.size) / 2;
    const h = 16;
    const spots: Name[] = [
      {
        anchor: 'middle',
        x: n.x,
        y: n.y - r - 5,
        box: { x0: n.x - w / 2, y0: n.y - r - 4 - h, x1: n.x + w / 2, y1: n.y - r - 2 },
      },
      {
        anchor: 'middle',
        x: n.x,
        y: n.y + r + 15,
        box: { x0: n.x - w / 2, y0: n.y + r + 2, x1: n.x + w / 2, y1: n.y + r + 4 + h },
      },
      {
        anchor: 'start',
        x: n.x + r + 4,
        y: n.y + 4.5,
        box: { x0: n.x + r + 3, y0: n.y - h / 2, x1: n.x + r + 5 + w, y1: n.y + h / 2 },
      },
      {
        anchor: 'end',
        x: n.x - r - 4,
        y: n.y + 4.5,
        box: { x0: n.x - r - 5 - w, y0: n.y - h / 2, x1: n.x - r - 3, y1: n.y + h / 2 },
      },
    ].map((s) => ({ ...s, text: n.datum.label }) as Name);
    const spot = spots.find((s) => !hits(s.box));
    if (!spot) continue;
    taken.push(spot.box);
    names.push(spot);
  }
  return names;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Adds the names and crops the drawing to its nodes and names (the force layout leaves empty
 * margins), so that it fills its frame: the SVG scales to its container's width (`width="100%"`).
 */
function fitToDrawing(
  svg: string,
  nodes: readonly LaidOut[],
  names: readonly Name[],
  width: number,
  height: number,
): string {
  if (nodes.length === 0) return svg;
  let [x0, y0, x1, y1] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, -Infinity, -Infinity];
  const boxes = [
    ...nodes.map((n) => ({ x0: n.x - 8, y0: n.y - 8, x1: n.x + 8, y1: n.y + 8 })),
    ...names.map((n) => n.box),
  ];
  for (const b of boxes) {
    x0 = Math.min(x0, b.x0);
    y0 = Math.min(y0, b.y0);
    x1 = Math.max(x1, b.x1);
    y1 = Math.max(y1, b.y1);
  }
  x0 = Math.max(-width, x0 - 10);
  y0 = Math.max(-height, y0 - 10);
  const w = x1 + 10 - x0;
  const h = y1 + 10 - y0;
  const text = names
    .map(
      (n) =>
        `<text x="${n.x.toFixed(1)}" y="${n.y.toFixed(1)}" text-anchor="${n.anchor}" font-family="sans-serif" font-size="13" font-weight="600" fill="#1d2330" stroke="white" stroke-width="4" stroke-opacity="0.9" paint-order="stroke">${escapeXml(n.text)}</text>`,
    )
    .join('');
  return svg
    .replace(
      /^<svg([^>]*?) width="[^"]*" height="[^"]*" viewBox="[^"]*"/,
      `<svg$1 width="100%" viewBox="${x0.toFixed(0)} ${y0.toFixed(0)} ${w.toFixed(0)} ${h.toFixed(0)}" preserveAspectRatio="xMidYMid meet"`,
    )
    .replace(
      /^(<svg[^>]*>)/,
      `$1<rect x="${x0.toFixed(0)}" y="${y0.toFixed(0)}" width="${w.toFixed(0)}" height="${h.toFixed(0)}" fill="white"/>`,
    )
    .replace(/<\/svg>\s*$/, `<g class="names">${text}</g></svg>`);
}
