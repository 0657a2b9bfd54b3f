import type { McaResult } from './mca-result.js';

const PALETTE = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The factor map of an MCA on axes 1 and 2 as a self-contained SVG: respondents as dots coloured
 * by cluster (at most 5,000, evenly sampled), active categories as labelled points.
 */
export function factorMapSvg(mca: McaResult, clusterOf?: Int32Array, size = 720): string {
  const d = mca.dimensions;
  const ax = 0;
  const ay = d > 1 ? 1 : 0;
  const n = mca.ind.coord.rows;
  const J = mca.var.categories.length;
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  const extend = (x: number, y: number) => {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  };
  const step = Math.max(1, Math.ceil(n / 5000));
  for (let i = 0; i < n; i += step) extend(mca.ind.coord.data[i * d + ax]!, mca.ind.coord.data[i * d + ay]!);
  for (let j = 0; j < J; j++) extend(mca.var.coord.data[j * d + ax]!, mca.var.coord.data[j * d + ay]!);
  const pad = 50;
  const sx = (x: number) => pad + ((x - minX) / (maxX - minX || 1)) * (size - 2 * pad);
  const sy = (y: number) => size - pad - ((y - minY) / (maxY - minY || 1)) * (size - 2 * pad);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<line x1="${sx(0)}" y1="${pad}" x2="${sx(0)}" y2="${size - pad}" stroke="#bbb" stroke-dasharray="4 3"/>`,
    `<line x1="${pad}" y1="${sy(0)}" x2="${size - pad}" y2="${sy(0)}" stroke="#bbb" stroke-dasharray="4 3"/>`,
  );
  for (let i = 0; i < n; i += step) {
    const c = clusterOf ? clusterOf[i]! : 1;
    parts.push(
      `<circle cx="${sx(mca.ind.coord.data[i * d + ax]!).toFixed(1)}" cy="${sy(mca.ind.coord.data[i * d + ay]!).toFixed(1)}" r="2" fill="${PALETTE[(c - 1) % PALETTE.length]}" fill-opacity="0.45"/>`,
    );
  }
  for (let j = 0; j < J; j++) {
    const c = mca.var.categories[j]!;
    const x = sx(mca.var.coord.data[j * d + ax]!);
    const y = sy(mca.var.coord.data[j * d + ay]!);
    parts.push(
      `<rect x="${(x - 3).toFixed(1)}" y="${(y - 3).toFixed(1)}" width="6" height="6" fill="#b2182b"/>`,
      `<text x="${(x + 5).toFixed(1)}" y="${(y - 4).toFixed(1)}" fill="#67001f">${esc(`${c.variable}=${c.level}`)}</text>`,
    );
  }
  const pct = (k: number) => (mca.inertiaPercent[k] ?? 0).toFixed(2);
  parts.push(
    `<text x="${size / 2}" y="${size - 12}" text-anchor="middle">Dim ${ax + 1} (${pct(ax)}%)</text>`,
    `<text x="14" y="${size / 2}" text-anchor="middle" transform="rotate(-90 14 ${size / 2})">Dim ${ay + 1} (${pct(ay)}%)</text>`,
    `<text x="${pad}" y="20" font-size="13">MCA factor map (axis signs are arbitrary)</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
