import type { FactorMapData } from '../results/factor-map-data.js';
import { formatNumber, type Lang } from './number-format.js';
import { TEXT } from './report-text.js';

export type { FactorMapData };

/** Okabe–Ito colours and a shape per profile: distinct for colour-blind readers and in greyscale. */
export const PROFILE_COLOURS = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#56B4E9',
  '#000000',
  '#F0E442',
];
const SHAPES = ['circle', 'square', 'triangle', 'diamond'] as const;

function marker(shape: (typeof SHAPES)[number], x: number, y: number, r: number, fill: string): string {
  const f = `fill="${fill}" fill-opacity="0.5"`;
  if (shape === 'circle') return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}" ${f}/>`;
  if (shape === 'square')
    return `<rect x="${(x - r).toFixed(1)}" y="${(y - r).toFixed(1)}" width="${2 * r}" height="${2 * r}" ${f}/>`;
  const pts =
    shape === 'triangle'
      ? [
          [x, y - r * 1.2],
          [x + r * 1.1, y + r],
          [x - r * 1.1, y + r],
        ]
      : [
          [x, y - r * 1.3],
          [x + r * 1.3, y],
          [x, y + r * 1.3],
          [x - r * 1.3, y],
        ];
  return `<polygon points="${pts.map((p) => `${p[0]!.toFixed(1)},${p[1]!.toFixed(1)}`).join(' ')}" ${f}/>`;
}

export function profileShape(profile: number): (typeof SHAPES)[number] {
  return SHAPES[(profile - 1) % SHAPES.length]!;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

export interface FactorMapDrawing {
  svg: string;
  /** The labelled categories, in the order of their numbers on the map. */
  key: { number: number; variable: string; level: string }[];
}

/**
 * Draws the factor map: respondents as small markers (colour and shape by profile), the most
 * contributing categories as squares numbered and labelled by their wording, placed so that no
 * two labels overlap (a category whose label finds no free place keeps its square, unlabelled).
 */
export function drawFactorMap(
  data: FactorMapData,
  lang: Lang,
  levelLabel: (variable: string, level: string) => string,
  options: { width?: number; height?: number; labels?: number; numbered?: FactorMapDrawing['key'] } = {},
): FactorMapDrawing {
  const t = TEXT[lang];
  const W = options.width ?? 640;
  const H = options.height ?? 480;
  // a narrow map (phones) has its title on two lines
  const narrow = W < 500;
  const pad = { l: 40, r: 16, t: narrow ? 50 : 34, b: 36 };
  const xs = [...data.points.map((p) => p.x), ...data.categories.map((c) => c.x)];
  const ys = [...data.points.map((p) => p.y), ...data.categories.map((c) => c.y)];
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => pad.l + ((x - minX) / (maxX - minX || 1)) * (W - pad.l - pad.r);
  const sy = (y: number) => H - pad.b - ((y - minY) / (maxY - minY || 1)) * (H - pad.t - pad.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<line x1="${sx(0).toFixed(1)}" y1="${pad.t}" x2="${sx(0).toFixed(1)}" y2="${H - pad.b}" stroke="#999" stroke-dasharray="4 3"/>`,
    `<line x1="${pad.l}" y1="${sy(0).toFixed(1)}" x2="${W - pad.r}" y2="${sy(0).toFixed(1)}" stroke="#999" stroke-dasharray="4 3"/>`,
  ];
  for (const p of data.points)
    out.push(
      marker(
        profileShape(p.profile),
        sx(p.x),
        sy(p.y),
        2.5,
        PROFILE_COLOURS[(p.profile - 1) % PROFILE_COLOURS.length]!,
      ),
    );
  const placed: Box[] = [];
  const key: FactorMapDrawing['key'] = [];
  // `numbered`: the categories another drawing labelled, marked here by their number alone
  const numberOf = (c: { variable: string; level: string }) =>
    options.numbered?.find((k) => k.variable === c.variable && k.level === c.level)?.number;
  const ranked = options.numbered
    ? data.categories.filter((c) => numberOf(c) !== undefined)
    : [...data.categories].sort((a, b) => b.contrib - a.contrib).slice(0, options.labels ?? 12);
  // The squares first: no label may cover one.
  for (const c of ranked) {
    const x = sx(c.x);
    const y = sy(c.y);
    placed.push({ x0: x - 5, y0: y - 5, x1: x + 5, y1: y + 5 });
    out.push(`<rect x="${(x - 4).toFixed(1)}" y="${(y - 4).toFixed(1)}" width="8" height="8" fill="#000"/>`);
  }
  for (const c of ranked) {
    const x = sx(c.x);
    const y = sy(c.y);
    const number = numberOf(c);
    const text =
      number !== undefined ? String(number) : `${key.length + 1}. ${levelLabel(c.variable, c.level)}`;
    const w = text.length * 7.4;
    const h = 15;
    const candidates: [Box, number, number, string][] = [
      [{ x0: x + 7, y0: y - h / 2, x1: x + 7 + w, y1: y + h / 2 }, x + 7, y + 4.5, 'start'],
      [{ x0: x - 7 - w, y0: y - h / 2, x1: x - 7, y1: y + h / 2 }, x - 7, y + 4.5, 'end'],
      [{ x0: x - w / 2, y0: y - 8 - h, x1: x + w / 2, y1: y - 8 }, x, y - 11, 'middle'],
      [{ x0: x - w / 2, y0: y + 8, x1: x + w / 2, y1: y + 8 + h }, x, y + 8 + 11.5, 'middle'],
    ];
    const fit = candidates.find(
      ([b]) =>
        b.x0 >= 2 &&
        b.x1 <= W - 2 &&
        b.y0 >= pad.t - 6 &&
        b.y1 <= H - 2 &&
        !placed.some((p) => overlaps(p, b)),
    );
    if (!fit) continue;
    placed.push(fit[0]);
    key.push({ number: number ?? key.length + 1, variable: c.variable, level: c.level });
    out.push(
      `<text x="${fit[1].toFixed(1)}" y="${fit[2].toFixed(1)}" text-anchor="${fit[3]}" fill="#000" stroke="white" stroke-width="3" paint-order="stroke">${esc(text)}</text>`,
    );
  }
  const pct = (v: number) => `${formatNumber(v, lang, 1)}${lang === 'fr' ? '\u202f%' : '%'}`;
  out.push(
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle">${esc(`${t.axis} 1 (${pct(data.inertia[0])})`)}</text>`,
    `<text x="14" y="${H / 2}" text-anchor="middle" transform="rotate(-90 14 ${H / 2})">${esc(`${t.axis} 2 (${pct(data.inertia[1])})`)}</text>`,
    narrow
      ? `<text x="8" y="20" font-size="14" font-weight="bold">${esc(t.mapTitle)}<tspan x="8" dy="17" font-weight="normal">${esc(`(${t.axisSigns})`)}</tspan></text>`
      : `<text x="${pad.l}" y="20" font-size="14" font-weight="bold">${esc(`${t.mapTitle} (${t.axisSigns})`)}</text>`,
    '</svg>',
  );
  return { svg: `${out.join('\n')}\n`, key };
}
