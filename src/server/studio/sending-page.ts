import type { FastifyInstance } from 'fastify';
import { readSettings } from '../../campaign/campaign-settings.js';
import { escapeHtml } from '../../report/html.js';
import type { Store } from '../../store/open-store.js';
import { campaignSurveyNames } from '../../store/repositories/campaign-settings.js';
import { type Job, listJobs } from '../../store/repositories/jobs.js';
import {
  chosenSurvey,
  type Lang,
  langOf,
  localTime,
  studioPage,
  surveyChoice,
  teamTimeZone,
} from './layout.js';

const S = {
  fr: {
    title: 'Envois',
    state: 'État de la campagne',
    open: 'La campagne est ouverte.',
    closed: 'La campagne est close depuis le',
    close: 'Clore la campagne',
    reopen: 'Rouvrir la campagne',
    send: 'Envoyer',
    invitations: 'Les invitations',
    reminders: 'Une relance',
    kind: 'Quoi',
    rate: 'Messages par minute (facultatif)',
    start: 'Lancer l’envoi',
    progress: 'Progression',
    latest: 'Derniers envois',
    when: 'Créé le',
    states: 'État',
    counts: 'Envoyés / total',
    none: 'Aucun envoi pour l’instant.',
  },
  en: {
    title: 'Sending',
    state: 'Campaign state',
    open: 'The campaign is open.',
    closed: 'The campaign has been closed since',
    close: 'Close the campaign',
    reopen: 'Reopen the campaign',
    send: 'Send',
    invitations: 'The invitations',
    reminders: 'A reminder',
    kind: 'What',
    rate: 'Messages a minute (optional)',
    start: 'Start sending',
    progress: 'Progress',
    latest: 'Latest sending jobs',
    when: 'Created on',
    states: 'State',
    counts: 'Sent / total',
    none: 'Nothing sent yet.',
  },
} as const;

/** What a job's kind, state and error code read as, in the list and the live status. */
const JOB_LABELS = {
  fr: {
    'kind.invitation': 'Les invitations',
    'kind.reminder': 'Une relance',
    'state.queued': 'en attente',
    'state.running': 'en cours',
    'state.done': 'terminé',
    'state.failed': 'arrêté',
    'error.CAIRNET_MAIL_UNREACHABLE': 'le serveur de messagerie est injoignable ou a refusé un message',
    'error.CAIRNET_MAIL_CONFIG_INVALID': 'la messagerie n’est pas configurée',
    'error.CAIRNET_JOB_INTERRUPTED': 'l’envoi a été interrompu avant la fin',
    'error.CAIRNET_CAMPAIGN_CLOSED': 'la campagne est close',
    'error.CAIRNET_JOB_ACTIVE': 'un envoi du même type est déjà en attente ou en cours',
    'error.CAIRNET_INSTRUMENT_NOT_FOUND': 'ce questionnaire n’existe pas',
    'error.other': 'erreur inattendue ({code})',
  },
  en: {
    'kind.invitation': 'The invitations',
    'kind.reminder': 'A reminder',
    'state.queued': 'waiting',
    'state.running': 'running',
    'state.done': 'done',
    'state.failed': 'stopped',
    'error.CAIRNET_MAIL_UNREACHABLE': 'the mail server cannot be reached or refused a message',
    'error.CAIRNET_MAIL_CONFIG_INVALID': 'mail is not configured',
    'error.CAIRNET_JOB_INTERRUPTED': 'the sending was stopped before its end',
    'error.CAIRNET_CAMPAIGN_CLOSED': 'the campaign is closed',
    'error.CAIRNET_JOB_ACTIVE': 'a job of the same kind is already waiting or running',
    'error.CAIRNET_INSTRUMENT_NOT_FOUND': 'this questionnaire does not exist',
    'error.other': 'unexpected error ({code})',
  },
} as const;

const MESSAGES = {
  fr: {
    ...JOB_LABELS.fr,
    queued: 'En attente d’un serveur…',
    running:
      'Envoi en cours : {done} sur {total} ({sent} envoyés, {failed} refusés, {uncertain} incertains, {left} restants).',
    done: 'Terminé : {sent} envoyés, {failed} refusés, {uncertain} incertains (jamais renvoyés d’office).',
    failed: 'Arrêté : {error}. Rien n’a été envoyé deux fois ; relancez pour continuer.',
    refused: 'Refusé :',
  },
  en: {
    ...JOB_LABELS.en,
    queued: 'Waiting for a server…',
    running:
      'Sending: {done} of {total} ({sent} sent, {failed} refused, {uncertain} uncertain, {left} left).',
    done: 'Done: {sent} sent, {failed} refused, {uncertain} uncertain (never resent automatically).',
    failed: 'Stopped: {error}. Nothing was sent twice; start again to continue.',
    refused: 'Refused:',
  },
};

/** A job's error by its label (the code only when no label names it). */
export function jobErrorLabel(code: string, lang: Lang): string {
  const labels: Record<string, string> = JOB_LABELS[lang];
  return labels[`error.${code}`] ?? labels['error.other']!.replace('{code}', code);
}

/** A row of the latest jobs (the page's script adds and updates rows the same way). */
function jobRow(j: Job, lang: Lang): string {
  const l = JOB_LABELS[lang];
  const state = `${l[`state.${j.state}`]}${j.errorCode ? ` (${jobErrorLabel(j.errorCode, lang)})` : ''}`;
  return `<tr data-job="${escapeHtml(j.id)}"><td>${escapeHtml(localTime(j.createdAt, lang))}</td><td>${l[`kind.${j.kind}`]}</td><td>${escapeHtml(state)}</td><td>${j.sent} / ${j.total}</td></tr>`;
}

/** The sending page (`/admin/sending`): start a round as a job and follow it live; close or reopen. */
export function sendingPage(app: FastifyInstance, deps: { store: Store }): void {
  const { db } = deps.store;
  app.get('/admin/sending', { config: { roles: ['admin'] } }, async (req, reply) => {
    const lang = langOf(req.query);
    const t = S[lang];
    const names = await campaignSurveyNames(db);
    const asked = (req.query as { instrument?: unknown }).instrument;
    const survey = chosenSurvey(names, asked);
    const settings = await readSettings(db, survey);
    const closed = settings.closedAt !== null && Date.parse(settings.closedAt) <= Date.now();
    const jobs = (await listJobs(db, 50)).filter((j) => j.instrument === survey).slice(0, 10);
    const active = jobs.find((j) => j.state === 'queued' || j.state === 'running');
    const rows = jobs.map((j) => jobRow(j, lang)).join('\n');
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    return studioPage({
      lang,
      active: 'sending',
      title: t.title,
      path: '/admin/sending',
      who: req.session!.user.email,
      role: req.session!.user.role,
      query: req.query,
      scripts: ['/assets/studio-sending.js'],
      messages: { ...MESSAGES[lang], timeZone: teamTimeZone() },
      body: `${surveyChoice('/admin/sending', lang, names, survey)}
<section class="card" aria-labelledby="state-h"><h2 id="state-h">${t.state}</h2>
<p id="campaign-open">${closed ? `${t.closed} ${escapeHtml(localTime(settings.closedAt, lang))}.` : t.open}</p>
<button type="button" id="${closed ? 'reopen' : 'close'}">${closed ? t.reopen : t.close}</button></section>
<section class="card" aria-labelledby="send-h"><h2 id="send-h">${t.send}</h2>
<form id="send-form" data-instrument="${escapeHtml(settings.instrument)}"${active ? ` data-job="${escapeHtml(active.id)}"` : ''}>
<fieldset class="choices"><legend>${t.kind}</legend>
<label><input type="radio" name="kind" value="invitations" checked> ${t.invitations}</label>
<label><input type="radio" name="kind" value="reminders"> ${t.reminders}</label></fieldset>
<label for="rate">${t.rate}</label><input id="rate" name="rate" type="number" min="1" max="100000" value="${settings.ratePerMinute}">
<button type="submit"${closed ? ' disabled' : ''}>${t.start}</button></form></section>
<section class="card" aria-labelledby="progress-h"><h2 id="progress-h">${t.progress}</h2>
<progress id="job-progress" max="1" value="0" aria-labelledby="progress-h"></progress>
<p id="job-status" class="message" role="status" aria-live="polite"></p></section>
<section class="card table-wrap" aria-labelledby="latest-h"><h2 id="latest-h">${t.latest}</h2>
<table id="jobs"${rows ? '' : ' hidden'}><thead><tr><th scope="col">${t.when}</th><th scope="col">${t.kind}</th><th scope="col">${t.states}</th><th scope="col">${t.counts}</th></tr></thead><tbody>${rows}</tbody></table>
<p id="jobs-none"${rows ? ' hidden' : ''}>${t.none}</p></section>`,
    });
  });
}
