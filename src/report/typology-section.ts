import { escapeHtml } from '../server/html.js';
import { formatNumber, type Lang } from './number-format.js';
import { TEXT } from './report-text.js';
import type { PublishedResults } from './store-results.js';
import { textFor } from './survey-texts.js';

/** The cluster colours of `factorMapSvg` (src/stats/mca/factor-map-svg.ts), in cluster order. */
const CLUSTER_COLOURS = [
  '#1b9e77',
  '#d95f02',
  '#7570b3',
  '#e7298a',
  '#66a61e',
  '#e6ab02',
  '#a6761d',
  '#666666',
];

function factorMapFigure(published: PublishedResults, lang: Lang): string {
  const spec = published.plan.typology;
  if (!published.factorMap || !spec) return '';
  const t = TEXT[lang];
  // The map is drawn with cluster = profile (plan order) + 1; its labels may pass its right edge.
  const legend = Object.values(spec.profiles)
    .map(
      (p, k) =>
        `<li><span class="swatch" style="background:${CLUSTER_COLOURS[k % CLUSTER_COLOURS.length]}"></span>${escapeHtml(p.label[lang])}</li>`,
    )
    .join('');
  const svg = published.factorMap.replace(
    /^<svg /,
    `<svg role="img" aria-label="${escapeHtml(t.factorMap)}" style="overflow:visible" `,
  );
  return `<figure class="chart factor-map">${svg}<figcaption>${escapeHtml(t.factorMap)}<ul class="legend">${legend}</ul></figcaption></figure>`;
}

/**
 * The typology: its method, each profile's size, its eigenvalues and (where respondents may be
 * plotted: not on the public page) the factor map with a legend of the profiles' colours.
 */
export function typologySection(published: PublishedResults, lang: Lang, withFactorMap: boolean): string {
  const t = textFor(lang, published.texts);
  const typ = published.results.typology;
  const spec = published.plan.typology;
  if (!typ || !spec) return '';
  const rows = typ.profiles
    .map(
      (p) =>
        `<tr><th scope="row">${escapeHtml(spec.profiles[p.profile]?.label[lang] ?? p.profile)}</th><td>${escapeHtml(formatNumber(p.size, lang))}</td></tr>`,
    )
    .join('');
  const eig = typ.eigenvalues.map((e) => formatNumber(e, lang, 3)).join(' ; ');
  return `<section id="typology" data-indicator="typology" aria-labelledby="typology-h">
<h2 id="typology-h">${escapeHtml(t.typology)}</h2>
<p>${escapeHtml(typ.method)}</p>
<table><thead><tr><th scope="col">${escapeHtml(t.profile)}</th><th scope="col">${escapeHtml(t.size)}</th></tr></thead><tbody>${rows}</tbody></table>
<p>${escapeHtml(t.eigenvalues)}: ${escapeHtml(eig)}</p>
${withFactorMap ? factorMapFigure(published, lang) : ''}
</section>`;
}
