// The sending page: starts a round as a background job, then polls GET /api/admin/jobs/:id
// every second and shows the progress in the live status region and in the list of the latest
// jobs, which gains the new job and follows it to its end without a reload (the job goes on
// without the page; reopening the page follows it again). Close and reopen the campaign.
import { byId, el } from './lib/dom.js';
import { studio } from './lib/studio-api.js';

/** GET /api/admin/jobs/:id */
interface Job {
  id: string;
  kind: 'invitation' | 'reminder';
  state: 'queued' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  sent?: number;
  failed?: number;
  uncertain?: number;
  createdAt?: string;
  error?: { code?: string; message?: string };
}

const { lang, messages: m, request, say } = studio();
const form = byId<HTMLFormElement>('send-form');
const status = byId('job-status');
const bar = byId<HTMLProgressElement>('job-progress');
const list = byId<HTMLTableElement>('jobs');
const none = byId('jobs-none');
/** How many jobs the list shows, as the server renders it. */
const LIST_LENGTH = 10;

/** An error code as the page's words (the code itself only when nothing names it). */
const errorText = (code: string | undefined) =>
  m[`error.${code}`] ?? (m['error.other'] ?? '{code}').replace('{code}', code ?? '?');
const fill = (text: string, j: Job) =>
  text
    .replace('{done}', String(j.done))
    .replace('{total}', String(j.total))
    .replace('{sent}', String(j.sent ?? 0))
    .replace('{failed}', String(j.failed ?? 0))
    .replace('{uncertain}', String(j.uncertain ?? 0))
    .replace('{left}', String(Math.max(0, j.total - j.done)))
    .replace('{error}', errorText(j.error?.code));
/** A time as the server writes it: in the team's time zone, in the page's language. */
const when = (iso: string | undefined) =>
  iso
    ? new Date(iso).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: m.timeZone || undefined,
      })
    : '–';

/** The job's row in the list of latest jobs: found, or added on top (the oldest one leaves). */
function rowOf(j: Job): HTMLTableRowElement {
  const body = list.tBodies[0]!;
  const found = [...body.rows].find((r) => r.dataset.job === j.id);
  if (found) return found;
  const row = el('tr', undefined, { 'data-job': j.id });
  row.append(el('td', when(j.createdAt)), el('td', m[`kind.${j.kind}`] ?? j.kind), el('td'), el('td'));
  body.prepend(row);
  while (body.rows.length > LIST_LENGTH) body.rows[body.rows.length - 1]!.remove();
  list.hidden = false;
  none.hidden = true;
  return row;
}
function showInList(j: Job): void {
  const row = rowOf(j);
  const state = m[`state.${j.state}`] ?? j.state;
  row.cells[2]!.textContent = j.error?.code ? `${state} (${errorText(j.error.code)})` : state;
  row.cells[3]!.textContent = `${j.sent ?? 0} / ${j.total}`;
}

async function follow(id: string): Promise<void> {
  for (;;) {
    const res = await fetch(`/api/admin/jobs/${encodeURIComponent(id)}`);
    if (!res.ok) return say(status, `${m.refused} ${res.status}`, true);
    const j = (await res.json()) as Job;
    bar.max = Math.max(1, j.total);
    bar.value = j.done;
    showInList(j);
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
  if (!r.ok) return say(status, `${m.refused} ${errorText(r.json?.code)}`, true);
  follow(String(r.json?.jobId));
});
if (form.dataset.job) follow(form.dataset.job);
for (const which of ['close', 'reopen']) {
  document.getElementById(which)?.addEventListener('click', async () => {
    const r = await request('POST', `/api/admin/campaign/${which}`, { instrument: form.dataset.instrument });
    if (!r.ok) return say(status, `${m.refused} ${errorText(r.json?.code)}`, true);
    location.reload();
  });
}
