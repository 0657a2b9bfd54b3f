// The sending page: starts a round as a background job, then polls GET /api/admin/jobs/:id
// every second and shows the progress (the job goes on without the page; reopening the page
// follows it again). Close and reopen the campaign.
(() => {
  const { messages: m, request, say } = window.cairnetStudio;
  const form = document.getElementById('send-form');
  const status = document.getElementById('job-status');
  const bar = document.getElementById('job-progress');
  const fill = (text, j) =>
    text
      .replace('{done}', j.done)
      .replace('{total}', j.total)
      .replace('{sent}', j.sent)
      .replace('{failed}', j.failed)
      .replace('{uncertain}', j.uncertain)
      .replace('{left}', Math.max(0, j.total - j.done))
      .replace('{error}', j.error?.message ?? '');
  async function follow(id) {
    for (;;) {
      const res = await fetch(`/api/admin/jobs/${encodeURIComponent(id)}`);
      if (!res.ok) return say(status, `${m.refused} ${res.status}`, true);
      const j = await res.json();
      bar.max = Math.max(1, j.total);
      bar.value = j.done;
      if (j.state === 'queued') say(status, m.queued);
      else if (j.state === 'running') say(status, fill(m.running, j));
      else if (j.state === 'done') return say(status, fill(m.done, j));
      else return say(status, fill(m.failed, j), true);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const body = { instrument: form.dataset.instrument };
    if (f.get('rate')) body.ratePerMinute = Number(f.get('rate'));
    const r = await request('POST', `/api/admin/campaign/${f.get('kind')}`, body);
    if (!r.ok) return say(status, `${m.refused} ${r.json?.message ?? r.status}`, true);
    follow(r.json.jobId);
  });
  if (form.dataset.job) follow(form.dataset.job);
  for (const which of ['close', 'reopen']) {
    document.getElementById(which)?.addEventListener('click', async () => {
      const r = await request('POST', `/api/admin/campaign/${which}`, {
        instrument: form.dataset.instrument,
      });
      if (!r.ok) return say(status, `${m.refused} ${r.json?.message ?? r.status}`, true);
      location.reload();
    });
  }
})();
