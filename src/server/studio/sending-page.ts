import type { FastifyInstance } from 'fastify';
import { readSettings } from '../../campaign/campaign-settings.js';
import { escapeHtml } from '../../report/html.js';
import type { Store } from '../../store/open-store.js';
import { campaignSurveyNames } from '../../store/repositories/campaign-settings.js';
import { listJobs } from '../../store/repositories/jobs.js';
import { chosenSurvey, langOf, localTime, studioPage, surveyChoice } from './layout.js';

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

const MESSAGES = {
  fr: {
    queued: 'En attente d’un serveur…',
    running:
      'Envoi en cours : {done} sur {total} ({sent} envoyés, {failed} refusés, {uncertain} incertains, {left} restants).',
    done: 'Terminé : {sent} envoyés, {failed} refusés, {uncertain} incertains (jamais renvoyés d’office).',
    failed: 'Arrêté : {error}. Rien n’a été envoyé deux fois ; relancez pour continuer.',
    refused: 'Refusé :',
    invitation: 'invitations',
    reminder: 'relance',
  },
  en: {
    queued: 'Waiting for a server…',
    running:
      'Sending: {done} of {total} ({sent} sent, {failed} refused, {uncertain} uncertain, {left} left).',
    done: 'Done: {sent} sent, {failed} refused, {uncertain} uncertain (never resent automatically).',
    failed: 'Stopped: {error}. Nothing was sent twice; start again to continue.',
    refused: 'Refused:',
    invitation: 'invitations',
    reminder: 'reminder',
  },
};

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
    const rows = jobs
      .map(
        (j) =>
          `<tr><td>${escapeHtml(localTime(j.createdAt, lang))}</td><td>${j.kind === 'invitation' ? t.invitations : t.reminders}</td><td>${escapeHtml(j.state)}${j.error ? ` (${escapeHtml(j.error)})` : ''}</td><td>${j.sent} / ${j.total}</td></tr>`,
      )
      .join('\n');
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
      messages: MESSAGES[lang],
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
${rows ? `<table><thead><tr><th scope="col">${t.when}</th><th scope="col">${t.kind}</th><th scope="col">${t.states}</th><th scope="col">${t.counts}</th></tr></thead><tbody>${rows}</tbody></table>` : `<p>${t.none}</p>`}</section>`,
    });
  });
}
