import type { Codebook } from '../instrument/types.js';
import type { PlanResults } from '../plan/evaluate-plan.js';
import type { Plan } from '../plan/plan-schema.js';
import { groupLabeller } from './group-labels.js';
import { escapeHtml } from './html.js';
import { methodHtml } from './indicator-section.js';
import { type Audience, methodText } from './method-text.js';
import { formatNumber, formatPercent, type Lang } from './number-format.js';
import { TEXT } from './report-text.js';
import { type SurveyTexts, textFor } from './survey-texts.js';
import { type WeightingLabels, weightingMethods, weightingPlain } from './weighting-section.js';

const bound = (source: string, text: string) =>
  `<span data-indicator="${escapeHtml(source)}">${escapeHtml(text)}</span>`;

/** The methods for the public: how to read a share and its range, the profiles, anonymity. */
function plainMethods(
  results: PlanResults,
  plan: Plan,
  lang: Lang,
  texts?: SurveyTexts,
  codebook?: Codebook,
): string {
  const t = textFor(lang, texts);
  const confidence = bound('plan.confidence', t.outOf100(formatNumber(plan.confidence * 100, lang)));
  const typology = results.typology
    ? `<p><span data-indicator="typology">${escapeHtml(methodText(results.typology.method, lang, 'plain'))}</span></p>`
    : '';
  return `<section id="methods" class="appendix">
<h2>${escapeHtml(t.publicMethods)}</h2>
<p>${escapeHtml(t.designText)} ${escapeHtml(t.responsesAnalysed)}${lang === 'fr' ? ' :' : ':'} ${bound('respondents', formatNumber(results.n, lang))}.</p>
<p>${t.publicMethodsText(confidence)}</p>
${results.weighting ? weightingPlain(results.weighting, lang, weightingLabels(plan, codebook, lang)) : ''}
${typology}
<p>${escapeHtml(t.publicSuppression)}</p>
</section>`;
}

/** The words of the weighting's variables and levels: the codebook's (or the plan's derived) labels. */
function weightingLabels(plan: Plan, codebook: Codebook | undefined, lang: Lang): WeightingLabels {
  const book = codebook ?? { variables: [] };
  return {
    variable: (name) =>
      book.variables.find((v) => v.name === name)?.label[lang] ??
      plan.derived.find((d) => d.name === name)?.label?.[lang] ??
      name,
    level: groupLabeller(plan, book as Codebook, lang),
  };
}

/**
 * The methods appendix: design, weighting, estimates, tests, typology, suppression rule, in the
 * reader's language (`plain`, for the public page: how to read the figures, without R names).
 */
export function methodsAppendix(
  results: PlanResults,
  plan: Plan,
  lang: Lang,
  audience: Audience = 'technical',
  levelLabel: (id: string, level: string) => string = (_i, l) => l,
  texts?: SurveyTexts,
  codebook?: Codebook,
): string {
  if (audience === 'plain') return plainMethods(results, plan, lang, texts, codebook);
  const t = textFor(lang, texts);
  const methods = [
    ...new Set(
      results.indicators.map((r) => methodText(r.method, lang, 'technical', (c) => levelLabel(r.id, c))),
    ),
  ];
  const tests = [
    ...new Set(results.indicators.flatMap((r) => (r.test ?? []).map((x) => methodText(x.method, lang)))),
  ];
  const weighted = results.indicators.some((r) => r.weighted);
  return `<section id="methods" class="appendix">
<h2>${escapeHtml(t.methods)}</h2>
<h3>${escapeHtml(t.design)}</h3>
<p>${escapeHtml(t.designText)} ${escapeHtml(t.responsesAnalysed)}${lang === 'fr' ? ' :' : ':'} ${bound('respondents', formatNumber(results.n, lang))}.</p>
<h3>${escapeHtml(t.weighting)}</h3>
${results.weighting ? weightingMethods(results.weighting, lang, weightingLabels(plan, codebook, lang)) : `<p>${escapeHtml(weighted ? t.weightedText : t.unweighted)}</p>`}
<h3>${escapeHtml(t.estimation)}</h3>
<ul>${methods.map((m) => `<li>${methodHtml(m)}</li>`).join('')}</ul>
<p>${escapeHtml(t.confidenceText1)} ${bound('plan.confidence', formatPercent(plan.confidence, lang))}.</p>
<h3>${escapeHtml(t.tests)}</h3>
<ul>${tests.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>
<h3>${escapeHtml(t.typologyMethod)}</h3>
<p>${results.typology ? `<span data-indicator="typology">${escapeHtml(methodText(results.typology.method, lang))}</span>` : escapeHtml(t.notAvailable)}</p>
<h3>${escapeHtml(t.suppressionRule)}</h3>
<p>${escapeHtml(t.suppressionText1)} ${bound('plan.minCell', formatNumber(plan.disclosure.minCell, lang))} ${escapeHtml(t.suppressionText2)} ${bound('plan.fragileBase', formatNumber(plan.disclosure.fragileBase, lang))} ${escapeHtml(t.suppressionText3)}</p>
<p>${escapeHtml(t.numbersRule)}</p>
</section>`;
}

/** The codebook: every variable with its label, type and value labels (quoted from the instrument). */
export function codebookSection(codebook: Codebook, lang: Lang): string {
  const t = TEXT[lang];
  const rows = codebook.variables.map((v) => {
    const values = v.levels
      .map((l) => `<code>${escapeHtml(String(l.value))}</code> ${escapeHtml(l.label[lang])}`)
      .join('<br>');
    return `<tr><td><code>${escapeHtml(v.name)}</code></td><td data-quote="instrument">${escapeHtml(v.label[lang])}</td><td><code>${escapeHtml(v.type)}</code></td><td data-quote="instrument">${values}</td></tr>`;
  });
  return `<section id="codebook" class="appendix">
<h2>${escapeHtml(t.codebook)}</h2>
<table class="codebook"><thead><tr><th scope="col">${escapeHtml(t.variable)}</th><th scope="col">${escapeHtml(t.label)}</th><th scope="col">${escapeHtml(t.type)}</th><th scope="col">${escapeHtml(t.values)}</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</section>`;
}
