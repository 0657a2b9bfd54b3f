import type { WeightingSummary } from '../plan/weighting.js';
import { escapeHtml } from './html.js';
import { formatNumber, formatPercent, type Lang } from './number-format.js';

/** Labels of the weighting's variables and of their levels, in the reader's language. */
export interface WeightingLabels {
  variable: (name: string) => string;
  level: (variable: string, level: string) => string;
}

export const WEIGHTING_TEXT = {
  fr: {
    rake: (vars: string, sweeps: string, eps: string) =>
      `Les réponses sont pondérées par calage sur les marges de ${vars} (comme rake() du paquet R survey : au plus ${sweeps} itérations, arrêt quand le tableau croisé pondéré change de moins de ${eps}).`,
    post: (vars: string) =>
      `Les réponses sont post-stratifiées sur ${vars} (comme postStratify() du paquet R survey).`,
    sourcePopulation:
      'Marges : les personnes invitées de la campagne, comptées par les strates importées avec la population.',
    sourceFile: (file: string) => `Marges : le fichier ${file}.`,
    sourcePlan: 'Marges : écrites dans le plan d’analyse.',
    converged: (n: string, one: boolean) =>
      `Le calage a convergé en ${n} ${one ? 'itération' : 'itérations'}.`,
    notConverged: (n: string, one: boolean) =>
      `Le calage n’a pas convergé après ${n} ${one ? 'itération' : 'itérations'} : les marges ne sont qu’approchées.`,
    weights: (min: string, max: string, mean: string) => `Poids : de ${min} à ${max}, moyenne ${mean}.`,
    kish: (deff: string, eff: string) =>
      `Effet de plan dû à la pondération (Kish, <code>1 + CV²</code>) : ${deff} ; effectif équivalent : ${eff} répondants.`,
    estimates:
      'Toutes les estimations et leurs intervalles sont calculés sur le plan calé (comme svymean et svyciprop), avec les erreurs types du calage.',
    rates: 'Taux de réponse par strate',
    ratesNote:
      'Les réponses sont anonymes : une réponse est rattachée à une strate par sa propre réponse à la question, non par son invitation. Ces taux rapportent les réponses donnant chaque modalité aux personnes invitées de la strate ; ils ne sont pas des taux de participation individuels.',
    level: 'Modalité',
    invited: 'Personnes invitées',
    responses: 'Réponses',
    rate: 'Taux',
    suppressed: 'non publié : trop peu de réponses',
    plain: (vars: string) =>
      `Les résultats sont pondérés pour que les répondants se répartissent selon ${vars} comme la population visée.`,
    and: ' et ',
  },
  en: {
    rake: (vars: string, sweeps: string, eps: string) =>
      `Responses are weighted by raking to the margins of ${vars} (as rake() in R's survey package: at most ${sweeps} iterations, stopping when the weighted cross-table changes by less than ${eps}).`,
    post: (vars: string) =>
      `Responses are post-stratified on ${vars} (as postStratify() in R's survey package).`,
    sourcePopulation:
      'Margins: the persons invited by the campaign, counted by the strata imported with the population.',
    sourceFile: (file: string) => `Margins: the file ${file}.`,
    sourcePlan: 'Margins: written in the analysis plan.',
    converged: (n: string, one: boolean) => `Raking converged in ${n} ${one ? 'iteration' : 'iterations'}.`,
    notConverged: (n: string, one: boolean) =>
      `Raking did not converge after ${n} ${one ? 'iteration' : 'iterations'}: the margins are only approached.`,
    weights: (min: string, max: string, mean: string) => `Weights: from ${min} to ${max}, mean ${mean}.`,
    kish: (deff: string, eff: string) =>
      `Design effect due to weighting (Kish, <code>1 + CV²</code>): ${deff}; effective sample size: ${eff} respondents.`,
    estimates:
      'Every estimate and its interval is computed on the calibrated design (as svymean and svyciprop), with the calibrated standard errors.',
    rates: 'Response rates by stratum',
    ratesNote:
      'Responses are anonymous: a response is placed in a stratum by its own answer to the question, not by its invitation. These rates divide the responses giving each level by the persons invited in that stratum; they are not individual participation rates.',
    level: 'Level',
    invited: 'Persons invited',
    responses: 'Responses',
    rate: 'Rate',
    suppressed: 'not published: too few responses',
    plain: (vars: string) =>
      `The results are weighted so that the respondents are spread over ${vars} as the surveyed population is.`,
    and: ' and ',
  },
} as const;

const num = (text: string) => `<span data-indicator="weighting">${escapeHtml(text)}</span>`;

function list(names: string[], lang: Lang): string {
  if (names.length < 2) return names.join('');
  return `${names.slice(0, -1).join(', ')}${WEIGHTING_TEXT[lang].and}${names.at(-1)}`;
}

/** The variables' labels, quoted from the instrument (their numbers are wording), as HTML. */
function variableList(w: WeightingSummary, lang: Lang, labels: WeightingLabels): string {
  return list(
    w.variables.map((v) => {
      const label = `<span data-quote="instrument">${escapeHtml(labels.variable(v.variable))}</span>`;
      return lang === 'fr' ? `« ${label} »` : `“${label}”`;
    }),
    lang,
  );
}

/** The weighting, for the survey team: method, margins, convergence, weights, Kish deff and response rates by stratum. */
export function weightingMethods(w: WeightingSummary, lang: Lang, labels: WeightingLabels): string {
  const t = WEIGHTING_TEXT[lang];
  const vars = variableList(w, lang, labels);
  const d2 = (x: number) => formatNumber(x, lang, 2);
  const lines = [
    w.method === 'rake'
      ? t.rake(vars, num(formatNumber(w.control.maxIter, lang)), num(formatNumber(w.control.epsilon, lang)))
      : t.post(vars),
    escapeHtml(
      w.source.kind === 'population'
        ? t.sourcePopulation
        : w.source.kind === 'file'
          ? t.sourceFile(w.source.file)
          : t.sourcePlan,
    ),
    ...(w.method === 'rake' && w.iterations !== null
      ? [
          (w.converged ? t.converged : t.notConverged)(
            num(formatNumber(w.iterations, lang)),
            w.iterations === 1,
          ),
        ]
      : []),
    t.weights(num(d2(w.weights.min)), num(d2(w.weights.max)), num(d2(w.weights.mean))),
    t.kish(num(d2(w.deff)), num(formatNumber(w.effectiveN, lang))),
    escapeHtml(t.estimates),
  ];
  return `<div class="weighting">${lines.map((l) => `<p>${l}</p>`).join('\n')}${responseRatesTable(w, lang, labels)}</div>`;
}

function responseRatesTable(w: WeightingSummary, lang: Lang, labels: WeightingLabels): string {
  if (!w.responseRates) return '';
  const t = WEIGHTING_TEXT[lang];
  const tables = w.responseRates.map(
    (
      r,
    ) => `<table class="response-rates"><caption data-quote="instrument">${escapeHtml(labels.variable(r.variable))}</caption>
<thead><tr><th scope="col">${escapeHtml(t.level)}</th><th scope="col">${escapeHtml(t.invited)}</th><th scope="col">${escapeHtml(t.responses)}</th><th scope="col">${escapeHtml(t.rate)}</th></tr></thead>
<tbody>${r.levels
      .map(
        (l) =>
          `<tr><td data-quote="instrument">${escapeHtml(labels.level(r.variable, l.level))}</td><td>${num(formatNumber(l.invited, lang))}</td>${l.suppressed ? `<td colspan="2">${escapeHtml(t.suppressed)}</td>` : `<td>${num(formatNumber(l.responses, lang))}</td><td>${l.rate === null ? '—' : num(formatPercent(l.rate, lang))}</td>`}</tr>`,
      )
      .join('')}</tbody></table>`,
  );
  return `<h4>${escapeHtml(t.rates)}</h4>\n<p>${escapeHtml(t.ratesNote)}</p>\n${tables.join('\n')}`;
}

/** The weighting in one sentence, for the public. */
export function weightingPlain(w: WeightingSummary, lang: Lang, labels: WeightingLabels): string {
  return `<p>${WEIGHTING_TEXT[lang].plain(variableList(w, lang, labels))}</p>`;
}
