import type { FastifyInstance } from 'fastify';
import { PERSON_FIELDS, STRATUM_FIELDS } from '../../campaign/population-import.js';
import { escapeHtml } from '../../report/html.js';
import type { Store } from '../../store/open-store.js';
import { listInstruments } from '../../store/repositories/instruments.js';
import { countResponsesByVersion } from '../../store/repositories/responses.js';
import { chosenSurvey, langOf, localTime, studioPage } from './layout.js';

const Q = {
  fr: {
    title: 'Questionnaires',
    versions: 'Versions enregistrées',
    name: 'Nom',
    version: 'Version',
    created: 'Enregistrée le',
    responses: 'Réponses',
    live: 'En service',
    upload: 'Importer un questionnaire',
    hint: 'XLSForm (.xlsx), LimeSurvey (.lss) ou SurveyJS (.json). Le rapport d’import s’affiche avant tout enregistrement.',
    file: 'Fichier',
    nameField: 'Nom du questionnaire (facultatif : le nom du fichier)',
    check: 'Vérifier',
    preview: 'Aperçu',
  },
  en: {
    title: 'Questionnaires',
    versions: 'Stored versions',
    name: 'Name',
    version: 'Version',
    created: 'Stored on',
    responses: 'Responses',
    live: 'Live',
    upload: 'Import a questionnaire',
    hint: 'XLSForm (.xlsx), LimeSurvey (.lss) or SurveyJS (.json). The import report is shown before anything is stored.',
    file: 'File',
    nameField: 'Questionnaire name (optional: the file name)',
    check: 'Check',
    preview: 'Preview',
  },
} as const;

const Q_MESSAGES = {
  fr: {
    report: 'Rapport d’import',
    format: 'Format',
    questions: 'questions',
    variables: 'variables',
    wouldStore: 'Serait enregistré comme version',
    same: 'Identique à la version',
    notCarried: 'Non repris',
    all: 'Tout a été repris.',
    store: 'Enregistrer cette version',
    stored: 'Enregistré : version',
    failed: 'Refusé :',
  },
  en: {
    report: 'Import report',
    format: 'Format',
    questions: 'questions',
    variables: 'variables',
    wouldStore: 'Would be stored as version',
    same: 'Same as version',
    notCarried: 'Not carried over',
    all: 'Everything was carried over.',
    store: 'Store this version',
    stored: 'Stored: version',
    failed: 'Refused:',
  },
};

const P = {
  fr: {
    title: 'Population',
    hint: 'CSV (virgule ou point-virgule, UTF-8) ou XLSX. Chaque ligne est vérifiée ; rien n’est enregistré avant votre confirmation.',
    file: 'Fichier',
    instrument: 'Questionnaire',
    check: 'Vérifier',
  },
  en: {
    title: 'Population',
    hint: 'CSV (comma or semicolon, UTF-8) or XLSX. Every row is checked; nothing is stored before you confirm.',
    file: 'File',
    instrument: 'Questionnaire',
    check: 'Check',
  },
} as const;

const P_MESSAGES = {
  fr: {
    mapping: 'Colonnes et champs',
    column: 'Colonne',
    field: 'Champ',
    ignore: '(ignorée)',
    recheck: 'Vérifier avec ces champs',
    store: 'Enregistrer la population',
    rows: 'lignes',
    summary:
      'Ajoutées {added}, mises à jour {updated}, inchangées {unchanged}, effacées à leur demande {skipped}.',
    problems: 'Problèmes (rien n’est enregistré tant qu’il en reste)',
    line: 'Ligne',
    stored: 'Enregistré.',
    failed: 'Refusé :',
  },
  en: {
    mapping: 'Columns and fields',
    column: 'Column',
    field: 'Field',
    ignore: '(ignored)',
    recheck: 'Check with these fields',
    store: 'Store the population',
    rows: 'rows',
    summary: 'Added {added}, updated {updated}, unchanged {unchanged}, erased on request {skipped}.',
    problems: 'Problems (nothing is stored while any remain)',
    line: 'Line',
    stored: 'Stored.',
    failed: 'Refused:',
  },
};

function instrumentOptions(names: string[], selected: string): string {
  return names
    .map(
      (n) => `<option value="${escapeHtml(n)}"${n === selected ? ' selected' : ''}>${escapeHtml(n)}</option>`,
    )
    .join('');
}

/** The questionnaire upload page (`/admin/questionnaires`) and the population upload page. */
export function uploadPages(app: FastifyInstance, deps: { store: Store }): void {
  const { db } = deps.store;

  app.get('/admin/questionnaires', { config: { roles: ['admin'] } }, async (req, reply) => {
    const lang = langOf(req.query);
    const t = Q[lang];
    const all = await listInstruments(db);
    const counts = await countResponsesByVersion(db);
    const newest = new Map(all.map((i) => [i.name, i.version]));
    const rows = [...all]
      .reverse()
      .map(
        (i) =>
          `<tr><th scope="row"><a href="/admin/versions?lang=${lang}&amp;instrument=${encodeURIComponent(i.name)}">${escapeHtml(i.name)}</a></th><td>${i.version}${newest.get(i.name) === i.version ? ` <strong>(${t.live})</strong>` : ''}</td><td>${escapeHtml(localTime(i.createdAt, lang))}</td><td>${counts.get(`${i.name}@${i.version}`) ?? 0}</td><td><a href="/admin/versions/${encodeURIComponent(i.name)}/${i.version}/preview?lang=${lang}">${t.preview} <span class="visually-hidden">${escapeHtml(i.name)} v${i.version}</span></a></td></tr>`,
      )
      .join('\n');
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    return studioPage({
      lang,
      active: 'questionnaires',
      title: t.title,
      path: '/admin/questionnaires',
      who: req.session!.user.email,
      role: req.session!.user.role,
      query: req.query,
      scripts: ['/assets/studio-questionnaires.js'],
      messages: Q_MESSAGES[lang],
      body: `<section class="card" aria-labelledby="upload-h"><h2 id="upload-h">${t.upload}</h2><p>${t.hint}</p>
<form id="instrument-upload">
<label for="q-file">${t.file}</label><input id="q-file" name="file" type="file" accept=".xlsx,.lss,.json" required>
<label for="q-name">${t.nameField}</label><input id="q-name" name="name" type="text" pattern="[A-Za-z0-9][A-Za-z0-9_\\-]{0,63}">
<button type="submit">${t.check}</button></form>
<p id="q-message" class="message" role="status" aria-live="polite"></p>
<div id="q-report"></div></section>
<section class="card table-wrap" aria-labelledby="versions-h"><h2 id="versions-h">${t.versions}</h2>
<table><thead><tr><th scope="col">${t.name}</th><th scope="col">${t.version}</th><th scope="col">${t.created}</th><th scope="col">${t.responses}</th><th scope="col">${t.preview}</th></tr></thead><tbody>${rows}</tbody></table></section>`,
    });
  });

  app.get('/admin/population', { config: { roles: ['admin'] } }, async (req, reply) => {
    const lang = langOf(req.query);
    const t = P[lang];
    const names = [...new Set((await listInstruments(db)).map((i) => i.name))];
    const asked = (req.query as { instrument?: unknown }).instrument;
    const instrument = chosenSurvey(names, asked);
    const fields = [...PERSON_FIELDS, ...STRATUM_FIELDS];
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    return studioPage({
      lang,
      active: 'population',
      title: t.title,
      path: '/admin/population',
      who: req.session!.user.email,
      role: req.session!.user.role,
      query: req.query,
      scripts: ['/assets/studio-population.js'],
      messages: { ...P_MESSAGES[lang], fields: fields.join(',') },
      body: `<section class="card" aria-labelledby="pop-h"><h2 id="pop-h">${t.title}</h2><p>${t.hint}</p>
<form id="population-upload">
<label for="p-file">${t.file}</label><input id="p-file" name="file" type="file" accept=".csv,.xlsx" required>
<label for="p-instrument">${t.instrument}</label><select id="p-instrument" name="instrument">${instrumentOptions(names, instrument)}</select>
<button type="submit">${t.check}</button></form>
<p id="p-message" class="message" role="status" aria-live="polite"></p>
<div id="p-report"></div></section>`,
    });
  });
}
