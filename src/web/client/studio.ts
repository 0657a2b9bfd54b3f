// Shared by the studio's pages: the session's CSRF token, JSON and form requests, the page's
// messages (data-messages on <main>), and the log-out button. Values reach the page through
// textContent only.
import type { ApiJson, ApiResult } from './lib/studio-api.js';

const main = document.getElementById('main');
const messages = JSON.parse(main?.dataset.messages || '{}') as Record<string, string>;
let csrf: string | undefined;
async function token(): Promise<string> {
  if (csrf) return csrf;
  const me = await fetch('/api/auth/me');
  if (!me.ok) {
    location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    throw new Error('not logged in');
  }
  csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
  return csrf;
}
async function request(method: string, url: string, body?: unknown): Promise<ApiResult> {
  const headers: Record<string, string> = { 'x-csrf-token': await token() };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(url, { method, headers, body: payload });
  const text = await res.text();
  let json: ApiJson | null = null;
  try {
    json = text ? (JSON.parse(text) as ApiJson) : null;
  } catch {
    json = { message: text };
  }
  return { ok: res.ok, status: res.status, json };
}
function say(el: HTMLElement, text: string, isError?: boolean): void {
  el.textContent = text;
  el.classList.toggle('error', Boolean(isError));
}
window.cairnetStudio = { lang: main?.dataset.lang || 'fr', messages, request, say };
document.getElementById('logout')?.addEventListener('click', async () => {
  await request('POST', '/api/auth/logout');
  location.href = '/login';
});
