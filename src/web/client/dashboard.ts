// The survey team's dashboard: the server renders the indicators and charts; this script adds
// the campaign's progress, the most cited associations and the publication switch. Every text
// from the API goes in with textContent, never as HTML (association names are free text).
import { DASHBOARD_SCRIPT_TEXT } from './lib/dashboard-text.js';

/** GET /api/admin/dashboard/summary (the parts this page reads). */
interface Publication {
  publishedAt: string;
  snapshot?: string | null;
}
interface Summary {
  campaign: { population: number; invited: number; opened: number; started: number; completed: number };
  mostCited: { label: string; responses: number }[];
  publication: Publication | null;
}

function start(main: HTMLElement, instrument: string): void {
  const T = DASHBOARD_SCRIPT_TEXT[main.dataset.lang === 'fr' ? 'fr' : 'en'];
  let csrf = '';
  let role = '';

  const row = (tbody: Element, cells: unknown[]) => {
    const tr = document.createElement('tr');
    cells.forEach((text, i) => {
      const td = document.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) (td as HTMLTableCellElement).scope = 'row';
      td.textContent = String(text);
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
  };

  function showPublication(publication: Publication | null): void {
    const state = document.getElementById('publication-state')!;
    const button = document.getElementById('publication-toggle')!;
    state.textContent = publication
      ? `${T.publishedSince} ${publication.publishedAt.slice(0, 10)}${publication.snapshot ? ` (${T.snapshot} ${publication.snapshot})` : ''}`
      : T.notPublished;
    button.hidden = role !== 'admin' || main.dataset.synthetic === 'true';
    button.textContent = publication ? T.withdraw : T.publish;
    button.dataset.published = publication ? 'true' : 'false';
  }

  async function load(): Promise<void> {
    const me = await fetch('/api/auth/me');
    if (!me.ok) return;
    const who = (await me.json()) as { csrfToken: string; user: { role: string } };
    csrf = who.csrfToken;
    role = who.user.role;
    const res = await fetch(`/api/admin/dashboard/summary?instrument=${encodeURIComponent(instrument)}`);
    if (!res.ok) return;
    const summary = (await res.json()) as Summary;
    const campaign = document.querySelector('#campaign-table tbody')!;
    const c = summary.campaign;
    const labels = T.steps;
    [c.population, c.invited, c.opened, c.started, c.completed].forEach((v, i) => {
      row(campaign, [labels[i], v]);
    });
    const cited = document.querySelector('#most-cited tbody')!;
    for (const a of summary.mostCited) row(cited, [a.label, a.responses]);
    showPublication(summary.publication);
  }

  document.getElementById('publication-toggle')?.addEventListener('click', async (e) => {
    const published = (e.currentTarget as HTMLElement).dataset.published === 'true';
    const res = await fetch(`/api/admin/results/${encodeURIComponent(instrument)}/publication`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      // publishing chooses the snapshot this page shows, not whatever is latest when clicked
      body: JSON.stringify(
        !published && main.dataset.snapshot
          ? { published: true, snapshot: main.dataset.snapshot }
          : { published: !published },
      ),
    });
    if (res.ok) showPublication(((await res.json()) as { publication: Publication | null }).publication);
  });

  load();
}

const main = document.getElementById('main');
if (main?.dataset.instrument) start(main, main.dataset.instrument);
