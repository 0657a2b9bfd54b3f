// The population upload: a dry run shows the columns and the fields they fill (changeable),
// the problems by row and what would change; "store" sends the same file with the same mapping.
(() => {
  const { messages: m, request, say } = window.cairnetStudio;
  const form = document.getElementById('population-upload');
  const out = document.getElementById('p-message');
  const report = document.getElementById('p-report');
  const fields = m.fields.split(',');
  let map;
  const el = (tag, text, attrs) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = String(text);
    for (const [k, v] of Object.entries(attrs ?? {})) e.setAttribute(k, v);
    return e;
  };
  const send = (dryRun) => {
    const f = new FormData(form);
    if (map) f.set('map', map);
    if (dryRun) f.set('dryRun', 'true');
    return request('POST', '/api/admin/population/import', f);
  };
  const columnsOf = (r) => [...Object.keys(r.mapping), ...r.ignoredColumns];
  function mappingTable(r) {
    const table = el('table');
    const head = table.appendChild(el('thead')).appendChild(el('tr'));
    head.append(el('th', m.column, { scope: 'col' }), el('th', m.field, { scope: 'col' }));
    const body = table.appendChild(el('tbody'));
    columnsOf(r).forEach((column, i) => {
      const tr = body.appendChild(el('tr'));
      tr.appendChild(el('th', column, { scope: 'row' }));
      const select = el('select', undefined, {
        id: `map-${i}`,
        'data-column': column,
        'aria-label': `${m.field}: ${column}`,
      });
      select.appendChild(el('option', m.ignore, { value: '' }));
      const current = r.mapping[column] ?? '';
      const options = current && !fields.includes(current) ? [...fields, current] : fields;
      for (const f of options) {
        const o = el('option', f, { value: f });
        if (f === current) o.selected = true;
        select.appendChild(o);
      }
      tr.appendChild(el('td')).appendChild(select);
    });
    return table;
  }
  function show(r, problems, mappingOnly) {
    report.replaceChildren();
    report.appendChild(el('h3', `${m.mapping} (${r.rows} ${m.rows})`));
    report.appendChild(mappingTable(r));
    const recheck = el('button', m.recheck, { type: 'button' });
    recheck.addEventListener('click', () => {
      map = [...report.querySelectorAll('select[data-column]')]
        .filter((s) => s.value)
        .map((s) => `${s.dataset.column}=${s.value}`)
        .join(',');
      check();
    });
    report.appendChild(recheck);
    if (mappingOnly) return;
    if (problems.length) {
      report.appendChild(el('h3', m.problems));
      const ul = report.appendChild(el('ul'));
      for (const p of problems) ul.appendChild(el('li', `${m.line} ${p.line}, ${p.column}: ${p.message}`));
      return;
    }
    report.appendChild(
      el(
        'p',
        m.summary
          .replace('{added}', r.added)
          .replace('{updated}', r.updated)
          .replace('{unchanged}', r.unchanged)
          .replace('{skipped}', r.skippedErased),
      ),
    );
    const store = el('button', m.store, { type: 'button' });
    store.addEventListener('click', async () => {
      const s = await send(false);
      if (!s.ok) return say(out, `${m.failed} ${s.json?.message ?? s.status}`, true);
      say(
        out,
        `${m.stored} ${m.summary.replace('{added}', s.json.added).replace('{updated}', s.json.updated).replace('{unchanged}', s.json.unchanged).replace('{skipped}', s.json.skippedErased)}`,
      );
      store.disabled = true;
    });
    report.appendChild(store);
  }
  async function check() {
    say(out, '');
    const r = await send(true);
    if (r.ok) return show(r.json, []);
    if (r.json?.code === 'CAIRNET_POPULATION_INVALID') return show(r.json.details, r.json.details.problems);
    report.replaceChildren();
    say(out, `${m.failed} ${r.json?.message ?? r.status}`, true);
    const columns = r.json?.details?.columns;
    if (r.json?.code === 'CAIRNET_POPULATION_MAPPING_INVALID' && Array.isArray(columns)) {
      // No column could be matched (or a mapping was wrong): choose the fields here.
      show({ mapping: {}, ignoredColumns: columns, rows: r.json.details.rows }, [], true);
    }
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    map = undefined;
    check();
  });
  form.querySelector('input[type=file]').addEventListener('change', () => {
    map = undefined;
  });
})();
