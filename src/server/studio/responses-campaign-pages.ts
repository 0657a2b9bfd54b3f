import type { FastifyInstance } from 'fastify';
import { campaignStatus } from '../../campaign/campaign-status.js';
import { stratumLabels } from '../../campaign/stratum-labels.js';
import { escapeHtml } from '../../report/html.js';
import type { Store } from '../../store/open-store.js';
import { campaignSurveyNames } from '../../store/repositories/campaign-settings.js';
import { listInstruments } from '../../store/repositories/instruments.js';
import { listResponses } from '../../store/repositories/responses.js';
import { recordAudit } from '../../store/repositories/users.js';
import { chosenSurvey, type Lang, langOf, localTime, studioPage, surveyChoice } from './layout.js';

const DATA_ROLES = ['admin', 'analyst'] as const;

export const C = {
  fr: {
    title: 'Suivi de la campagne',
    state: (instrument: string, anonymous: boolean, closed: string | null, rate: string, at: string) =>
      `Questionnaire ${instrument}${anonymous ? ' (mode anonyme)' : ''}${closed ? `, clos le ${closed}` : ''} ; taux de réponse ${rate} des personnes invitées ; au ${at}.`,
    progress: 'Progression',
    step: 'Étape',
    people: 'Personnes',
    share: 'Part de la population',
    steps: {
      population: 'Population',
      invited: 'Invitées',
      opened: 'Ont ouvert leur lien',
      started: 'Ont commencé',
      completed: 'Ont terminé',
    },
    others: (o: number, u: number, e: number) => `Désinscrites ${o} ; adresse invalide ${u} ; effacées ${e}.`,
    rounds: 'Messages par envoi',
    round: 'Envoi',
    finished: 'Terminé',
    byState: 'Messages par état',
    yes: 'oui',
    no: 'non',
    invitation: 'Invitations',
    reminder: (k: string) => `Relance ${k}`,
    thanks: (on: boolean) => `Remerciements après réponse (${on ? 'activés' : 'désactivés'})`,
    notRound: 'sans objet',
    states: {
      owed: 'en attente',
      sending: 'en cours',
      sent: 'envoyés',
      retry: 'à réessayer',
      failed: 'refusés',
      uncertain: 'incertains',
    },
    strata: 'Par strate',
    noStrata: 'Aucune strate n’a été importée avec la population.',
    value: 'Valeur',
    invited: 'Invitées',
    opened: 'Ont ouvert',
    started: 'Ont commencé',
    completed: 'Ont terminé',
    rate: 'Terminé / invitées',
    noValue: 'Sans valeur',
    days: 'Par jour (UTC)',
    day: 'Jour',
  },
  en: {
    title: 'Campaign progress',
    state: (instrument: string, anonymous: boolean, closed: string | null, rate: string, at: string) =>
      `Questionnaire ${instrument}${anonymous ? ' (anonymous mode)' : ''}${closed ? `, closed on ${closed}` : ''}; response rate ${rate} of those invited; as of ${at}.`,
    progress: 'Progress',
    step: 'Step',
    people: 'People',
    share: 'Share of the population',
    steps: {
      population: 'Population',
      invited: 'Invited',
      opened: 'Opened their link',
      started: 'Started',
      completed: 'Completed',
    },
    others: (o: number, u: number, e: number) => `Opted out ${o}; undeliverable ${u}; erased ${e}.`,
    rounds: 'Messages by round',
    round: 'Round',
    finished: 'Finished',
    byState: 'Messages by state',
    yes: 'yes',
    no: 'no',
    invitation: 'Invitations',
    reminder: (k: string) => `Reminder ${k}`,
    thanks: (on: boolean) => `Thank-yous after completion (${on ? 'on' : 'off'})`,
    notRound: 'not a round',
    states: {
      owed: 'waiting',
      sending: 'sending',
      sent: 'sent',
      retry: 'to retry',
      failed: 'refused',
      uncertain: 'uncertain',
    },
    strata: 'By stratum',
    noStrata: 'No strata were imported with the population.',
    value: 'Value',
    invited: 'Invited',
    opened: 'Opened',
    started: 'Started',
    completed: 'Completed',
    rate: 'Completed / invited',
    noValue: 'No value',
    days: 'Per day (UTC)',
    day: 'Day',
  },
} as const;

export const R = {
  fr: {
    title: 'Réponses',
    search: 'Rechercher (identifiant ou texte d’une réponse)',
    instrument: 'Questionnaire',
    all: 'Tous',
    go: 'Rechercher',
    id: 'Identifiant',
    completed: 'Terminée le',
    version: 'Version',
    kind: 'Nature',
    synthetic: 'synthétique',
    real: 'réelle',
    found: (n: number) => `${n} réponse(s).`,
    previous: 'Page précédente',
    next: 'Page suivante',
    pageOf: (p: number, of: number) => `Page ${p} sur ${of}`,
  },
  en: {
    title: 'Responses',
    search: 'Search (id or the text of an answer)',
    instrument: 'Questionnaire',
    all: 'All',
    go: 'Search',
    id: 'Id',
    completed: 'Completed on',
    version: 'Version',
    kind: 'Kind',
    synthetic: 'synthetic',
    real: 'real',
    found: (n: number) => `${n} response(s).`,
    previous: 'Previous page',
    next: 'Next page',
    pageOf: (p: number, of: number) => `Page ${p} of ${of}`,
  },
} as const;

const pct = (a: number, b: number, lang: Lang) =>
  b > 0
    ? `${((100 * a) / b).toLocaleString(lang, { maximumFractionDigits: 1, minimumFractionDigits: 1 })} %`
    : '–';
const th = (s: string) => `<th scope="col">${escapeHtml(s)}</th>`;

/** The campaign's progress (`/admin/campaign`): counts only, strata by their labels, dates in the team's zone. */
export function campaignProgressPage(app: FastifyInstance, deps: { store: Store }): void {
  const { db } = deps.store;
  app.get<{ Querystring: { lang?: string; instrument?: string } }>(
    '/admin/campaign',
    { config: { roles: DATA_ROLES } },
    async (req, reply) => {
      const lang = langOf(req.query);
      const t = C[lang];
      const names = await campaignSurveyNames(db);
      const asked = req.query.instrument;
      const survey = chosenSurvey(names, asked);
      const s = await campaignStatus(db, survey);
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'campaign.status',
        target: s.instrument,
      });
      const labels = await stratumLabels(db, s.instrument, Object.keys(s.byStratum));
      const tot = s.totals;
      const steps = (Object.keys(t.steps) as (keyof typeof t.steps)[])
        .map(
          (k) =>
            `<tr><th scope="row">${t.steps[k]}</th><td>${tot[k]}</td><td><span class="bar-track" aria-hidden="true"><span class="bar-fill" style="width:${tot.population > 0 ? Math.min(100, (100 * tot[k]) / tot.population) : 0}%"></span></span> ${pct(tot[k], tot.population, lang)}</td></tr>`,
        )
        .join('');
      const roundName = (id: string) =>
        id === 'invitation' ? t.invitation : id.replace(/^reminder-(\d+)$/, (_m, k: string) => t.reminder(k));
      // in the labels' order (owed, sending, sent, to retry, refused, uncertain), whatever the database's
      const order = Object.keys(t.states);
      const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
      const stateList = (states: Record<string, number>) =>
        Object.entries(states)
          .sort(([a], [b]) => rank(a) - rank(b))
          .map(([k, v]) => `${(t.states as Record<string, string>)[k] ?? k} ${v}`)
          .join(', ');
      const rounds = s.rounds
        .map((r) => {
          const states = stateList(r.states);
          return `<tr><th scope="row">${escapeHtml(roundName(r.round))}</th><td>${r.finished ? t.yes : t.no}</td><td>${escapeHtml(states || '–')}</td></tr>`;
        })
        .join('');
      const thanks = `<tr id="thanks-row"><th scope="row">${escapeHtml(t.thanks(s.thanks.enabled))}</th><td>${t.notRound}</td><td>${escapeHtml(stateList({ owed: s.thanks.owed, ...s.thanks.states }))}</td></tr>`;
      const strata = Object.entries(s.byStratum)
        .map(([field, values]) => {
          const body = values
            .map(
              (v) =>
                `<tr><th scope="row">${escapeHtml(labels.values[field]?.[v.value]?.[lang] ?? (v.value === '(none)' ? t.noValue : v.value))}</th><td>${v.population}</td><td>${v.invited}</td><td>${v.opened}</td><td>${v.started}</td><td>${v.completed}</td><td>${pct(v.completed, v.invited, lang)}</td></tr>`,
            )
            .join('');
          return `<table class="stratum"><caption>${escapeHtml(labels.fields[field]?.[lang] ?? field)}</caption><thead><tr>${[t.value, t.steps.population, t.invited, t.opened, t.started, t.completed, t.rate].map(th).join('')}</tr></thead><tbody>${body}</tbody></table>`;
        })
        .join('\n');
      const day = (ymd: string) =>
        new Date(`${ymd}T00:00:00Z`).toLocaleDateString(lang === 'fr' ? 'fr-FR' : 'en-GB', {
          dateStyle: 'medium',
          timeZone: 'UTC',
        });
      const days = s.overTime
        .map(
          (d) =>
            `<tr><th scope="row">${escapeHtml(day(d.date))}</th><td>${d.invited}</td><td>${d.opened}</td><td>${d.started}</td><td>${d.completed}</td></tr>`,
        )
        .join('');
      const rate = tot.responseRate === null ? '–' : pct(tot.responseRate, 1, lang);
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      return studioPage({
        lang,
        active: 'campaign',
        title: t.title,
        path: '/admin/campaign',
        who: req.session!.user.email,
        query: req.query,
        role: req.session!.user.role,
        styles: ['/assets/campaign.css'],
        body: `${surveyChoice('/admin/campaign', lang, names, survey)}
<p id="campaign-state">${escapeHtml(t.state(s.instrument, s.anonymous, s.closedAt ? localTime(s.closedAt, lang) : null, rate, localTime(s.generatedAt, lang)))}</p>
<section class="card table-wrap" aria-labelledby="totals-h"><h2 id="totals-h">${t.progress}</h2>
<table id="totals" class="funnel"><thead><tr>${[t.step, t.people, t.share].map(th).join('')}</tr></thead><tbody>${steps}</tbody></table>
<p id="others">${escapeHtml(t.others(tot.optedOut, tot.undeliverable, tot.erased))}</p></section>
<section class="card table-wrap" aria-labelledby="rounds-h"><h2 id="rounds-h">${t.rounds}</h2>
<table id="rounds"><thead><tr>${[t.round, t.finished, t.byState].map(th).join('')}</tr></thead><tbody>${rounds}${thanks}</tbody></table></section>
<section class="card table-wrap" aria-labelledby="strata-h"><h2 id="strata-h">${t.strata}</h2><div id="strata">${strata || `<p>${t.noStrata}</p>`}</div></section>
<section class="card table-wrap" aria-labelledby="days-h"><h2 id="days-h">${t.days}</h2>
<table id="days"><thead><tr>${[t.day, t.invited, t.opened, t.started, t.completed].map(th).join('')}</tr></thead><tbody>${days || '<tr><th scope="row">–</th><td>0</td><td>0</td><td>0</td><td>0</td></tr>'}</tbody></table></section>`,
      });
    },
  );
}

const PAGE_SIZE = 50;

/**
 * The responses (`/admin/responses`, admin and analyst, audited as `responses.list`): newest
 * first, searched by id or by the text of an answer, filtered by questionnaire, 50 a page; each
 * opens on its own page with questions and answers by their labels (`/admin/responses/:id`).
 */
export function responsesPage(app: FastifyInstance, deps: { store: Store }): void {
  const { db } = deps.store;
  app.get<{ Querystring: { lang?: string; q?: string; instrument?: string; page?: string } }>(
    '/admin/responses',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            lang: { type: 'string', enum: ['fr', 'en'] },
            q: { type: 'string', maxLength: 200 },
            instrument: { type: 'string', maxLength: 64 },
            page: { type: 'string', pattern: '^[1-9][0-9]{0,6}$' },
          },
        },
      },
      config: { roles: DATA_ROLES },
    },
    async (req, reply) => {
      const lang = langOf(req.query);
      const t = R[lang];
      const search = req.query.q?.trim() ?? '';
      const instrument = req.query.instrument || undefined;
      const pageNo = Number(req.query.page ?? 1);
      const found = await listResponses(db, {
        page: pageNo,
        pageSize: PAGE_SIZE,
        order: 'newest',
        ...(instrument ? { instrumentName: instrument } : {}),
        ...(search ? { search } : {}),
      });
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'responses.list',
        target: instrument ?? '*',
        detail: JSON.stringify({ page: pageNo, search: search || undefined }),
      });
      const names = [...new Set((await listInstruments(db)).map((i) => i.name))];
      const rows = found.items
        .map(
          (r) =>
            `<tr><th scope="row"><a href="/admin/responses/${encodeURIComponent(r.id)}?lang=${lang}" title="${escapeHtml(r.id)}"><code>${escapeHtml(r.id.slice(0, 8))}</code>…</a></th><td>${escapeHtml(localTime(r.completedAt, lang))}</td><td>${escapeHtml(r.instrumentName)} v${r.instrumentVersion}</td><td>${r.synthetic ? t.synthetic : t.real}</td></tr>`,
        )
        .join('');
      const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
      const link = (p: number, text: string) => {
        const q = new URLSearchParams({ lang, page: String(p) });
        if (search) q.set('q', search);
        if (instrument) q.set('instrument', instrument);
        return `<a href="/admin/responses?${escapeHtml(q.toString())}">${text}</a>`;
      };
      const nav = `<nav aria-label="${t.pageOf(pageNo, pages)}"><p class="links">${pageNo > 1 ? link(pageNo - 1, t.previous) : ''} <span>${t.pageOf(pageNo, pages)}</span> ${pageNo < pages ? link(pageNo + 1, t.next) : ''}</p></nav>`;
      const options = [
        `<option value="">${t.all}</option>`,
        ...names.map(
          (n) =>
            `<option value="${escapeHtml(n)}"${n === instrument ? ' selected' : ''}>${escapeHtml(n)}</option>`,
        ),
      ].join('');
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      return studioPage({
        lang,
        active: 'responses',
        title: t.title,
        path: '/admin/responses',
        who: req.session!.user.email,
        query: req.query,
        role: req.session!.user.role,
        body: `<form class="card filters" method="get" action="/admin/responses" role="search">
<input type="hidden" name="lang" value="${lang}">
<div><label for="r-q">${t.search}</label><input id="r-q" name="q" type="text" value="${escapeHtml(search)}"></div>
<div><label for="r-instrument">${t.instrument}</label><select id="r-instrument" name="instrument">${options}</select></div>
<button type="submit">${t.go}</button></form>
<section class="card table-wrap" aria-labelledby="list-h"><h2 id="list-h">${t.found(found.total)}</h2>
${rows ? `<table id="responses"><thead><tr>${[t.id, t.completed, t.version, t.kind].map(th).join('')}</tr></thead><tbody>${rows}</tbody></table>` : ''}
${nav}</section>`,
      });
    },
  );
}
