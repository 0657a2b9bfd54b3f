// The questionnaire versions page: the "Try with synthetic responses" button asks the server to
// draw them into the survey's demonstration survey, then shows the link to its dashboard.
import { byId } from './lib/dom.js';
import { studio } from './lib/studio-api.js';

const form = document.getElementById('synthetic') as HTMLFormElement | null;
if (form) {
  const { messages, request, say } = studio();
  const out = byId('synthetic-message');
  const link = byId<HTMLAnchorElement>('synthetic-dashboard');
  const button = form.querySelector('button') as HTMLButtonElement;
  const url = `/api/admin/instruments/${encodeURIComponent(form.dataset.instrument ?? '')}/synthetic`;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const respondents = Number(byId<HTMLInputElement>('synthetic-n').value);
    button.disabled = true;
    say(out, messages.syntheticWorking ?? '');
    void request('POST', url, { respondents })
      .then((res) => {
        if (res.ok && res.json) {
          say(out, `${String(res.json.written)} ${messages.syntheticDone} ${String(res.json.instrument)}.`);
          link.hidden = false;
        } else say(out, `${messages.syntheticFailed} ${res.json?.message ?? res.status}`, true);
      })
      .finally(() => {
        button.disabled = false;
      });
  });
}
