// The messages page: saves one language's texts (PUT /api/admin/campaign/messages), previews
// the chosen message as the texts stand in the form, and sends it as a test to oneself.
import { type ApiResult, studio } from './lib/studio-api.js';

const { messages: m, request, say } = studio();
const KINDS = ['invitation', 'reminder', 'thanks'];
const VALUES = ['deadline', 'contact', 'signature'];

for (const form of document.querySelectorAll<HTMLFormElement>('form.messages-form')) {
  const section = form.closest('section')!;
  const status = section.querySelector<HTMLElement>('.message')!;
  const preview = section.querySelector<HTMLElement>('.preview')!;
  const payload = () => {
    const f = new FormData(form);
    const texts: Record<string, { subject: unknown; body: unknown }> = {};
    for (const k of KINDS) texts[k] = { subject: f.get(`${k}.subject`), body: f.get(`${k}.body`) };
    const values: Record<string, unknown> = {};
    for (const v of VALUES) values[v] = f.get(v) ?? '';
    return { instrument: form.dataset.instrument, language: form.dataset.language, texts, values };
  };
  const refused = (r: ApiResult) => say(status, `${m.refused} ${r.json?.message ?? r.status}`, true);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const r = await request('PUT', '/api/admin/campaign/messages', payload());
    if (!r.ok) return refused(r);
    say(status, m.saved ?? '');
  });
  form.querySelector('[data-action="preview"]')!.addEventListener('click', async () => {
    const body = { ...payload(), kind: new FormData(form).get('which') };
    const r = await request('POST', '/api/admin/campaign/messages/preview', body);
    if (!r.ok) return refused(r);
    say(status, '');
    preview.querySelector('.preview-subject')!.textContent = `${m.subject} ${String(r.json?.subject)}`;
    preview.querySelector('.preview-text')!.textContent = String(r.json?.text);
    preview.hidden = false;
  });
  form.querySelector('[data-action="test"]')!.addEventListener('click', async () => {
    const body = { ...payload(), kind: new FormData(form).get('which') };
    const r = await request('POST', '/api/admin/campaign/messages/test', body);
    if (!r.ok) return refused(r);
    say(status, (m.sent ?? '').replace('{to}', String(r.json?.to)));
  });
}
