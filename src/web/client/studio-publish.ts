// The publishing page: the publish button (behind the confirmation box) and the withdraw button
// call the publication route; the page then shows the new state.
import { byId } from './lib/dom.js';
import { studio } from './lib/studio-api.js';

const form = document.getElementById('publish') as HTMLFormElement | null;
if (form) {
  const { messages, request, say } = studio();
  const out = byId('publish-message');
  const url = `/api/admin/results/${encodeURIComponent(form.dataset.instrument ?? '')}/publication`;
  const send = async (body: unknown): Promise<void> => {
    const res = await request('PUT', url, body);
    if (res.ok) {
      say(out, messages.done ?? '');
      setTimeout(() => location.reload(), 600);
    } else say(out, `${messages.failed} ${res.json?.message ?? res.status}`, true);
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void send({ published: true, snapshot: form.dataset.snapshot });
  });
  document.getElementById('withdraw')?.addEventListener('click', () => void send({ published: false }));
}
