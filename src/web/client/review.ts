// The association review page: uncertain matches and candidate groups, most respondents first,
// each decision showing how many respondents it moves; a search over the whole registry to accept
// a mention (or a whole group) into any entry; the decisions by entry, each with an undo button.
// Every text from the server is set with textContent, never as HTML.
import { REVIEW_SCRIPT_TEXT } from './lib/review-text.js';

/** A decision as the page posts it (src/associations/decision.ts; a new entry is named only). */
interface Decision {
  kind: 'accept' | 'reject' | 'merge' | 'split' | 'create' | 'alias';
  mention?: string;
  mentions?: string[];
  entryId?: string;
  entry?: { id: string; name: string };
}

/** A registry entry (GET /api/admin/associations/registry). */
interface RegistryEntry {
  id: string;
  name: string;
  acronyms: string[];
  aliases: string[];
}
/** GET /api/admin/associations/review */
interface Uncertain {
  mention: string;
  respondents: number;
  match: { id: string; name: string; score: number };
}
interface Group {
  group: string;
  respondents: number;
  mentions: { mention: string; respondents: number }[];
}
interface Review {
  distinct: number;
  uncertain: Uncertain[];
  groups: Group[];
  mostCited: { label: string; responses: number }[];
}
/** GET /api/admin/associations/decisions (one item). */
interface StoredDecision {
  id: string;
  at: string;
  userEmail?: string | null;
  undoneAt?: string | null;
  undoneByEmail?: string | null;
  decision: Decision;
}

const main = document.querySelector<HTMLElement>('main.review');
const fr = main?.dataset.lang === 'fr';
const T = REVIEW_SCRIPT_TEXT[fr ? 'fr' : 'en'];
let csrf = '';
let registry: RegistryEntry[] = [];
const $ = (id: string) => document.getElementById(id)!;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: unknown): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = String(text);
  return e;
};
const status = (text: string) => {
  $('status').textContent = text;
};
/** Lower case, no accents, no punctuation: how the search compares names. */
const fold = (s: unknown) =>
  String(s)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

async function send(method: string, url: string, body?: Decision): Promise<boolean> {
  const res = await fetch(url, {
    method,
    headers: { 'x-csrf-token': csrf, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) {
    const err = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    status(`${T.notSaved}: ${err.code ?? res.status} ${err.message ?? ''}`);
    return false;
  }
  return true;
}

async function decide(decisions: Decision | Decision[]): Promise<void> {
  for (const d of Array.isArray(decisions) ? decisions : [decisions]) {
    if (!(await send('POST', '/api/admin/associations/decisions', d))) return load();
  }
  status(`${T.saved}: ${T.kinds[(Array.isArray(decisions) ? decisions[0]! : decisions).kind] ?? ''}`);
  await load();
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

/** Registry entries whose name, acronyms or other names hold every word typed. */
function searchRegistry(query: string): RegistryEntry[] {
  const words = fold(query).split(' ').filter(Boolean);
  if (words.length === 0) return [];
  const hits: { e: RegistryEntry; rank: number }[] = [];
  for (const e of registry) {
    const forms = [e.name, ...e.acronyms, ...e.aliases].map(fold);
    const all = forms.join(' ');
    if (!words.every((w) => all.includes(w))) continue;
    const exact = forms.some((f) => f === words.join(' '))
      ? 0
      : forms.some((f) => f.startsWith(words[0]!))
        ? 1
        : 2;
    hits.push({ e, rank: exact });
    if (hits.length > 400) break;
  }
  return hits
    .sort((a, b) => a.rank - b.rank || a.e.name.localeCompare(b.e.name))
    .slice(0, 8)
    .map((h) => h.e);
}

let pickers = 0;
/** A search field over the whole registry (combobox: arrows, Enter, Escape); calls onPick(entry). */
function entryPicker(choose: (e: RegistryEntry) => void): HTMLDivElement {
  let chosen = false;
  const onPick = (e: RegistryEntry) => {
    if (chosen) return; // one decision per search, however many keys or clicks follow
    chosen = true;
    input.disabled = true;
    choose(e);
  };
  const id = `picker-${++pickers}`;
  const box = el('div');
  box.className = 'picker';
  const input = el('input');
  input.type = 'search';
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-label', T.search);
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', id);
  input.placeholder = T.search;
  const list = el('ul');
  list.id = id;
  list.setAttribute('role', 'listbox');
  list.hidden = true;
  let hits: RegistryEntry[] = [];
  let active = -1;
  const show = () => {
    list.replaceChildren(
      ...hits.map((e, i) => {
        const li = el('li', `${e.name}${e.acronyms.length ? ` (${e.acronyms.join(', ')})` : ''} · ${e.id}`);
        li.id = `${id}-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', String(i === active));
        li.addEventListener('mousedown', (ev) => {
          ev.preventDefault();
          onPick(e);
        });
        return li;
      }),
    );
    if (hits.length === 0 && input.value.trim()) list.append(el('li', T.noResult));
    list.hidden = !input.value.trim();
    input.setAttribute('aria-expanded', String(!list.hidden));
    if (active >= 0) input.setAttribute('aria-activedescendant', `${id}-${active}`);
    else input.removeAttribute('aria-activedescendant');
  };
  input.addEventListener('input', () => {
    hits = searchRegistry(input.value);
    active = hits.length ? 0 : -1;
    show();
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' && hits.length) active = (active + 1) % hits.length;
    else if (ev.key === 'ArrowUp' && hits.length) active = (active - 1 + hits.length) % hits.length;
    else if (ev.key === 'Enter' && hits[active]) onPick(hits[active]!);
    else if (ev.key === 'Escape') {
      input.value = '';
      hits = [];
      active = -1;
    } else return;
    ev.preventDefault();
    show();
  });
  box.append(input, list);
  return box;
}

/** A button that opens a registry search in its place. */
function pickerButton(label: string, onPick: (e: RegistryEntry) => void): HTMLSpanElement {
  const holder = el('span');
  holder.append(
    button(label, () => {
      const picker = entryPicker(onPick);
      holder.replaceChildren(picker);
      picker.querySelector('input')!.focus();
    }),
  );
  return holder;
}

function uncertainRow(u: Uncertain): HTMLTableRowElement {
  const tr = el('tr');
  tr.append(el('td', u.mention), el('td', u.respondents), el('td', `${u.match.name} (${u.match.id})`));
  tr.append(el('td', u.match.score.toFixed(2)));
  const td = el('td');
  const n = u.respondents;
  td.append(
    button(T.moves(T.accept, n), () => decide({ kind: 'accept', mention: u.mention, entryId: u.match.id })),
    button(T.reject, () => decide({ kind: 'reject', mention: u.mention, entryId: u.match.id })),
    button(T.moves(T.alias, n), () => decide({ kind: 'alias', mention: u.mention, entryId: u.match.id })),
    pickerButton(T.other, (e) => decide({ kind: 'accept', mention: u.mention, entryId: e.id })),
  );
  tr.append(td);
  return tr;
}

function groupRow(g: Group, groups: Group[]): HTMLTableRowElement {
  const tr = el('tr');
  const list = el('ul');
  for (const m of g.mentions) {
    const li = el('li', `${m.mention} (${T.resp(m.respondents)})`);
    if (g.mentions.length > 1) {
      li.append(
        ' ',
        button(T.moves(T.split, m.respondents), () => decide({ kind: 'split', mentions: [m.mention] })),
      );
    }
    list.append(li);
  }
  const all = g.mentions.map((m) => m.mention);
  const td = el('td');
  td.append(
    pickerButton(T.moves(T.acceptAll, g.respondents), (e) =>
      decide({ kind: 'accept', mentions: all, entryId: e.id }),
    ),
    button(T.moves(T.create, g.respondents), () => {
      const name = window.prompt(T.newName, all[0] ?? '');
      if (!name) return;
      const id = `N${Date.now().toString(36).toUpperCase()}`;
      decide({ kind: 'create', entry: { id, name }, mentions: all });
    }),
  );
  const select = el('select');
  select.setAttribute('aria-label', T.merge);
  select.append(el('option', T.merge));
  for (const other of groups) {
    if (other === g) continue;
    const o = el('option', `${other.mentions[0]?.mention ?? other.group} (${T.resp(other.respondents)})`);
    o.value = other.mentions[0]?.mention ?? '';
    select.append(o);
  }
  select.addEventListener('change', () => {
    // each mention of this group joins the other group: one decision per mention, each undoable
    if (select.value) decide(all.map((m) => ({ kind: 'merge', mentions: [select.value, m] })));
  });
  td.append(select);
  const cell = el('td');
  cell.append(list);
  tr.append(cell, el('td', g.respondents), td);
  return tr;
}

/** The decisions by entry (merges and splits apart), newest first, each with its undo button. */
function history(decisions: StoredDecision[]): HTMLDetailsElement[] {
  const names = new Map(registry.map((e) => [e.id, e.name]));
  const byEntry = new Map<string, StoredDecision[]>();
  for (const d of [...decisions].reverse()) {
    const dec = d.decision;
    const entry = dec.kind === 'create' ? dec.entry!.id : dec.entryId;
    if (dec.kind === 'create') names.set(entry!, names.get(entry!) ?? dec.entry!.name);
    const k = entry ?? '';
    if (!byEntry.has(k)) byEntry.set(k, []);
    byEntry.get(k)!.push(d);
  }
  const out: HTMLDetailsElement[] = [];
  for (const [entry, list] of byEntry) {
    const details = el('details');
    details.open = true;
    details.append(el('summary', entry ? `${names.get(entry) ?? entry} (${entry})` : T.groupsDecisions));
    const ul = el('ul');
    for (const d of list) {
      const dec = d.decision;
      const mentions = dec.mention !== undefined ? [dec.mention] : (dec.mentions ?? []);
      const li = el('li');
      const text = `${new Date(d.at).toLocaleString(fr ? 'fr-FR' : 'en-GB')} · ${d.userEmail ?? T.cli} · ${T.kinds[dec.kind]}${fr ? ' :' : ':'} ${mentions.map((m) => `« ${m} »`).join(', ')}`;
      li.append(el('span', text));
      if (d.undoneAt) {
        li.className = 'undone';
        li.append(
          ' — ',
          el(
            'span',
            T.undoneBy(d.undoneByEmail ?? T.cli, new Date(d.undoneAt).toLocaleString(fr ? 'fr-FR' : 'en-GB')),
          ),
        );
      } else {
        li.append(
          ' ',
          button(T.undo, async () => {
            if (await send('DELETE', `/api/admin/associations/decisions/${encodeURIComponent(d.id)}`)) {
              status(T.undone);
              await load();
            }
          }),
        );
      }
      ul.append(li);
    }
    details.append(ul);
    out.push(details);
  }
  return out;
}

async function load(): Promise<void> {
  const [res, reg, dec] = await Promise.all([
    fetch('/api/admin/associations/review?limit=300'),
    fetch('/api/admin/associations/registry'),
    fetch('/api/admin/associations/decisions'),
  ]);
  if (res.status === 401) {
    window.location.href = '/login';
    return;
  }
  const data = (await res.json()) as Review;
  registry = ((await reg.json()) as { entries: RegistryEntry[] }).entries;
  const decisions = ((await dec.json()) as { decisions: StoredDecision[] }).decisions;
  $('summary').textContent = T.summary(data.distinct, data.uncertain.length, data.groups.length);
  $('uncertain')
    .querySelector('tbody')!
    .replaceChildren(...data.uncertain.map(uncertainRow));
  $('groups')
    .querySelector('tbody')!
    .replaceChildren(...data.groups.map((g) => groupRow(g, data.groups)));
  $('cited').replaceChildren(...data.mostCited.map((c) => el('li', `${c.label} (${T.resp(c.responses)})`)));
  $('history').replaceChildren(...history(decisions));
  main!.dataset.loaded = String(Number(main!.dataset.loaded ?? 0) + 1);
}

(async () => {
  const me = await fetch('/api/auth/me');
  if (!me.ok) {
    window.location.href = '/login';
    return;
  }
  csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
  await load();
})();
