import type { PressSearchSpec } from '../../campaign/press-config.js';
import { MESSAGE_MAX } from '../../campaign/press-requests.js';
import { escapeHtml } from '../../report/html.js';
import { type Lang, studioPage, surveyChoice } from './layout.js';

/** The press page's fixed texts, in both languages (the search fields come from the survey). */
export const PRESS_PAGE = {
  fr: {
    title: 'Contacts presse',
    intro:
      'Les répondants qui ont accepté, dans leurs réponses, d’être contactés par le service de presse. Vous voyez un identifiant et les réponses utiles à la recherche, jamais un nom ni une adresse. Une demande est transmise par e-mail ; l’adresse de la personne ne vous parvient que si elle accepte.',
    noOptIn: (q: string) =>
      `Ce questionnaire ne demande pas l’accord d’être contacté par le service de presse (aucune question « ${q} ») : personne ne peut être contacté.`,
    noFilter:
      'Ce questionnaire n’a pas de question fermée sur laquelle chercher : tous les répondants d’accord sont listés.',
    search: 'Rechercher',
    any: '(tous)',
    handle: 'Identifiant',
    lastRequest: 'Dernière demande',
    contact: 'Contact',
    request: 'Demande de contact',
    message: 'Message à la personne',
    send: 'Envoyer la demande',
    requests: 'Demandes envoyées',
    sent: 'Envoyée',
    state: 'État',
    answered: 'Réponse',
  },
  en: {
    title: 'Press contacts',
    intro:
      'Respondents who agreed, in their answers, to be contacted by the press office. You see a handle and the answers that matter for the search, never a name or an address. A request is relayed by e-mail; the person’s address reaches you only if they accept.',
    noOptIn: (q: string) =>
      `This questionnaire does not ask for consent to be contacted by the press office (no question “${q}”): no one can be contacted.`,
    noFilter:
      'This questionnaire has no closed question to search by: every respondent who agreed is listed.',
    search: 'Search',
    any: '(any)',
    handle: 'Handle',
    lastRequest: 'Last request',
    contact: 'Contact',
    request: 'Contact request',
    message: 'Message to the respondent',
    send: 'Send the request',
    requests: 'Requests sent',
    sent: 'Sent',
    state: 'State',
    answered: 'Answered',
  },
} as const;

/** What press.js writes into the page ({n}, {handle}, {status} filled in there), in both languages. */
export const PRESS_MESSAGES = {
  fr: {
    searchFailed: 'La recherche a échoué ({status}).',
    found: '{n} répondant(s) trouvé(s).',
    write: 'Écrire',
    writeTo: 'Écrire à {handle}',
    sending: 'Envoi…',
    requestSent: 'Demande envoyée à {handle}. Son adresse ne vous parvient que si la personne accepte.',
    requestFailed: 'La demande a échoué ({status}).',
    sharedByMail: 'acceptée (adresse envoyée par e-mail)',
    state_sending: 'en cours d’envoi',
    state_sent: 'envoyée',
    state_failed: 'échec de l’envoi',
    state_accepted: 'acceptée',
    state_declined: 'refusée',
  },
  en: {
    searchFailed: 'The search failed ({status}).',
    found: '{n} respondent(s) found.',
    write: 'Write',
    writeTo: 'Write to {handle}',
    sending: 'Sending…',
    requestSent: 'Request sent to {handle}. Their address reaches you only if they accept.',
    requestFailed: 'The request failed ({status}).',
    sharedByMail: 'accepted (address sent to you by e-mail)',
    state_sending: 'being sent',
    state_sent: 'sent',
    state_failed: 'sending failed',
    state_accepted: 'accepted',
    state_declined: 'declined',
  },
} as const;

const e = escapeHtml;

/** The survey's filters as labelled selects (choices by their labels), and the cited-text box. */
function searchFields(spec: PressSearchSpec, lang: Lang): string {
  const any = `<option value="">${e(PRESS_PAGE[lang].any)}</option>`;
  const selects = spec.filters.map((f) => {
    const options = f.choices
      .map((c) => `<option value="${e(c.value)}">${e(c.label[lang])}</option>`)
      .join('');
    return `<label for="f-${e(f.param)}">${e(f.label[lang])}</label> <select id="f-${e(f.param)}" name="${e(f.param)}" data-question="${e(f.question)}">${any}${options}</select>`;
  });
  const cited = spec.cited
    ? `<label for="f-${e(spec.cited.param)}">${e(spec.cited.label[lang])}</label> <input id="f-${e(spec.cited.param)}" name="${e(spec.cited.param)}" maxlength="200" data-cited="1">`
    : '';
  return [...selects, cited].filter(Boolean).join('\n      ');
}

function contactsTable(spec: PressSearchSpec, lang: Lang): string {
  const t = PRESS_PAGE[lang];
  const heads = [
    t.handle,
    ...spec.filters.map((f) => f.label[lang]),
    ...(spec.cited ? [spec.cited.label[lang]] : []),
    t.lastRequest,
    t.contact,
  ];
  return `<div class="table-wrap"><table id="contacts"><thead><tr>${heads.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody></tbody></table></div>`;
}

function searchSection(spec: PressSearchSpec, lang: Lang, survey: string): string {
  const t = PRESS_PAGE[lang];
  if (!spec.optIn.asked) return `<p class="notice" id="no-optin">${e(t.noOptIn(spec.optIn.question))}</p>`;
  return `<section aria-labelledby="search-h"><h2 id="search-h">${e(t.search)}</h2>
    ${spec.filters.length === 0 ? `<p>${e(t.noFilter)}</p>` : ''}
    <form id="search"><input type="hidden" name="instrument" value="${e(survey)}">
      ${searchFields(spec, lang)}
      <button type="submit">${e(t.search)}</button>
    </form>
    <p id="search-status" role="status" aria-live="polite"></p>
    ${contactsTable(spec, lang)}
  </section>
  <section aria-labelledby="request-h"><h2 id="request-h">${e(t.request)}</h2>
    <form id="request">
      <label for="handle">${e(t.handle)}</label> <input id="handle" name="handle" required maxlength="64">
      <label for="message">${e(t.message)}</label>
      <textarea id="message" name="message" rows="6" required minlength="10" maxlength="${MESSAGE_MAX}"></textarea>
      <button type="submit">${e(t.send)}</button>
    </form>
    <p id="request-status" role="status" aria-live="polite"></p>
  </section>`;
}

/** The press office's page for one survey: its search (from the survey's data), a request, the requests sent. */
export function renderPressPage(p: {
  lang: Lang;
  query: unknown;
  who: string;
  role: string;
  names: readonly string[];
  survey: string;
  spec: PressSearchSpec;
}): string {
  const t = PRESS_PAGE[p.lang];
  return studioPage({
    lang: p.lang,
    active: 'press',
    title: t.title,
    path: '/admin/press',
    query: p.query,
    who: p.who,
    role: p.role,
    styles: ['/assets/press.css'],
    scripts: ['/assets/press.js'],
    messages: PRESS_MESSAGES[p.lang],
    main: { data: { survey: p.survey } },
    body: `${surveyChoice('/admin/press', p.lang, p.names, p.survey)}
  <p>${e(t.intro)}</p>
  ${searchSection(p.spec, p.lang, p.survey)}
  <section aria-labelledby="requests-h"><h2 id="requests-h">${e(t.requests)}</h2>
    <div class="table-wrap"><table id="requests"><thead><tr><th scope="col">${e(t.handle)}</th><th scope="col">${e(t.sent)}</th><th scope="col">${e(t.state)}</th><th scope="col">${e(t.answered)}</th></tr></thead><tbody></tbody></table></div>
  </section>`,
  });
}
