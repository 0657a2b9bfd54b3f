import type { FastifyInstance } from 'fastify';
import { isCairnetError } from '../../errors.js';
import { escapeHtml } from '../../report/html.js';
import type { Store } from '../../store/open-store.js';
import { listAudit } from '../../store/repositories/audit-log.js';
import { listTeam } from '../../store/repositories/team.js';
import { ROLES, recordAudit } from '../../store/repositories/users.js';
import { langOf, localTime, studioPage } from './layout.js';

const ROLE_LABELS = {
  fr: {
    admin: 'Administration',
    analyst: 'Analyse',
    press: 'Presse',
    reviewer: 'Relecture des associations',
  },
  en: { admin: 'Admin', analyst: 'Analyst', press: 'Press office', reviewer: 'Association reviewer' },
} as const;

const TEAM = {
  fr: {
    title: 'Équipe',
    email: 'Adresse e-mail',
    role: 'Rôle',
    state: 'État',
    actions: 'Actions',
    enabled: 'Actif',
    disabled: 'Désactivé',
    disable: 'Désactiver',
    enable: 'Réactiver',
    reset: 'Lien de mot de passe',
    change: 'Changer le rôle',
    add: 'Ajouter un membre',
    addHint: 'Sans mot de passe, un lien à usage unique est donné à transmettre au nouveau membre.',
    password: 'Mot de passe (facultatif, 10 caractères au moins)',
    submit: 'Ajouter',
    roleOf: 'Rôle de',
  },
  en: {
    title: 'Team',
    email: 'E-mail address',
    role: 'Role',
    state: 'State',
    actions: 'Actions',
    enabled: 'Enabled',
    disabled: 'Disabled',
    disable: 'Disable',
    enable: 'Enable',
    reset: 'Password link',
    change: 'Change the role',
    add: 'Add a member',
    addHint: 'Without a password, a one-time link is given to pass on to the new member.',
    password: 'Password (optional, at least 10 characters)',
    submit: 'Add',
    roleOf: 'Role of',
  },
} as const;

const TEAM_MESSAGES = {
  fr: { done: 'C’est fait.', link: 'Lien à usage unique à transmettre :', failed: 'Refusé :' },
  en: { done: 'Done.', link: 'One-time link to pass on:', failed: 'Refused:' },
};

const AUDIT = {
  fr: {
    title: 'Journal d’audit',
    action: 'Action (ou famille : export)',
    since: 'Depuis le',
    limit: 'Nombre d’entrées',
    filter: 'Filtrer',
    at: 'Quand',
    who: 'Qui',
    target: 'Cible',
    detail: 'Détail',
    none: 'Aucune entrée.',
    cli: 'ligne de commande',
  },
  en: {
    title: 'Audit log',
    action: 'Action (or family: export)',
    since: 'Since',
    limit: 'Number of entries',
    filter: 'Filter',
    at: 'When',
    who: 'Who',
    target: 'Target',
    detail: 'Detail',
    none: 'No entry.',
    cli: 'command line',
  },
} as const;

/** The team page (`/admin/team`) and the audit log page (`/admin/audit-log`), admins only. */
export function teamAndAuditPages(app: FastifyInstance, deps: { store: Store }): void {
  const { db } = deps.store;

  app.get('/admin/team', { config: { roles: ['admin'] } }, async (req, reply) => {
    const lang = langOf(req.query);
    const t = TEAM[lang];
    const roleOptions = (selected: string) =>
      ROLES.map(
        (r) => `<option value="${r}"${r === selected ? ' selected' : ''}>${ROLE_LABELS[lang][r]}</option>`,
      ).join('');
    const rows = (await listTeam(db))
      .map(
        (m) => `<tr data-user="${escapeHtml(m.id)}"><th scope="row">${escapeHtml(m.email)}</th>
<td><label class="visually-hidden" for="role-${escapeHtml(m.id)}">${t.roleOf} ${escapeHtml(m.email)}</label>
<select id="role-${escapeHtml(m.id)}" data-action="role">${roleOptions(m.role)}</select></td>
<td>${m.disabled ? t.disabled : t.enabled}</td>
<td><button type="button" data-action="${m.disabled ? 'enable' : 'disable'}">${m.disabled ? t.enable : t.disable}</button>
<button type="button" data-action="reset">${t.reset}</button></td></tr>`,
      )
      .join('\n');
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    return studioPage({
      lang,
      active: 'team',
      title: t.title,
      path: '/admin/team',
      who: req.session!.user.email,
      role: req.session!.user.role,
      query: req.query,
      scripts: ['/assets/studio-team.js'],
      messages: TEAM_MESSAGES[lang],
      body: `<p id="team-message" class="message" role="status" aria-live="polite"></p>
<section class="card table-wrap" aria-labelledby="members-h"><h2 id="members-h">${t.title}</h2>
<table id="team"><thead><tr><th scope="col">${t.email}</th><th scope="col">${t.role}</th><th scope="col">${t.state}</th><th scope="col">${t.actions}</th></tr></thead>
<tbody>${rows}</tbody></table></section>
<section class="card" aria-labelledby="add-h"><h2 id="add-h">${t.add}</h2><p>${t.addHint}</p>
<form id="add-member">
<label for="new-email">${t.email}</label><input id="new-email" name="email" type="email" required autocomplete="off">
<label for="new-role">${t.role}</label><select id="new-role" name="role">${roleOptions('analyst')}</select>
<label for="new-password">${t.password}</label><input id="new-password" name="password" type="password" minlength="10" autocomplete="new-password">
<button type="submit">${t.submit}</button></form></section>`,
    });
  });

  app.get<{ Querystring: { lang?: string; action?: string; since?: string; limit?: string } }>(
    '/admin/audit-log',
    { config: { roles: ['admin'] } },
    async (req, reply) => {
      const lang = langOf(req.query);
      const t = AUDIT[lang];
      const q = req.query;
      const action = q.action?.trim() || undefined;
      const since = q.since?.trim() || undefined;
      const limit = Number(q.limit ?? 100) || 100;
      let table: string;
      try {
        const entries = await listAudit(db, { action, since, limit });
        await recordAudit(db, {
          userId: req.session!.user.id,
          action: 'audit.view',
          detail: JSON.stringify({ action, since, limit }),
        });
        const rows = entries.map(
          (e) =>
            `<tr><td>${escapeHtml(localTime(e.at, lang))}</td><td>${escapeHtml(e.userEmail ?? (e.actor?.startsWith('cli:') ? `${t.cli} (${e.actor.slice(4)})` : '–'))}</td><td><code>${escapeHtml(e.action)}</code></td><td>${escapeHtml(e.target ?? '')}</td><td><code>${escapeHtml(e.detail ?? '')}</code></td></tr>`,
        );
        table = rows.length
          ? `<table><thead><tr><th scope="col">${t.at}</th><th scope="col">${t.who}</th><th scope="col">Action</th><th scope="col">${t.target}</th><th scope="col">${t.detail}</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`
          : `<p>${t.none}</p>`;
      } catch (e) {
        if (!isCairnetError(e)) throw e;
        reply.status(e.statusCode);
        table = `<p class="error" role="alert">${escapeHtml(e.message)}</p>`;
      }
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      return studioPage({
        lang,
        active: 'audit',
        title: t.title,
        path: '/admin/audit-log',
        who: req.session!.user.email,
        role: req.session!.user.role,
        query: req.query,
        body: `<form class="card filters" method="get" action="/admin/audit-log">
<input type="hidden" name="lang" value="${lang}">
<div><label for="f-action">${t.action}</label><input id="f-action" name="action" type="text" value="${escapeHtml(action ?? '')}"></div>
<div><label for="f-since">${t.since}</label><input id="f-since" name="since" type="date" value="${escapeHtml(since ?? '')}"></div>
<div><label for="f-limit">${t.limit}</label><input id="f-limit" name="limit" type="number" min="1" max="10000" value="${limit}"></div>
<button type="submit">${t.filter}</button></form>
<section class="card table-wrap" aria-label="${t.title}">${table}</section>`,
      });
    },
  );
}
