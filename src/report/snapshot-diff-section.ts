import type { Snapshot } from '../results/snapshot.js';
import type { FigureChange, IndicatorDiff, SnapshotDiff } from '../results/snapshot-diff.js';
import { groupLabeller } from './group-labels.js';
import { escapeHtml } from './html.js';
import { formatNumber, formatPercent, type Lang } from './number-format.js';

const TEXT = {
  fr: {
    title: 'Changements depuis la publication',
    none: 'Aucun résultat n’est publié : rien à comparer.',
    same: 'Le tableau de bord montre l’instantané publié : rien n’a changé.',
    published: 'Instantané publié',
    latest: 'dernier instantané',
    responses: 'réponses',
    moved: 'indicateurs ont bougé',
    beyond: 'au-delà de l’intervalle publié',
    unchanged: 'Aucun indicateur n’a bougé.',
    indicator: 'Indicateur',
    figure: 'Chiffre',
    before: 'Publié',
    after: 'Dernier',
    change: 'Écart',
    outside: 'Hors de l’intervalle publié',
    overall: 'ensemble',
    yes: 'oui',
    no: 'non',
    added: 'nouvel indicateur',
    removed: 'indicateur retiré',
    points: 'points',
  },
  en: {
    title: 'Changes since publication',
    none: 'No results are published: nothing to compare.',
    same: 'The dashboard shows the published snapshot: nothing changed.',
    published: 'Published snapshot',
    latest: 'latest snapshot',
    responses: 'responses',
    moved: 'indicators moved',
    beyond: 'beyond the published interval',
    unchanged: 'No indicator moved.',
    indicator: 'Indicator',
    figure: 'Figure',
    before: 'Published',
    after: 'Latest',
    change: 'Change',
    outside: 'Outside the published interval',
    overall: 'overall',
    yes: 'yes',
    no: 'no',
    added: 'new indicator',
    removed: 'indicator removed',
    points: 'points',
  },
} as const;

function figure(d: IndicatorDiff, v: number | null, lang: Lang): string {
  if (v === null) return '—';
  if (d.kind === 'distinctNames') return formatNumber(v, lang);
  if (d.kind === 'mean') return formatNumber(v, lang, 2);
  return formatPercent(v, lang, 1);
}

function change(d: IndicatorDiff, c: FigureChange, lang: Lang): string {
  if (c.change === null) return '—';
  const sign = c.change > 0 ? '+' : c.change < 0 ? '−' : '';
  const abs = Math.abs(c.change);
  if (d.kind === 'distinctNames') return `${sign}${formatNumber(abs, lang)}`;
  if (d.kind === 'mean') return `${sign}${formatNumber(abs, lang, 2)}`;
  return `${sign}${formatNumber(abs * 100, lang, 1)} ${TEXT[lang].points}`;
}

/**
 * The dashboard's section "changes since publication": which indicators moved between the
 * published snapshot and the latest one, by how much, and whether beyond the published interval
 * (the indicator's own figure, and any group or level that went beyond it). Renders a diff made
 * by src/results/snapshot-diff.ts; computes nothing.
 */
export function snapshotDiffSection(diff: SnapshotDiff | null, latest: Snapshot, lang: Lang): string {
  const t = TEXT[lang];
  const head = `<section id="changes" aria-labelledby="changes-h"><h2 id="changes-h">${escapeHtml(t.title)}</h2>`;
  if (!diff) return `${head}<p>${escapeHtml(t.none)}</p></section>`;
  if (diff.from === diff.to)
    return `${head}<p>${escapeHtml(t.same)} <code>${escapeHtml(diff.from)}</code></p></section>`;
  const label = groupLabeller(latest.plan, latest.codebook, lang);
  const byOf = new Map(latest.results.indicators.map((i) => [i.id, i.by]));
  const summary = `<p>${escapeHtml(t.published)} <code>${escapeHtml(diff.from)}</code> (${escapeHtml(formatNumber(diff.n.before, lang))} ${escapeHtml(t.responses)}) → ${escapeHtml(t.latest)} <code>${escapeHtml(diff.to)}</code> (${escapeHtml(formatNumber(diff.n.after, lang))} ${escapeHtml(t.responses)})${lang === 'fr' ? ' :' : ':'} ${escapeHtml(formatNumber(diff.moved, lang))} ${escapeHtml(t.moved)}, ${escapeHtml(formatNumber(diff.beyondInterval, lang))} ${escapeHtml(t.beyond)}.</p>`;
  const rows = diff.indicators
    .filter((d) => d.state !== 'unchanged')
    .flatMap((d) => {
      if (d.state !== 'moved')
        return [
          `<tr><th scope="row"><code>${escapeHtml(d.id)}</code> ${escapeHtml(d.label[lang])}</th><td colspan="5">${escapeHtml(d.state === 'added' ? t.added : t.removed)}</td></tr>`,
        ];
      return d.changes
        .filter((c) => c.cell === '' || c.beyondInterval === true)
        .map((c) => {
          const where = [c.group !== undefined ? label(byOf.get(d.id) ?? '', c.group) : '', c.level ?? '']
            .filter(Boolean)
            .join(' · ');
          return `<tr data-changed="${escapeHtml(d.id)}"><th scope="row"><code>${escapeHtml(d.id)}</code> ${escapeHtml(d.label[lang])}</th><td>${escapeHtml(where || t.overall)}</td><td>${escapeHtml(figure(d, c.before, lang))}</td><td>${escapeHtml(figure(d, c.after, lang))}</td><td>${escapeHtml(change(d, c, lang))}</td><td>${escapeHtml(c.beyondInterval === null ? '—' : c.beyondInterval ? t.yes : t.no)}</td></tr>`;
        });
    });
  const table =
    rows.length === 0
      ? `<p>${escapeHtml(t.unchanged)}</p>`
      : `<table id="changes-table"><thead><tr><th scope="col">${escapeHtml(t.indicator)}</th><th scope="col">${escapeHtml(t.figure)}</th><th scope="col">${escapeHtml(t.before)}</th><th scope="col">${escapeHtml(t.after)}</th><th scope="col">${escapeHtml(t.change)}</th><th scope="col">${escapeHtml(t.outside)}</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
  return `${head}${summary}${table}</section>`;
}
