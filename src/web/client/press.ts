// The press office's page: search researchers who agreed to be contacted (handles only), relay a
// contact request, follow the requests. Every value goes into the page through textContent.
import { el } from './lib/dom.js';

/** GET /api/admin/press/contacts (one item). */
interface Contact {
  handle: string;
  field: string | null;
  researchKind: string | null;
  relation: string | null;
  associations: string[];
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

let csrf = '';
const labels: Record<string, Record<string, string>> = {};
const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const label = (key: string, value: string | null | undefined) =>
  value === null || value === undefined ? '–' : (labels[key]?.[value] ?? value);
const cell = (tr: HTMLElement, content: unknown) => {
  const td = document.createElement('td');
  if (content instanceof Node) td.appendChild(content);
  else td.textContent = String(content);
  tr.appendChild(td);
};

async function loadThemes(): Promise<void> {
  const res = await fetch('/api/admin/press/themes');
  if (!res.ok) return;
  const themes = (await res.json()) as Record<string, { value: string; label: string }[]>;
  for (const [key, choices] of Object.entries(themes)) {
    const own: Record<string, string> = {};
    labels[key] = own;
    const select = document.getElementById(key);
    for (const c of choices) {
      own[c.value] = c.label;
      if (select) select.appendChild(el('option', c.label, { value: c.value }));
    }
  }
}

async function search(): Promise<void> {
  const form = document.getElementById('search') as HTMLFormElement;
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (String(v).trim()) params.set(k, String(v).trim());
  const status = document.getElementById('search-status')!;
  const res = await fetch(`/api/admin/press/contacts?${params}`);
  const body = document.querySelector('#contacts tbody')!;
  body.replaceChildren();
  if (!res.ok) {
    status.textContent = `The search failed (${res.status}).`;
    return;
  }
  const { items, total } = (await res.json()) as { items: Contact[]; total: number };
  status.textContent = `${total} researcher(s) found.`;
  for (const c of items) {
    const tr = document.createElement('tr');
    cell(tr, c.handle);
    cell(tr, label('field', c.field));
    cell(tr, label('researchKind', c.researchKind));
    cell(tr, label('relation', c.relation));
    cell(tr, c.associations.join('; ') || '–');
    cell(tr, c.lastRequest ? `${c.lastRequest.state} (${c.lastRequest.at.slice(0, 10)})` : '–');
    const pick = el('button', 'Write', { type: 'button', 'aria-label': `Write to ${c.handle}` });
    pick.addEventListener('click', () => {
      input('handle').value = c.handle;
      input('message').focus();
    });
    cell(tr, pick);
    body.appendChild(tr);
  }
}

async function loadRequests(): Promise<void> {
  const res = await fetch('/api/admin/press/requests');
  if (!res.ok) return;
  const body = document.querySelector('#requests tbody')!;
  body.replaceChildren();
  for (const r of ((await res.json()) as { items: PressRequest[] }).items) {
    const tr = document.createElement('tr');
    cell(tr, r.handle);
    cell(tr, (r.sentAt ?? r.createdAt).slice(0, 16).replace('T', ' '));
    cell(tr, r.state === 'accepted' && r.sharedAt ? 'accepted (address sent to you by e-mail)' : r.state);
    cell(tr, r.answeredAt ? r.answeredAt.slice(0, 16).replace('T', ' ') : '–');
    body.appendChild(tr);
  }
}

async function sendRequest(): Promise<void> {
  const status = document.getElementById('request-status')!;
  const handle = input('handle').value.trim();
  const message = input('message').value;
  status.textContent = 'Sending…';
  const res = await fetch('/api/admin/press/requests', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify({ handle, message }),
  });
  const body = (await res.json().catch(() => ({}))) as { message?: string };
  if (res.ok) {
    status.textContent = `Request sent to ${handle}. Their address reaches you only if they accept.`;
    input('message').value = '';
    await Promise.all([loadRequests(), search()]);
  } else {
    status.textContent = body.message ?? `The request failed (${res.status}).`;
  }
}

async function load(): Promise<void> {
  const me = await fetch('/api/auth/me');
  if (!me.ok) {
    location.href = '/login?next=/admin/press';
    return;
  }
  const who = (await me.json()) as { csrfToken: string; user: { email: string; role: string } };
  csrf = who.csrfToken;
  document.getElementById('who')!.textContent = `${who.user.email} (${who.user.role})`;
  await loadThemes();
  await Promise.all([search(), loadRequests()]);
}
document.getElementById('search')!.addEventListener('submit', (e) => {
  e.preventDefault();
  search();
});
document.getElementById('request')!.addEventListener('submit', (e) => {
  e.preventDefault();
  sendRequest();
});
load();
