// The analysis plan page: checks the plan in the editor (POST /api/admin/plan/check), stores it
// as a new version (POST /api/admin/plan), or puts the default plan in the editor. A refusal
// lists each problem with its line; every text goes in through textContent.
import { type ApiResult, studio } from './lib/studio-api.js';

const { messages: m, request, say } = studio();
const fill = (key: string, values: Record<string, string | number>) =>
  (m[key] ?? key).replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

const form = document.getElementById('plan-form') as HTMLFormElement;
const editor = document.getElementById('plan-yaml') as HTMLTextAreaElement;
const status = document.getElementById('plan-status')!;
const instrument = form.dataset.instrument ?? '';

/** A refusal: its message, and each problem of a plan (line, indicator, message) as a list item. */
function refused(r: ApiResult): void {
  const problems = (
    r.json as { details?: { line?: number; indicator?: string | null; message?: string }[] } | null
  )?.details;
  if (!Array.isArray(problems) || problems.length === 0) {
    say(status, r.json?.message ?? fill('failed', { status: r.status }), true);
    return;
  }
  say(status, m.invalid ?? '', true);
  const list = document.createElement('ul');
  for (const p of problems) {
    const li = document.createElement('li');
    const where = [p.line ? fill('line', { line: p.line }) : '', p.indicator ?? '']
      .filter(Boolean)
      .join(', ');
    li.textContent = `${where ? `${where} — ` : ''}${p.message ?? ''}`;
    list.appendChild(li);
  }
  status.appendChild(list);
}

document.getElementById('plan-check')!.addEventListener('click', async () => {
  say(status, m.checking ?? '');
  const r = await request('POST', '/api/admin/plan/check', { instrument, yaml: editor.value });
  if (!r.ok) return refused(r);
  say(status, fill('valid', { n: Number(r.json?.indicators) }));
});

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  say(status, m.checking ?? '');
  const r = await request('POST', '/api/admin/plan', { instrument, yaml: editor.value });
  if (!r.ok) return refused(r);
  const version = Number(r.json?.version);
  say(status, fill(r.json?.created ? 'saved' : 'unchanged', { version }));
});

document.getElementById('plan-reset')!.addEventListener('click', async () => {
  const r = await request('GET', `/api/admin/plan/default?${new URLSearchParams({ instrument })}`);
  if (!r.ok) return refused(r);
  editor.value = String(r.json?.yaml ?? '');
  say(status, m.reset ?? '');
});
