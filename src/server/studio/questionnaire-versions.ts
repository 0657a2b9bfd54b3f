import type { FastifyInstance } from 'fastify';
import { cairnetError } from '../../errors.js';
import {
  type ChoiceChanges,
  diffInstrumentVersions,
  isEmptyDiff,
  type VersionDiff,
} from '../../instrument/diff-versions.js';
import { exportXlsform } from '../../instrument/exporters/export-xlsform.js';
import { instrumentLanguages, SURVEY_CORE_I18N } from '../../instrument/instrument-languages.js';
import { quotasOf } from '../../instrument/quotas.js';
import type { InstrumentJson } from '../../instrument/types.js';
import { escapeHtml } from '../../report/html.js';
import type { Store } from '../../store/open-store.js';
import { listInstruments, type StoredInstrument } from '../../store/repositories/instruments.js';
import { countResponsesByVersion } from '../../store/repositories/responses.js';
import { recordAudit } from '../../store/repositories/users.js';
import { type Lang, langOf, localTime, studioPage } from './layout.js';
import { syntheticCard, syntheticMessages } from './synthetic-demo-card.js';

const TEAM = ['admin', 'analyst', 'press', 'reviewer'] as const;

export const T = {
  fr: {
    title: 'Versions des questionnaires',
    survey: 'Questionnaire',
    show: 'Afficher',
    version: 'Version',
    live: 'en service',
    stored: 'enregistrée le',
    responses: 'réponses',
    preview: 'Aperçu en tant que répondant',
    download: 'Télécharger en XLSForm',
    quotaSheet: (n: number | string) =>
      `XLSForm n’a pas de quotas : ${n === 1 ? 'le quota de cette version est écrit' : `les ${n} quotas de cette version sont écrits`} dans la feuille « cairnet_quotas » du classeur, que l’import de Cairnet relit et que les autres outils XLSForm ignorent.`,
    changes: 'Changements depuis la version',
    first: 'Première version.',
    same: 'Aucun changement de questions, de formulations ou de modalités.',
    added: 'Questions ajoutées',
    removed: 'Questions retirées',
    changed: 'Questions modifiées',
    type: 'type',
    wording: 'formulation',
    choiceAdded: 'modalités ajoutées',
    choiceRemoved: 'modalités retirées',
    choiceReworded: 'modalités reformulées',
    none: 'Aucun questionnaire n’est enregistré.',
    previewTitle: 'Aperçu',
    previewBanner:
      'Aperçu : le questionnaire tel que les répondants le voient. Rien de ce que vous saisissez n’est enregistré ni envoyé.',
    previewDone: 'Aperçu : la réponse n’est pas envoyée.',
    back: 'Retour aux versions',
    langs: 'Langue du questionnaire',
    noscript: 'L’aperçu demande JavaScript.',
  },
  en: {
    title: 'Questionnaire versions',
    survey: 'Questionnaire',
    show: 'Show',
    version: 'Version',
    live: 'live',
    stored: 'stored on',
    responses: 'responses',
    preview: 'Preview as a respondent',
    download: 'Download as XLSForm',
    quotaSheet: (n: number | string) =>
      `XLSForm has no quotas: ${n === 1 ? 'the quota of this version is' : `the ${n} quotas of this version are`} written to the workbook’s “cairnet_quotas” sheet, which Cairnet’s import reads back and other XLSForm tools skip.`,
    changes: 'Changes since version',
    first: 'First version.',
    same: 'No change of questions, wording or choices.',
    added: 'Questions added',
    removed: 'Questions removed',
    changed: 'Questions changed',
    type: 'type',
    wording: 'wording',
    choiceAdded: 'choices added',
    choiceRemoved: 'choices removed',
    choiceReworded: 'choices reworded',
    none: 'No questionnaire is stored.',
    previewTitle: 'Preview',
    previewBanner: 'Preview: the questionnaire as respondents see it. Nothing you enter is stored or sent.',
    previewDone: 'Preview: the response is not sent.',
    back: 'Back to the versions',
    langs: 'Questionnaire language',
    noscript: 'The preview needs JavaScript.',
  },
} as const;

type Texts = (typeof T)[Lang];

/** A language's name in the page's language (`français`, `German`), or its code. */
function languageName(code: string, lang: string, capital = false): string {
  try {
    const name = new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
    return capital ? name.charAt(0).toLocaleUpperCase(lang) + name.slice(1) : name;
  } catch {
    return code;
  }
}

/** A text of one language, marked with its language (`lang`) for screen readers. */
function inLang(text: string, code: string): string {
  return `<span lang="${escapeHtml(code)}">${escapeHtml(text)}</span>`;
}

function titleOf(title: Record<string, string>, lang: Lang): string {
  const code = title[lang] !== undefined ? lang : Object.keys(title)[0];
  return code ? inLang(title[code]!, code) : '';
}

function choicesHtml(c: ChoiceChanges, t: Texts, lang: Lang, colon: string): string {
  const items: string[] = [];
  const list = (xs: { value: string; text: Record<string, string> }[]) =>
    xs.map((x) => `<code>${escapeHtml(x.value)}</code> ${titleOf(x.text, lang)}`).join(', ');
  if (c.added.length) items.push(`<li>${t.choiceAdded}${colon} ${list(c.added)}</li>`);
  if (c.removed.length) items.push(`<li>${t.choiceRemoved}${colon} ${list(c.removed)}</li>`);
  for (const r of c.reworded)
    for (const w of r.changes)
      items.push(
        `<li>${t.choiceReworded} <code>${escapeHtml(r.value)}</code> (${escapeHtml(languageName(w.lang, lang))})${colon} <del>${inLang(w.before, w.lang)}</del> → <ins>${inLang(w.after, w.lang)}</ins></li>`,
      );
  return items.join('');
}

/** A diff as HTML: questions by name, texts in their own language. */
export function diffHtml(d: VersionDiff, lang: Lang): string {
  const t = T[lang];
  const colon = lang === 'fr' ? '\u00a0:' : ':';
  if (isEmptyDiff(d)) return `<p>${t.same}</p>`;
  const parts: string[] = [];
  const entries = (qs: VersionDiff['added']) =>
    qs.map((q) => `<li><code>${escapeHtml(q.name)}</code> ${titleOf(q.title, lang)}</li>`).join('');
  if (d.added.length) parts.push(`<h4>${t.added} (${d.added.length})</h4><ul>${entries(d.added)}</ul>`);
  if (d.removed.length)
    parts.push(`<h4>${t.removed} (${d.removed.length})</h4><ul>${entries(d.removed)}</ul>`);
  if (d.changed.length) {
    const items = d.changed.map((c) => {
      const sub: string[] = [];
      if (c.type)
        sub.push(
          `<li>${t.type}${colon} <code>${escapeHtml(c.type.before)}</code> → <code>${escapeHtml(c.type.after)}</code></li>`,
        );
      for (const w of c.wording)
        sub.push(
          `<li>${t.wording} (${escapeHtml(languageName(w.lang, lang))})${colon} <del>${inLang(w.before, w.lang)}</del> → <ins>${inLang(w.after, w.lang)}</ins></li>`,
        );
      if (c.choices) sub.push(choicesHtml(c.choices, t, lang, colon));
      return `<li><code>${escapeHtml(c.name)}</code><ul>${sub.join('')}</ul></li>`;
    });
    parts.push(`<h4>${t.changed} (${d.changed.length})</h4><ul>${items.join('')}</ul>`);
  }
  return parts.join('\n');
}

async function findVersion(store: Store, name: string, version: string): Promise<StoredInstrument> {
  const v = Number(version);
  const found = Number.isInteger(v)
    ? (await listInstruments(store.db)).find((i) => i.name === name && i.version === v)
    : undefined;
  if (!found) throw cairnetError('CAIRNET_NOT_FOUND', `No version ${version} of a questionnaire "${name}"`);
  return found;
}

const versionParams = {
  type: 'object',
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' },
    version: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' },
  },
  required: ['name', 'version'],
} as const;

/**
 * The versions of each questionnaire with what changed from one to the next (`/admin/versions`),
 * a version previewed as respondents see it, in each of its languages (nothing stored: the
 * preview has no submission), and a version downloaded as XLSForm. Every team role.
 */
export function versionPages(app: FastifyInstance, deps: { store: Store }): void {
  const { store } = deps;

  app.get<{ Querystring: { lang?: string; instrument?: string } }>(
    '/admin/versions',
    { config: { roles: TEAM } },
    async (req, reply) => {
      const lang = langOf(req.query);
      const t = T[lang];
      const all = await listInstruments(store.db);
      const names = [...new Set(all.map((i) => i.name))];
      const asked = req.query.instrument;
      if (asked !== undefined && !names.includes(asked))
        throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${asked}"`);
      const name = asked ?? (names.includes('cairnet') ? 'cairnet' : names[0]);
      const versions = all.filter((i) => i.name === name);
      const counts = await countResponsesByVersion(store.db);
      const live = versions.at(-1)?.version;
      const cards = versions
        .map((v, i) => {
          const langs = instrumentLanguages(v.json as InstrumentJson);
          const base = `/admin/versions/${encodeURIComponent(v.name)}/${v.version}`;
          const previews = langs
            .map(
              (l) =>
                `<li><a href="${base}/preview?lang=${lang}&amp;form=${encodeURIComponent(l)}">${t.preview} (${escapeHtml(languageName(l, lang))})</a></li>`,
            )
            .join('');
          const quotas = quotasOf(v.json as InstrumentJson).length;
          const quotaNote = quotas > 0 ? `<p>${escapeHtml(t.quotaSheet(quotas))}</p>\n` : '';
          const before = versions[i - 1];
          const diff = before
            ? `<h3>${t.changes} ${before.version}</h3>${diffHtml(diffInstrumentVersions(before.json as InstrumentJson, v.json as InstrumentJson), lang)}`
            : `<p>${t.first}</p>`;
          return `<section class="card version" aria-labelledby="v${v.version}-h">
<h2 id="v${v.version}-h">${t.version} ${v.version}${v.version === live ? ` <span class="badge">${t.live}</span>` : ''}</h2>
<p>${t.stored} ${escapeHtml(localTime(v.createdAt, lang))} · ${counts.get(`${v.name}@${v.version}`) ?? 0} ${t.responses}</p>
<ul class="links">${previews}<li><a href="/api/admin/instruments/${encodeURIComponent(v.name)}/${v.version}/xlsform" download>${t.download}</a></li></ul>
${quotaNote}${diff}</section>`;
        })
        .reverse()
        .join('\n');
      const options = names
        .map(
          (n) => `<option value="${escapeHtml(n)}"${n === name ? ' selected' : ''}>${escapeHtml(n)}</option>`,
        )
        .join('');
      const synthetic = name ? await syntheticCard(store, name, req.session!.user.role, lang) : '';
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      return studioPage({
        lang,
        active: 'versions',
        title: t.title,
        path: '/admin/versions',
        who: req.session!.user.email,
        query: req.query,
        role: req.session!.user.role,
        scripts: ['/assets/studio-versions.js'],
        messages: syntheticMessages(lang),
        body: names.length
          ? `<form class="card filters" method="get" action="/admin/versions">
<input type="hidden" name="lang" value="${lang}">
<div><label for="v-instrument">${t.survey}</label><select id="v-instrument" name="instrument">${options}</select></div>
<button type="submit">${t.show}</button></form>
${synthetic}
${cards}`
          : `<p>${t.none}</p>`,
      });
    },
  );

  app.get<{ Params: { name: string; version: string }; Querystring: { lang?: string; form?: string } }>(
    '/admin/versions/:name/:version/preview',
    { schema: { params: versionParams }, config: { roles: TEAM } },
    async (req, reply) => {
      const lang = langOf(req.query);
      const t = T[lang];
      const v = await findVersion(store, req.params.name, req.params.version);
      const langs = instrumentLanguages(v.json as InstrumentJson);
      const form = langs.includes(String(req.query.form)) ? String(req.query.form) : langs[0]!;
      const here = `/admin/versions/${encodeURIComponent(v.name)}/${v.version}/preview`;
      const switcher = langs
        .map(
          (l) =>
            `<li><a href="${here}?lang=${lang}&amp;form=${encodeURIComponent(l)}"${l === form ? ' aria-current="true"' : ''} lang="${escapeHtml(l)}">${escapeHtml(languageName(l, l, true))}</a></li>`,
        )
        .join('');
      const i18n = SURVEY_CORE_I18N[form];
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      return studioPage({
        lang,
        active: 'versions',
        title: `${t.previewTitle} : ${v.name} v${v.version}`.replace(' : ', lang === 'fr' ? ' : ' : ': '),
        path: here,
        who: req.session!.user.email,
        query: req.query,
        role: req.session!.user.role,
        styles: ['/vendor/survey-core/survey-core.fontless.min.css'],
        scripts: [
          '/vendor/survey-core/survey.core.min.js',
          ...(i18n ? [`/vendor/survey-core/i18n/${i18n}.min.js`] : []),
          '/vendor/survey-js-ui/survey-js-ui.min.js',
          '/assets/expression-functions.js',
          '/assets/studio-preview.js',
        ],
        messages: { done: t.previewDone },
        body: `<p class="preview-banner" role="note"><strong>${t.previewBanner}</strong></p>
<nav aria-label="${t.langs}"><ul class="links">${switcher}</ul></nav>
<p><a href="/admin/versions?lang=${lang}&amp;instrument=${encodeURIComponent(v.name)}">${t.back}</a></p>
<div id="preview" class="preview" lang="${escapeHtml(form)}" data-src="/api/admin/instruments/${encodeURIComponent(v.name)}/${v.version}" data-form="${escapeHtml(form)}"></div>
<p id="preview-status" class="message" role="status" aria-live="polite"></p>
<noscript>${t.noscript}</noscript>`,
      });
    },
  );

  app.get<{ Params: { name: string; version: string } }>(
    '/api/admin/instruments/:name/:version',
    { schema: { params: versionParams }, config: { roles: TEAM } },
    async (req, reply) => {
      const v = await findVersion(store, req.params.name, req.params.version);
      reply.header('cache-control', 'no-store');
      return v.json;
    },
  );

  app.get<{ Params: { name: string; version: string } }>(
    '/api/admin/instruments/:name/:version/xlsform',
    { schema: { params: versionParams }, config: { roles: TEAM } },
    async (req, reply) => {
      const v = await findVersion(store, req.params.name, req.params.version);
      const file = await exportXlsform(v.json as InstrumentJson, v.name);
      await recordAudit(store.db, {
        userId: req.session!.user.id,
        action: 'instrument.export',
        target: `${v.name}@${v.version}`,
        detail: 'xlsform',
      });
      reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${v.name}-v${v.version}.xlsx"`)
        .header('cache-control', 'no-store');
      return file;
    },
  );
}
