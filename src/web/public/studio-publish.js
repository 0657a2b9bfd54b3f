// The publishing page: the publish button (behind the confirmation box) and the withdraw button
// call the publication route; the page then shows the new state.
(() => {
  const form = document.getElementById('publish');
  if (!form) return;
  const { messages, request, say } = window.cairnetStudio;
  const out = document.getElementById('publish-message');
  const url = `/api/admin/results/${encodeURIComponent(form.dataset.instrument)}/publication`;
  async function send(body) {
    const res = await request('PUT', url, body);
    if (res.ok) {
      say(out, messages.done);
      setTimeout(() => location.reload(), 600);
    } else say(out, `${messages.failed} ${res.json?.message ?? res.status}`, true);
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    send({ published: true, snapshot: form.dataset.snapshot });
  });
  document.getElementById('withdraw')?.addEventListener('click', () => send({ published: false }));
})();
