// The survey team's dashboard: who is logged in, the instruments, the latest responses (newest
// first, each opening its own page).
let csrf = '';
const cell = (tr: HTMLElement, text: unknown) => {
  const td = document.createElement('td');
  td.textContent = String(text);
  tr.appendChild(td);
};
async function load(): Promise<void> {
  const me = await fetch('/api/auth/me');
  if (!me.ok) {
    location.href = '/login?next=/admin';
    return;
  }
  const who = (await me.json()) as { csrfToken: string; user: { email: string; role: string } };
  csrf = who.csrfToken;
  document.getElementById('who')!.textContent = `${who.user.email} (${who.user.role})`;
  const instruments = await fetch('/api/admin/instruments');
  if (instruments.ok) {
    const body = document.querySelector('#instruments tbody')!;
    for (const i of (await instruments.json()) as { name: string; version: number; responses: number }[]) {
      const tr = document.createElement('tr');
      cell(tr, i.name);
      cell(tr, i.version);
      cell(tr, i.responses);
      body.appendChild(tr);
    }
  }
  const responses = await fetch('/api/admin/responses?pageSize=20&order=newest');
  if (responses.ok) {
    const body = document.querySelector('#responses tbody')!;
    const page = (await responses.json()) as {
      items: { id: string; completedAt: string; instrumentVersion: number; synthetic: boolean }[];
    };
    for (const r of page.items) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      const a = document.createElement('a');
      a.href = `/admin/responses/${encodeURIComponent(r.id)}?lang=en`;
      a.textContent = r.id;
      td.appendChild(a);
      tr.appendChild(td);
      cell(tr, new Date(r.completedAt).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' }));
      cell(tr, r.instrumentVersion);
      cell(tr, r.synthetic ? 'yes' : 'no');
      body.appendChild(tr);
    }
  }
}
document.getElementById('logout')!.addEventListener('click', async () => {
  await fetch('/api/auth/logout', { method: 'POST', headers: { 'x-csrf-token': csrf } });
  location.href = '/login';
});
load();
