// The press office's page: search the respondents who agreed to be contacted (handles only),
// relay a contact request, follow the requests. The search fields are the survey's own, rendered
// by the server (a select per filter, its options the answers' labels; a box for cited texts).
// Every value goes into the page through textContent; the page's words come from its
// data-messages (in the page's language).
import { el } from './lib/dom.js';
import { studio } from './lib/studio-api.js';

const { lang, messages: m, request, say } = studio();
/** A message with its {placeholders} filled in. */
const msg = (key: string, values: Record<string, string | number> = {}) =>
  (m[key] ?? key).replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
const stateLabel = (state: string) => m[`state_${state}`] ?? state;
const when = (iso: string) =>
  new Date(iso).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });

/** GET /api/admin/press/contacts (one item). */
interface Contact {
  handle: string;
  answers: Record<string, string | null>;
  cited: string[];
  lastRequest: { state: string; at: string } | null;
}
/** GET /api/admin/press/requests (one item). */
interface PressRequest {
  handle: string;
  state: string;
  createdAt: string;
  sentAt?: string | null;
  sharedAt?: string | null;
  answeredAt?: string | null;
}

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const survey = document.getElementById('main')?.dataset.survey ?? '';
/** The filters' selects, in the table's column order: each answer shown by its option's label. */
const filters = [...document.querySelectorAll<HTMLSelectElement>('#search select[data-question]')];
const hasCited = document.querySelector('#search [data-cited]') !== null;
const label = (select: HTMLSelectElement, value: string | null | undefined) =>
  value === null || value === undefined
    ? '–'
    : ([...select.options].find((o) => o.value === value)?.textContent ?? value);
/** A cell, labelled by its column's heading (shown beside the value when a phone stacks the rows). */
const cell = (tr: HTMLElement, content: unknown) => {
  const td = document.createElement('td');
  const heading = tr.closest('table')?.querySelectorAll('thead th')[tr.children.length]?.textContent;
  if (heading) td.dataset.label = heading;
  if (content instanceof Node) td.appendChild(content);
  else td.textContent = String(content);
  tr.appendChild(td);
};

async function search(): Promise<void> {
  const form = document.getElementById('search') as HTMLFormElement;
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (String(v).trim()) params.set(k, String(v).trim());
  const status = document.getElementById('search-status')!;
  const res = await fetch(`/api/admin/press/contacts?${params}`);
  const body = document.querySelector('#contacts tbody')!;
  body.replaceChildren();
  if (!res.ok) {
    say(status, msg('searchFailed', { status: res.status }), true);
    return;
  }
  const { items, total } = (await res.json()) as { items: Contact[]; total: number };
  say(status, msg('found', { n: total.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB') }));
  for (const c of items) {
    const tr = document.createElement('tr');
    body.appendChild(tr);
    cell(tr, c.handle);
    for (const select of filters) cell(tr, label(select, c.answers[select.dataset.question ?? '']));
    if (hasCited) cell(tr, c.cited.join('; ') || '–');
    cell(tr, c.lastRequest ? `${stateLabel(c.lastRequest.state)} (${when(c.lastRequest.at)})` : '–');
    const pick = el('button', msg('write'), {
      type: 'button',
      'aria-label': msg('writeTo', { handle: c.handle }),
    });
    pick.addEventListener('click', () => {
      input('handle').value = c.handle;
      input('message').focus();
    });
    cell(tr, pick);
  }
}

async function loadRequests(): Promise<void> {
  const res = await fetch(`/api/admin/press/requests?${new URLSearchParams({ instrument: survey })}`);
  if (!res.ok) return;
  const body = document.querySelector('#requests tbody')!;
  body.replaceChildren();
  for (const r of ((await res.json()) as { items: PressRequest[] }).items) {
    const tr = document.createElement('tr');
    body.appendChild(tr);
    cell(tr, r.handle);
    cell(tr, when(r.sentAt ?? r.createdAt));
    cell(tr, r.state === 'accepted' && r.sharedAt ? msg('sharedByMail') : stateLabel(r.state));
    cell(tr, r.answeredAt ? when(r.answeredAt) : '–');
  }
}

async function sendRequest(): Promise<void> {
  const status = document.getElementById('request-status')!;
  const handle = input('handle').value.trim();
  const message = input('message').value;
  say(status, msg('sending'));
  const res = await request('POST', '/api/admin/press/requests', { handle, message });
  if (res.ok) {
    say(status, msg('requestSent', { handle }));
    input('message').value = '';
    await Promise.all([loadRequests(), search()]);
  } else {
    say(status, res.json?.message ?? msg('requestFailed', { status: res.status }), true);
  }
}

// Without the survey's opt-in question there is no search nor request form: only the requests sent.
const searchForm = document.getElementById('search');
searchForm?.addEventListener('submit', (e) => {
  e.preventDefault();
  search();
});
document.getElementById('request')?.addEventListener('submit', (e) => {
  e.preventDefault();
  sendRequest();
});
Promise.all([searchForm ? search() : Promise.resolve(), loadRequests()]);
