import type { PublishedResults } from '../results/snapshot.js';
import { drawFactorMap, PROFILE_COLOURS, profileShape } from './factor-map.js';
import { groupLabeller } from './group-labels.js';
import { escapeHtml } from './html.js';
import { type Audience, methodText } from './method-text.js';
import { formatNumber, type Lang } from './number-format.js';
import { TEXT } from './report-text.js';
import { textFor } from './survey-texts.js';

function factorMapFigure(published: PublishedResults, lang: Lang): string {
  const spec = published.plan.typology;
  if (!published.factorMap || !spec) return '';
  const t = TEXT[lang];
  const label = groupLabeller(published.plan, published.codebook, lang);
  const variableLabel = (v: string) =>
    published.codebook.variables.find((x) => x.name === v)?.label[lang] ?? v;
  const { svg, key } = drawFactorMap(published.factorMap, lang, label);
  // Profiles in plan order are drawn as profile k + 1: colour and shape.
  const legend = Object.values(spec.profiles)
    .map((p, k) => {
      const shape = profileShape(k + 1);
      const radius = shape === 'circle' ? '50%' : '0';
      const clip =
        shape === 'triangle'
          ? 'clip-path:polygon(50% 0,100% 100%,0 100%);'
          : shape === 'diamond'
            ? 'transform:rotate(45deg) scale(.8);'
            : '';
      return `<li><span class="swatch" style="background:${PROFILE_COLOURS[k % PROFILE_COLOURS.length]};border-radius:${radius};${clip}"></span>${escapeHtml(p.label[lang])}</li>`;
    })
    .join('');
  const keyItems = key
    .map(
      (k) =>
        `<li value="${k.number}" data-quote="instrument">${escapeHtml(variableLabel(k.variable))} — <strong>${escapeHtml(label(k.variable, k.level))}</strong></li>`,
    )
    .join('');
  const named = (drawing: string, variant: string) =>
    drawing.replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(t.factorMap)}" class="${variant}" `);
  // for phones: a map 350 px wide whose categories carry only their number in the key below
  const narrow = drawFactorMap(published.factorMap, lang, label, { width: 350, height: 380, numbered: key });
  const img = named(svg, 'chart-full') + named(narrow.svg, 'chart-phone');
  return `<figure class="chart factor-map">${img}<figcaption>${escapeHtml(t.factorMap)}<ul class="legend">${legend}</ul><ol class="map-key">${keyItems}</ol></figcaption></figure>`;
}

/**
 * The typology: its method, each profile's size, its eigenvalues and (where respondents may be
 * plotted: not on the public page) the factor map with a legend of the profiles' colours.
 */
export function typologySection(
  published: PublishedResults,
  lang: Lang,
  withFactorMap: boolean,
  audience: Audience = 'technical',
): string {
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
<p>${escapeHtml(methodText(typ.method, lang, audience))}</p>
<table><thead><tr><th scope="col">${escapeHtml(t.profile)}</th><th scope="col">${escapeHtml(t.size)}</th></tr></thead><tbody>${rows}</tbody></table>
${audience === 'plain' ? '' : `<p>${escapeHtml(t.eigenvalues)}${lang === 'fr' ? ' :' : ':'} ${escapeHtml(eig)}</p>`}
${withFactorMap ? factorMapFigure(published, lang) : ''}
</section>`;
}
