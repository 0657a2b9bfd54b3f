// The campaign's progress for the survey team: counts only, from GET /api/admin/campaign/status.
// Every value goes into the page through textContent (never innerHTML).
(() => {
  const el = (tag, text, attrs) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = String(text);
    for (const [k, v] of Object.entries(attrs ?? {})) e.setAttribute(k, v);
    return e;
  };
  const pct = (a, b) => (b > 0 ? `${((100 * a) / b).toFixed(1)} %` : '–');
  const bar = (a, b) => {
    const wrap = el('span', undefined, { class: 'bar-track', 'aria-hidden': 'true' });
    const fill = el('span', undefined, { class: 'bar-fill' });
    fill.style.width = `${b > 0 ? Math.min(100, (100 * a) / b) : 0}%`;
    wrap.appendChild(fill);
    return wrap;
  };
  const row = (cells, header) => {
    const tr = document.createElement('tr');
    cells.forEach((c, i) => {
      const td = el(i === 0 && header ? 'th' : 'td', undefined, i === 0 && header ? { scope: 'row' } : {});
      if (c instanceof Node) td.appendChild(c);
      else td.textContent = String(c);
      tr.appendChild(td);
    });
    return tr;
  };
  const STEPS = [
    ['population', 'Population'],
    ['invited', 'Invited'],
    ['opened', 'Opened their link'],
    ['started', 'Started'],
    ['completed', 'Completed'],
  ];

  const lang = document.documentElement.lang === 'fr' ? 'fr' : 'en';
  // Times in the reader's own time zone; days (counted in UTC) as dates.
  const when = (iso) => new Date(iso).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const dayOf = (ymd) =>
    new Date(`${ymd}T00:00:00Z`).toLocaleDateString(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  const roundName = (id) =>
    id === 'invitation' ? 'Invitations' : id.replace(/^reminder-(\d+)$/, 'Reminder $1');
  const STATES = {
    sending: 'sending',
    sent: 'sent',
    retry: 'to retry',
    failed: 'refused',
    uncertain: 'uncertain',
  };

  function render(s) {
    const t = s.totals;
    const labels = s.labels ?? { fields: {}, values: {} };
    document.getElementById('campaign-state').textContent =
      `Questionnaire ${s.instrument}${s.anonymous ? ' (anonymous mode)' : ''}${
        s.closedAt ? `, closed on ${when(s.closedAt)}` : ''
      }; response rate ${
        t.responseRate === null ? '–' : `${(100 * t.responseRate).toFixed(1)} %`
      } of those invited; as of ${when(s.generatedAt)}.`;
    const totals = document.querySelector('#totals tbody');
    totals.replaceChildren();
    for (const [key, label] of STEPS) {
      const share = document.createElement('span');
      share.append(bar(t[key], t.population), ` ${pct(t[key], t.population)}`);
      totals.appendChild(row([label, t[key], share], true));
    }
    document.getElementById('others').textContent =
      `Opted out ${t.optedOut}; undeliverable ${t.undeliverable}; erased ${t.erased}.`;

    const rounds = document.querySelector('#rounds tbody');
    rounds.replaceChildren();
    for (const r of s.rounds) {
      const states = Object.entries(r.states)
        .map(([k, v]) => `${STATES[k] ?? k} ${v}`)
        .join(', ');
      rounds.appendChild(row([roundName(r.round), r.finished ? 'yes' : 'no', states || '–'], true));
    }

    const strata = document.getElementById('strata');
    strata.replaceChildren();
    const fields = Object.keys(s.byStratum);
    if (fields.length === 0) strata.appendChild(el('p', 'No strata were imported with the population.'));
    for (const field of fields) {
      const table = el('table', undefined, { class: 'stratum' });
      table.appendChild(el('caption', labels.fields[field]?.[lang] ?? field));
      const head = document.createElement('tr');
      for (const h of [
        'Value',
        'Population',
        'Invited',
        'Opened',
        'Started',
        'Completed',
        'Completed / invited',
      ])
        head.appendChild(el('th', h, { scope: 'col' }));
      table.appendChild(el('thead')).appendChild(head);
      const body = table.appendChild(el('tbody'));
      for (const v of s.byStratum[field]) {
        const rate = document.createElement('span');
        rate.append(bar(v.completed, v.invited), ` ${pct(v.completed, v.invited)}`);
        body.appendChild(
          row(
            [
              labels.values[field]?.[v.value]?.[lang] ?? (v.value === '(none)' ? 'No value' : v.value),
              v.population,
              v.invited,
              v.opened,
              v.started,
              v.completed,
              rate,
            ],
            true,
          ),
        );
      }
      strata.appendChild(table);
    }

    const days = document.querySelector('#days tbody');
    days.replaceChildren();
    for (const d of s.overTime)
      days.appendChild(row([dayOf(d.date), d.invited, d.opened, d.started, d.completed], true));
    if (s.overTime.length === 0) days.appendChild(row(['–', 0, 0, 0, 0], true));
  }

  async function load() {
    const me = await fetch('/api/auth/me');
    if (!me.ok) {
      location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
      return;
    }
    const who = await me.json();
    document.getElementById('who').textContent = `${who.user.email} (${who.user.role})`;
    const survey = new URLSearchParams(location.search).get('instrument') || 'cairnet';
    const res = await fetch(`/api/admin/campaign/status?instrument=${encodeURIComponent(survey)}`);
    if (!res.ok) {
      document.getElementById('campaign-state').textContent = `The status could not be read (${res.status}).`;
      return;
    }
    render(await res.json());
  }
  load();
})();
