import type { NetworkView } from '../../associations/network-svg.js';
import { escapeHtml } from '../../report/html.js';

/** The network page's words, in both languages. */
export const NETWORK_TEXT = {
  fr: {
    title: 'Réseau répondants–associations',
    heading: 'Les répondants et les associations qu’ils ont citées',
    associations: 'Associations',
    whole: 'Réseau entier',
    drawing: 'Dessin du réseau répondants–associations (disposition par forces)',
    controls: 'Zoom du dessin',
    zoomIn: 'Agrandir',
    zoomOut: 'Réduire',
    reset: 'Vue entière',
    keys: 'Au clavier, sur le dessin : + et − pour le zoom, les flèches pour le déplacer, 0 pour la vue entière ; à la souris : molette et glisser.',
    caption: (a: string, total: string, r: string, e: string) =>
      `Les ${a} associations les plus citées (en bleu, nommées là où le nom trouve sa place ; chaque nom est dans les fichiers) sur ${total}, et les ${r} répondants (points gris, anonymes) qui les ont citées : ${e} liens. Le réseau entier est dans les fichiers GraphML et CSV.`,
  },
  en: {
    title: 'Respondent–association network',
    heading: 'Respondents and the associations they cited',
    associations: 'Associations',
    whole: 'Whole network',
    drawing: 'Force-directed drawing of the respondent–association network',
    controls: 'Zoom of the drawing',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    reset: 'Whole view',
    keys: 'With the keyboard, on the drawing: + and − to zoom, the arrows to move it, 0 for the whole view; with a mouse: wheel and drag.',
    caption: (a: string, total: string, r: string, e: string) =>
      `The ${a} most cited associations (blue, named where the name finds room; every name is in the files) of ${total}, and the ${r} respondents (grey dots, anonymous) who cited them: ${e} links. The whole network is in the GraphML and CSV files.`,
  },
} as const;

/**
 * The network page's body: the drawing in a focusable frame that network-view.js zooms and pans
 * (buttons, wheel, drag, keys) through the SVG's viewBox; without the script, the whole drawing.
 */
export function networkPageBody(view: NetworkView, lang: 'fr' | 'en'): string {
  const t = NETWORK_TEXT[lang];
  const n = (x: number) => x.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB');
  return `<ul class="page-links">
  <li><a href="/admin/associations?lang=${lang}">${escapeHtml(t.associations)}</a></li>
  <li><a href="/api/admin/associations/network.graphml">${escapeHtml(t.whole)} (GraphML)</a></li>
  <li><a href="/api/admin/associations/network.csv">${escapeHtml(t.whole)} (CSV)</a></li>
</ul>
  <figure>
    <div class="network-controls" role="group" aria-label="${escapeHtml(t.controls)}" hidden>
      <button type="button" data-zoom="in">${escapeHtml(t.zoomIn)}</button>
      <button type="button" data-zoom="out">${escapeHtml(t.zoomOut)}</button>
      <button type="button" data-zoom="reset">${escapeHtml(t.reset)}</button>
      <span class="network-keys" id="network-keys">${escapeHtml(t.keys)}</span>
    </div>
    <div id="network" class="network-frame" role="img" aria-label="${escapeHtml(t.drawing)}" aria-describedby="network-keys">${view.svg}</div>
    <figcaption>${escapeHtml(t.caption(n(view.associations), n(view.totalAssociations), n(view.researchers), n(view.edges)))}</figcaption>
  </figure>`;
}
