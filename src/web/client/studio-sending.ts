// The sending page: starts a round as a background job, then polls GET /api/admin/jobs/:id
// every second and shows the progress (the job goes on without the page; reopening the page
// follows it again). Close and reopen the campaign.
import { byId } from './lib/dom.js';
import { studio } from './lib/studio-api.js';

/** GET /api/admin/jobs/:id */
interface Job {
  state: 'queued' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  sent?: number;
  failed?: number;
  uncertain?: number;
  error?: { message?: string };
}

const { messages: m, request, say } = studio();
const form = byId<HTMLFormElement>('send-form');
const status = byId('job-status');
const bar = byId<HTMLProgressElement>('job-progress');
const fill = (text: string, j: Job) =>
  text
    .replace('{done}', String(j.done))
    .replace('{total}', String(j.total))
    .replace('{sent}', String(j.sent))
    .replace('{failed}', String(j.failed))
    .replace('{uncertain}', String(j.uncertain))
    .replace('{left}', String(Math.max(0, j.total - j.done)))
    .replace('{error}', j.error?.message ?? '');
async function follow(id: string): Promise<void> {
  for (;;) {
    const res = await fetch(`/api/admin/jobs/${encodeURIComponent(id)}`);
    if (!res.ok) return say(status, `${m.refused} ${res.status}`, true);
    const j = (await res.json()) as Job;
    bar.max = Math.max(1, j.total);
    bar.value = j.done;
    if (j.state === 'queued') say(status, m.queued!);
    else if (j.state === 'running') say(status, fill(m.running!, j));
    else if (j.state === 'done') return say(status, fill(m.done!, j));
    else return say(status, fill(m.failed!, j), true);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(form);
  const body: Record<string, unknown> = { instrument: form.dataset.instrument };
  if (f.get('rate')) body.ratePerMinute = Number(f.get('rate'));
  const r = await request('POST', `/api/admin/campaign/${f.get('kind')}`, body);
  if (!r.ok) return say(status, `${m.refused} ${r.json?.message ?? r.status}`, true);
  follow(String(r.json?.jobId));
});
if (form.dataset.job) follow(form.dataset.job);
for (const which of ['close', 'reopen']) {
  document.getElementById(which)?.addEventListener('click', async () => {
    const r = await request('POST', `/api/admin/campaign/${which}`, { instrument: form.dataset.instrument });
    if (!r.ok) return say(status, `${m.refused} ${r.json?.message ?? r.status}`, true);
    location.reload();
  });
}
