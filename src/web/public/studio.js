// Shared by the studio's pages: the session's CSRF token, JSON and form requests, the page's
// messages (data-messages on <main>), and the log-out button. Values reach the page through
// textContent only.
(() => {
  const main = document.getElementById('main');
  const messages = JSON.parse(main?.dataset.messages || '{}');
  let csrf;
  async function token() {
    if (csrf) return csrf;
    const me = await fetch('/api/auth/me');
    if (!me.ok) {
      location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
      throw new Error('not logged in');
    }
    csrf = (await me.json()).csrfToken;
    return csrf;
  }
  async function request(method, url, body) {
    const headers = { 'x-csrf-token': await token() };
    let payload;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(url, { method, headers, body: payload });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { message: text };
    }
    return { ok: res.ok, status: res.status, json };
  }
  function say(el, text, isError) {
    el.textContent = text;
    el.classList.toggle('error', Boolean(isError));
  }
  window.cairnetStudio = { lang: main?.dataset.lang || 'fr', messages, request, say };
  document.getElementById('logout')?.addEventListener('click', async () => {
    await request('POST', '/api/auth/logout');
    location.href = '/login';
  });
})();
