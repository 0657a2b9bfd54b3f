// The questionnaire upload: a dry run first (the import report, nothing stored), then "store".
import { byId, el } from './lib/dom.js';
import { studio } from './lib/studio-api.js';

/** The import's answer (`cairnet instrument import --json`). */
interface ImportResult {
  name: string;
  version: number;
  created: boolean;
  variables: number;
  report: {
    format: string;
    title?: string;
    questions: number;
    notCarried: { where: string; message: string }[];
  };
}

const { messages: m, request, say } = studio();
const form = byId<HTMLFormElement>('instrument-upload');
const out = byId('q-message');
const report = byId('q-report');
const send = (dryRun: boolean) => {
  const f = new FormData(form);
  if (!f.get('name')) f.delete('name');
  if (dryRun) f.set('dryRun', 'true');
  return request('POST', '/api/admin/instruments/import', f);
};
function show(r: ImportResult): void {
  report.replaceChildren();
  const rep = r.report;
  report.appendChild(el('h3', m.report));
  report.appendChild(
    el(
      'p',
      `${m.format} ${rep.format}${rep.title ? ` · « ${rep.title} »` : ''} · ${rep.questions} ${m.questions} · ${r.variables} ${m.variables} · ${
        r.created ? `${m.wouldStore} ${r.version}` : `${m.same} ${r.version}`
      } (${r.name})`,
    ),
  );
  if (rep.notCarried.length === 0) report.appendChild(el('p', m.all));
  else {
    report.appendChild(el('h4', `${m.notCarried} (${rep.notCarried.length})`));
    const ul = report.appendChild(el('ul'));
    for (const n of rep.notCarried) ul.appendChild(el('li', `${n.where}: ${n.message}`));
  }
  if (r.created) {
    const button = el('button', m.store);
    button.type = 'button';
    button.addEventListener('click', async () => {
      const stored = await send(false);
      if (!stored.ok) return say(out, `${m.failed} ${stored.json?.message ?? stored.status}`, true);
      say(out, `${m.stored} ${stored.json?.version} (${stored.json?.name})`);
      setTimeout(() => location.reload(), 1500);
    });
    report.appendChild(button);
  }
}
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  say(out, '');
  const r = await send(true);
  if (!r.ok) {
    report.replaceChildren();
    return say(out, `${m.failed} ${r.json?.code ?? ''} ${r.json?.message ?? r.status}`, true);
  }
  show(r.json as unknown as ImportResult);
});
