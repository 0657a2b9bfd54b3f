// The team page: add a member, change a role, disable or enable, issue a password link.
import { byId } from './lib/dom.js';
import { type ApiResult, studio } from './lib/studio-api.js';

const { messages: m, request, say } = studio();
const out = byId('team-message');
const failed = (r: ApiResult) => say(out, `${m.failed} ${r.json?.message ?? r.status}`, true);
byId('add-member').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target as HTMLFormElement);
  const body: Record<string, unknown> = { email: f.get('email'), role: f.get('role') };
  if (f.get('password')) body.password = f.get('password');
  const r = await request('POST', '/api/admin/users', body);
  if (!r.ok) return failed(r);
  if (r.json?.resetLink) {
    sessionStorage.setItem('cairnet-team-link', String(r.json.resetLink));
  }
  location.reload();
});
const kept = sessionStorage.getItem('cairnet-team-link');
if (kept) {
  sessionStorage.removeItem('cairnet-team-link');
  say(out, `${m.link} ${kept}`);
}
byId('team').addEventListener('click', async (ev) => {
  const button = (ev.target as Element).closest<HTMLButtonElement>('button[data-action]');
  if (!button) return;
  const id = button.closest('tr')!.dataset.user!;
  const action = button.dataset.action;
  if (action === 'reset') {
    const r = await request('POST', `/api/admin/users/${encodeURIComponent(id)}/reset-link`);
    return r.ok ? say(out, `${m.link} ${r.json?.resetLink}`) : failed(r);
  }
  const r = await request('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, {
    disabled: action === 'disable',
  });
  if (!r.ok) return failed(r);
  location.reload();
});
byId('team').addEventListener('change', async (ev) => {
  const select = (ev.target as Element).closest<HTMLSelectElement>('select[data-action="role"]');
  if (!select) return;
  const id = select.closest('tr')!.dataset.user!;
  const r = await request('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, { role: select.value });
  if (!r.ok) {
    failed(r);
    return;
  }
  say(out, m.done!);
});
