// The respondent's page: SurveyJS form, language switch, drafts saved on every page change,
// resume through a personal link, and a completion that is acknowledged only once stored.
import type * as SurveyCore from 'survey-core';

/** survey-core's bundle (window.Survey); survey-js-ui adds render() to its Model. */
declare const Survey: typeof SurveyCore;
type Model = SurveyCore.Model & { render(el: HTMLElement | null): void };

const main = document.getElementById('main')!;
const name = main.dataset.instrument!;
const statusEl = document.getElementById('save-status')!;
const resumeEl = document.getElementById('resume')!;
const titleEl = document.getElementById('survey-title')!;
const api = `/api/instruments/${encodeURIComponent(name)}`;
const params = new URLSearchParams(location.search);
const TEXT = {
  fr: {
    saving: 'Enregistrement…',
    saved: 'Réponses enregistrées.',
    saveFailed: 'Échec de l’enregistrement : vos réponses restent dans cette page, réessayez.',
    resume: 'Pour reprendre plus tard, gardez ce lien : ',
    done: 'Ce questionnaire a déjà été rempli avec ce lien. Merci !',
    sending: 'Envoi de vos réponses…',
    sendFailed: 'Vos réponses n’ont pas pu être envoyées. Cliquez de nouveau sur « Terminer ».',
    invitationRequired:
      'Ce questionnaire se remplit sur invitation : ouvrez le lien personnel reçu par courriel.',
    tooMany: 'Trop de réponses envoyées depuis votre adresse : réessayez dans une minute.',
  },
  en: {
    saving: 'Saving…',
    saved: 'Answers saved.',
    saveFailed: 'Saving failed: your answers stay on this page; try again.',
    resume: 'To come back later, keep this link: ',
    done: 'This questionnaire was already completed with this link. Thank you!',
    sending: 'Sending your answers…',
    sendFailed: 'Your answers could not be sent. Press “Complete” again.',
    invitationRequired: 'This questionnaire is by invitation: open the personal link you received by e-mail.',
    tooMany: 'Too many answers sent from your address: try again in a minute.',
  },
};
type TextKey = keyof typeof TEXT.en;
// The questionnaire's languages are the page's buttons; this page's own messages exist in
// French and English (English for any other language).
let lang = main.dataset.lang || 'fr';
const t = (k: TextKey) => ((TEXT as Record<string, typeof TEXT.en>)[lang] ?? TEXT.en)[k];

function newToken(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}
const storageKey = `cairnet:${name}:resume`;
let token = params.get('resume') || localStorage.getItem(storageKey) || newToken();
if (!/^[A-Za-z0-9_-]{22,128}$/.test(token)) token = newToken();
localStorage.setItem(storageKey, token);
params.set('resume', token);
history.replaceState(null, '', `${location.pathname}?${params}`);

function showResume(): void {
  resumeEl.hidden = false;
  resumeEl.textContent = t('resume');
  const a = document.createElement('a');
  a.href = location.href;
  a.textContent = location.href;
  resumeEl.appendChild(a);
}

function localizedTitle(json: { title?: string | Record<string, string> }): string {
  const title = json.title;
  if (!title || typeof title === 'string') return title || name;
  return (lang === 'en' ? title.default : title[lang]) || title.default || name;
}

async function saveDraft(survey: SurveyCore.SurveyModel): Promise<void> {
  statusEl.textContent = t('saving');
  try {
    const res = await fetch(`${api}/drafts/${token}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: survey.data, pageNo: survey.currentPageNo, locale: lang }),
    });
    statusEl.textContent = res.ok ? t('saved') : t('saveFailed');
  } catch {
    statusEl.textContent = t('saveFailed');
  }
}

/** A refusal of the submission route: its code and message, and a full quota's action. */
interface SubmitError {
  code?: string;
  message?: string;
  details?: { action?: string };
}

/**
 * A full quota: its message, in the respondent's language, as the end of the questionnaire;
 * or, when the quota lets the respondent change the last answers, back to the form with it.
 */
function quotaFull(survey: SurveyCore.SurveyModel, err: SubmitError): void {
  if (err.details?.action === 'change') {
    survey.clear(false, false);
    statusEl.textContent = err.message ?? '';
    return;
  }
  localStorage.removeItem(storageKey);
  resumeEl.hidden = true;
  statusEl.textContent = '';
  const form = document.getElementById('survey')!;
  form.hidden = true;
  const end = document.createElement('p');
  end.id = 'quota-end';
  end.setAttribute('role', 'status');
  end.textContent = err.message ?? '';
  form.after(end);
}

async function start(): Promise<void> {
  const json = await (await fetch(api)).json();
  // Page titles become <h2> under the page's <h1> (SurveyJS renders them as plain <div>s).
  Survey.settings.titleTags.page = 'h2';
  Survey.settings.titleTags.panel = 'h3';
  const survey = new Survey.Model(json) as Model;
  survey.locale = lang;
  survey.showTitle = false;
  survey.applyTheme({
    cssVariables: {
      '--sjs-primary-backcolor': '#1b4f8a',
      '--sjs-primary-backcolor-dark': '#143c69',
      '--sjs-primary-backcolor-light': 'rgba(27, 79, 138, 0.1)',
      '--sjs-general-forecolor-light': 'rgba(0, 0, 0, 0.66)',
      // The default (0.45 black) greys the progress bar's page titles below 4.5:1 contrast.
      '--sjs-general-dim-forecolor-light': 'rgba(0, 0, 0, 0.66)',
      '--sjs-font-size': '16px',
    },
    isPanelless: false,
  });
  const startedAt = new Date().toISOString();
  const draft = await fetch(`${api}/drafts/${token}`);
  if (draft.ok) {
    const d = (await draft.json()) as {
      completed?: boolean;
      data: Record<string, unknown>;
      pageNo?: unknown;
    };
    if (d.completed) {
      document.getElementById('survey')!.textContent = t('done');
      return;
    }
    survey.data = d.data;
    if (Number.isInteger(d.pageNo)) survey.currentPageNo = d.pageNo as number;
  }
  survey.onCurrentPageChanged.add((s) => {
    saveDraft(s);
    showResume();
  });
  survey.onComplete.add(async (s, options) => {
    options.showSaveInProgress(t('sending'));
    const body = JSON.stringify({
      data: s.data,
      idempotencyKey: `complete-${token}`,
      resumeToken: token,
      locale: lang,
      startedAt,
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const res = await fetch(`${api}/responses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        if (res.status === 201) {
          options.showSaveSuccess();
          localStorage.removeItem(storageKey);
          statusEl.textContent = '';
          resumeEl.hidden = true;
          return;
        }
        if (res.status < 500) {
          const err = (await res.json().catch(() => ({}))) as SubmitError;
          if (err.code === 'CAIRNET_QUOTA_FULL') {
            quotaFull(s, err);
            return;
          }
          const known = (
            {
              CAIRNET_INVITATION_REQUIRED: 'invitationRequired',
              CAIRNET_OPEN_SUBMIT_RATE_LIMITED: 'tooMany',
            } as Record<string, TextKey>
          )[err.code ?? ''];
          options.showSaveError(known ? t(known) : err.message || t('sendFailed'));
          return;
        }
      } catch {
        // network failure: retry with the same idempotency key, which never stores twice
      }
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    }
    options.showSaveError(t('sendFailed'));
  });
  // Only the switch's buttons: <main> carries data-lang too, and must not act as one.
  const langButtons = document.querySelectorAll<HTMLButtonElement>('button[data-lang]');
  for (const b of langButtons) {
    b.addEventListener('click', () => {
      lang = b.dataset.lang!;
      survey.locale = lang;
      document.documentElement.lang = lang;
      titleEl.textContent = localizedTitle(json);
      document.title = titleEl.textContent;
      for (const o of langButtons) o.setAttribute('aria-pressed', String(o === b));
      // A reload or the resume link keeps the language chosen.
      params.set('lang', lang);
      history.replaceState(null, '', `${location.pathname}?${params}`);
      if (!resumeEl.hidden) showResume();
    });
  }
  survey.render(document.getElementById('survey'));
}

start().catch((e: Error) => {
  statusEl.textContent = `Error: ${e.message}`;
});
