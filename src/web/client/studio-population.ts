// The population upload: a dry run shows the columns and the fields they fill (changeable),
// the problems by row and what would change; "store" sends the same file with the same mapping.
import { byId, el } from './lib/dom.js';
import { studio } from './lib/studio-api.js';

/** The import report (`cairnet population import --json`), or the part of it an error carries. */
interface PopulationReport {
  mapping: Record<string, string>;
  ignoredColumns: string[];
  rows: number;
  added?: number;
  updated?: number;
  unchanged?: number;
  skippedErased?: number;
}
interface Problem {
  line: number;
  column: string;
  message: string;
}

const { messages: m, request, say } = studio();
const form = byId<HTMLFormElement>('population-upload');
const out = byId('p-message');
const report = byId('p-report');
const fields = m.fields!.split(',');
let map: string | undefined;
const send = (dryRun: boolean) => {
  const f = new FormData(form);
  if (map) f.set('map', map);
  if (dryRun) f.set('dryRun', 'true');
  return request('POST', '/api/admin/population/import', f);
};
const columnsOf = (r: PopulationReport) => [...Object.keys(r.mapping), ...r.ignoredColumns];
const summary = (r: PopulationReport) =>
  m
    .summary!.replace('{added}', String(r.added))
    .replace('{updated}', String(r.updated))
    .replace('{unchanged}', String(r.unchanged))
    .replace('{skipped}', String(r.skippedErased));
function mappingTable(r: PopulationReport): HTMLTableElement {
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
function show(r: PopulationReport, problems: Problem[], mappingOnly?: boolean): void {
  report.replaceChildren();
  report.appendChild(el('h3', `${m.mapping} (${r.rows} ${m.rows})`));
  report.appendChild(mappingTable(r));
  const recheck = el('button', m.recheck, { type: 'button' });
  recheck.addEventListener('click', () => {
    map = [...report.querySelectorAll<HTMLSelectElement>('select[data-column]')]
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
  report.appendChild(el('p', summary(r)));
  const store = el('button', m.store, { type: 'button' });
  store.addEventListener('click', async () => {
    const s = await send(false);
    if (!s.ok) return say(out, `${m.failed} ${s.json?.message ?? s.status}`, true);
    say(out, `${m.stored} ${summary(s.json as unknown as PopulationReport)}`);
    store.disabled = true;
  });
  report.appendChild(store);
}
async function check(): Promise<void> {
  say(out, '');
  const r = await send(true);
  if (r.ok) return show(r.json as unknown as PopulationReport, []);
  const details = r.json?.details as
    | (PopulationReport & { problems: Problem[]; columns?: unknown })
    | undefined;
  if (r.json?.code === 'CAIRNET_POPULATION_INVALID') return show(details!, details!.problems);
  report.replaceChildren();
  say(out, `${m.failed} ${r.json?.message ?? r.status}`, true);
  const columns = details?.columns;
  if (r.json?.code === 'CAIRNET_POPULATION_MAPPING_INVALID' && Array.isArray(columns)) {
    // No column could be matched (or a mapping was wrong): choose the fields here.
    show({ mapping: {}, ignoredColumns: columns, rows: details!.rows }, [], true);
  }
}
form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  map = undefined;
  check();
});
form.querySelector('input[type=file]')!.addEventListener('change', () => {
  map = undefined;
});
