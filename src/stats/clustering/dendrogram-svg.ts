import type { HcpcResult } from './hierarchical-clustering.js';
import { mergesByHeight } from './ward-tree.js';

const PALETTE = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666'];

/**
 * The top of the Ward tree (its `top` highest merges, heights = inertia gains) as an SVG, with
 * the cut into K clusters drawn as a dashed line; each branch below is drawn as one leaf with
 * its weight.
 */
export function dendrogramSvg(h: HcpcResult, top = 30, width = 800, height = 480): string {
  const tree = h.tree;
  const n = tree.leaves;
  const order = mergesByHeight(tree);
  const kept = new Set(order.slice(0, Math.min(top, order.length)));
  if (order.length === 0) return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n';
  const root = order[0]!;
  const terminals: number[] = [];
  const walk = (node: number) => {
    const k = node - n;
    if (k >= 0 && kept.has(k)) {
      walk(tree.left[k]!);
      walk(tree.right[k]!);
    } else terminals.push(node);
  };
  walk(n + root);
  const pad = 40;
  const maxH = tree.height[root]!;
  const xOf = new Map<number, number>();
  terminals.forEach((t, i) => {
    xOf.set(t, pad + ((i + 0.5) / terminals.length) * (width - 2 * pad));
  });
  const y = (v: number) => height - pad - (v / (maxH || 1)) * (height - 2 * pad - 20);
  const lines: string[] = [];
  const place = (node: number): number => {
    const known = xOf.get(node);
    if (known !== undefined) return known;
    const k = node - n;
    const xl = place(tree.left[k]!);
    const xr = place(tree.right[k]!);
    const hl = kept.has(tree.left[k]! - n) ? tree.height[tree.left[k]! - n]! : 0;
    const hr = kept.has(tree.right[k]! - n) ? tree.height[tree.right[k]! - n]! : 0;
    const hk = tree.height[k]!;
    lines.push(
      `<path d="M${xl.toFixed(1)},${y(hl).toFixed(1)} V${y(hk).toFixed(1)} H${xr.toFixed(1)} V${y(hr).toFixed(1)}" fill="none" stroke="#333"/>`,
    );
    const x = (xl + xr) / 2;
    xOf.set(node, x);
    return x;
  };
  place(n + root);
  const weightOf = (node: number) => (node < n ? 0 : tree.weight[node - n]!);
  const labels = terminals.map((t) => {
    const x = xOf.get(t)!;
    const w = t < n ? '' : weightOf(t).toFixed(0);
    return `<text x="${x.toFixed(1)}" y="${height - pad + 14}" text-anchor="middle" font-size="9">${w}</text>`;
  });
  const k = h.clusters;
  const cut = k - 1 < order.length ? (tree.height[order[k - 2]!]! + tree.height[order[k - 1]!]!) / 2 : 0;
  return `${[
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${pad}" y="20" font-size="13">Ward hierarchy (top ${kept.size} merges; height = inertia gain)${h.approximation ? ' — on pre-clusters' : ''}</text>`,
    ...lines,
    `<line x1="${pad}" x2="${width - pad}" y1="${y(cut).toFixed(1)}" y2="${y(cut).toFixed(1)}" stroke="${PALETTE[1]}" stroke-dasharray="6 4"/>`,
    `<text x="${width - pad}" y="${(y(cut) - 4).toFixed(1)}" text-anchor="end" fill="${PALETTE[1]}">cut: ${k} clusters</text>`,
    ...labels,
    '</svg>',
  ].join('\n')}\n`;
}
