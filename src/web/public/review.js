// The association review page: uncertain matches and candidate groups, with the reviewer's
// decisions. Every text from the server is set with textContent, never as HTML.
(() => {
  let csrf = '';
  const $ = (id) => document.getElementById(id);
  const el = (tag, text) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = String(text);
    return e;
  };
  const status = (text) => {
    $('status').textContent = text;
  };

  async function decide(decision) {
    const res = await fetch('/api/admin/associations/decisions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(decision),
    });
    if (!res.ok) {
      const err = await res.json().catch(() => ({}));
      status(`Not saved: ${err.message ?? res.status}`);
      return;
    }
    status(`Saved: ${decision.kind}`);
    await load();
  }

  function button(label, onClick) {
    const b = el('button', label);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  function uncertainRow(u) {
    const tr = el('tr');
    tr.append(
      el('td', u.mention),
      el('td', u.count),
      el('td', u.match ? `${u.match.name} (${u.match.id})` : ''),
    );
    tr.append(el('td', u.match ? u.match.score.toFixed(2) : ''));
    const td = el('td');
    td.append(
      button('Accept', () => decide({ kind: 'accept', mention: u.mention, entryId: u.match.id })),
      button('Reject', () => decide({ kind: 'reject', mention: u.mention, entryId: u.match.id })),
    );
    tr.append(td);
    return tr;
  }

  function groupRow(g, groups) {
    const tr = el('tr');
    const list = el('ul');
    for (const m of g.mentions) {
      const li = el('li', `${m.mention} (${m.count})`);
      if (g.mentions.length > 1) {
        li.append(
          ' ',
          button('Split out', () => decide({ kind: 'split', mentions: [m.mention] })),
        );
      }
      list.append(li);
    }
    const first = g.mentions[0]?.mention ?? '';
    const td = el('td');
    td.append(
      button('Create entry', () => {
        const name = window.prompt('Name of the new registry entry', first);
        if (!name) return;
        const id = `N${Date.now().toString(36).toUpperCase()}`;
        decide({ kind: 'create', entry: { id, name }, mentions: g.mentions.map((m) => m.mention) });
      }),
    );
    const select = el('select');
    select.setAttribute('aria-label', 'Merge with');
    select.append(el('option', 'Merge with…'));
    for (const other of groups) {
      if (other === g) continue;
      const o = el('option', other.mentions[0]?.mention ?? other.group);
      o.value = other.mentions[0]?.mention ?? '';
      select.append(o);
    }
    select.addEventListener('change', () => {
      if (select.value) decide({ kind: 'merge', mentions: [select.value, first] });
    });
    td.append(select);
    const cell = el('td');
    cell.append(list);
    tr.append(cell, el('td', g.count), td);
    return tr;
  }

  async function load() {
    const res = await fetch('/api/admin/associations/review?limit=300');
    if (res.status === 401) {
      window.location.href = '/login';
      return;
    }
    const data = await res.json();
    $('summary').textContent =
      `${data.distinct} distinct associations cited; ${data.uncertain.length} uncertain matches and ${data.groups.length} candidate groups to review.`;
    const ub = $('uncertain').querySelector('tbody');
    ub.replaceChildren(...data.uncertain.map(uncertainRow));
    const gb = $('groups').querySelector('tbody');
    gb.replaceChildren(...data.groups.map((g) => groupRow(g, data.groups)));
    $('cited').replaceChildren(...data.mostCited.map((c) => el('li', `${c.label} (${c.responses})`)));
  }

  (async () => {
    const me = await fetch('/api/auth/me');
    if (!me.ok) {
      window.location.href = '/login';
      return;
    }
    csrf = (await me.json()).csrfToken;
    await load();
  })();
})();
