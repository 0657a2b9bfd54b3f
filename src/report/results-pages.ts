import type { PublishedResults } from '../results/snapshot.js';
import { assertBoundNumbers } from './bound-numbers.js';
import { outputLabels } from './group-labels.js';
import { escapeHtml } from './html.js';
import { chartWithOf, indicatorChartSpec } from './indicator-chart.js';
import { indicatorSection } from './indicator-section.js';
import { methodsAppendix } from './methods-appendix.js';
import { formatNumber, type Lang } from './number-format.js';
import { resultSources } from './press-release.js';
import { formatDate, TEXT } from './report-text.js';
import { textFor } from './survey-texts.js';
import { typologySection } from './typology-section.js';

export { indicatorChartSpec };

function syntheticBanner(published: PublishedResults, lang: Lang): string {
  const t = TEXT[lang];
  return published.results.synthetic
    ? `<div class="synthetic-banner" role="note" id="synthetic"><strong>${escapeHtml(t.syntheticTitle)}</strong> ${escapeHtml(t.syntheticReport)}</div>`
    : '';
}

/** Which stored snapshot an output renders: "Snapshot <code>ID</code>" (nothing for results not stored). */
export function snapshotMention(published: PublishedResults, lang: Lang): string {
  const id = published.snapshot?.id;
  return id
    ? ` ${lang === 'fr' ? 'Instantané' : 'Snapshot'} <code data-snapshot>${escapeHtml(id)}</code>.`
    : '';
}

function intro(published: PublishedResults, lang: Lang): string {
  const t = TEXT[lang];
  const d = published.computedAt;
  return `<p>${escapeHtml(t.responsesAnalysed)}${lang === 'fr' ? ' :' : ':'} <span data-indicator="respondents">${escapeHtml(formatNumber(published.results.n, lang))}</span> — ${escapeHtml(t.generated)} <time datetime="${d.toISOString()}">${escapeHtml(formatDate(d, lang))}</time>.${snapshotMention(published, lang)}</p>`;
}

function sections(
  published: PublishedResults,
  charts: Map<string, string>,
  lang: Lang,
  audience: 'technical' | 'plain',
): string {
  const labels = outputLabels(published.plan, published.codebook, lang);
  return published.results.indicators
    .map((ind) => {
      const chart = charts.get(ind.id);
      return indicatorSection(ind, {
        lang,
        groupLabel: labels.group,
        levelLabel: labels.level,
        audience,
        confidence: published.plan.confidence,
        heading: 3,
        ...(chart ? { chart } : chartWithOf(ind.id, published.results, lang)),
        ...(published.texts ? { texts: published.texts } : {}),
      });
    })
    .join('\n');
}

function langSwitch(path: string, lang: Lang): string {
  return `<nav aria-label="Langue / Language" class="langs"><a href="${path}?lang=fr" lang="fr"${lang === 'fr' ? ' aria-current="page"' : ''}>Français</a> <a href="${path}?lang=en" lang="en"${lang === 'en' ? ' aria-current="page"' : ''}>English</a></nav>`;
}

/**
 * The public results page's body: the synthetic flag when it applies, the publishable
 * indicators (the caller passes results already filtered by `publicResults`), the profiles
 * (without the factor map, which plots respondents) and the methods. Checked like the report.
 */
export function publicResultsBody(
  published: PublishedResults,
  charts: Map<string, string>,
  lang: Lang,
): string {
  const t = textFor(lang, published.texts);
  const body = `<header class="bar"><h1>${escapeHtml(t.publicResults)}</h1>${langSwitch(`/results/${escapeHtml(published.results.instrument)}`, lang)}</header>
<main id="main" class="results">
${syntheticBanner(published, lang)}
${intro(published, lang)}
<section id="indicators" aria-labelledby="indicators-h"><h2 id="indicators-h">${escapeHtml(t.indicators)}</h2>
${sections(published, charts, lang, 'plain')}
</section>
${typologySection(published, lang, false, 'plain')}
${methodsAppendix(published.results, published.plan, lang, 'plain', outputLabels(published.plan, published.codebook, lang).level, published.texts, published.codebook)}
</main>`;
  assertBoundNumbers(body, resultSources(published.results), 'public results page');
  return body;
}

/** Links to the report and press release in both languages and formats, named in the page's language. */
function downloads(lang: Lang, instrument: string): string {
  const t = TEXT[lang];
  const survey = `&amp;instrument=${encodeURIComponent(instrument)}`;
  const link = (href: string, text: string) => `<li><a href="${href}${survey}">${escapeHtml(text)}</a></li>`;
  const inLang = { fr: { fr: 'en français', en: 'en anglais' }, en: { fr: 'in French', en: 'in English' } }[
    lang
  ];
  const items: string[] = [];
  for (const l of ['fr', 'en'] as const) {
    items.push(link(`/admin/report?format=html&amp;lang=${l}`, `${t.report} ${inLang[l]} (HTML)`));
    items.push(link(`/admin/report?format=pdf&amp;lang=${l}`, `${t.report} ${inLang[l]} (PDF)`));
    items.push(
      link(`/admin/press-release?format=html&amp;lang=${l}`, `${t.pressRelease} ${inLang[l]} (HTML)`),
    );
    items.push(
      link(`/admin/press-release?format=md&amp;lang=${l}`, `${t.pressRelease} ${inLang[l]} (Markdown)`),
    );
  }
  return `<section id="downloads" aria-labelledby="downloads-h"><h2 id="downloads-h">${escapeHtml(t.reportLinks)}</h2><ul>
${items.join('\n')}
</ul></section>`;
}

/**
 * The survey team's dashboard, inside the studio's layout (its <main> attributes from
 * `dashboardMain`): every indicator (chart, table, base, interval, test), the
 * typology with its factor map, links to the report and press release, and containers that
 * dashboard.js fills from the API (campaign progress, most cited associations, publication).
 */
export function dashboardBody(
  published: PublishedResults,
  charts: Map<string, string>,
  lang: Lang,
  changes = '',
): string {
  const t = textFor(lang, published.texts);
  const body = `<p class="survey-line"><code>${escapeHtml(published.results.instrument)}</code> · <a href="/results/${escapeHtml(published.results.instrument)}?lang=${lang}">${escapeHtml(t.publicResults)}</a></p>
${syntheticBanner(published, lang)}
${intro(published, lang)}
<section id="publication" aria-labelledby="publication-h"><h2 id="publication-h">${escapeHtml(t.publication)}</h2>
<p id="publication-state" role="status"></p><button type="button" id="publication-toggle" hidden></button></section>
${changes}
${downloads(lang, published.results.instrument)}
<section id="campaign" aria-labelledby="campaign-h"><h2 id="campaign-h">${escapeHtml(t.campaign)}</h2><table id="campaign-table"><tbody></tbody></table></section>
<section id="associations" aria-labelledby="associations-h"><h2 id="associations-h">${escapeHtml(t.mostCited)}</h2>
<table id="most-cited"><thead><tr><th scope="col">${escapeHtml(t.association)}</th><th scope="col">${escapeHtml(t.citations)}</th></tr></thead><tbody></tbody></table>
<p><a href="/api/admin/dashboard/network.graphml">${lang === 'fr' ? 'Réseau répondants–associations (GraphML)' : 'Respondent–association network (GraphML)'}</a></p></section>
<section id="indicators" aria-labelledby="indicators-h"><h2 id="indicators-h">${escapeHtml(t.indicators)}</h2>
${sections(published, charts, lang, 'technical')}
</section>
${typologySection(published, lang, true)}`;
  return body;
}

/** The attributes of the dashboard's <main> that dashboard.js reads (its survey and snapshot). */
export function dashboardMain(published: PublishedResults): {
  className: string;
  data: Record<string, string>;
} {
  return {
    className: 'dashboard',
    data: {
      instrument: published.results.instrument,
      ...(published.snapshot ? { snapshot: published.snapshot.id } : {}),
      // synthetic results are never published: the page offers no publish button
      ...(published.results.synthetic ? { synthetic: 'true' } : {}),
    },
  };
}
