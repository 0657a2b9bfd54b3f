import { escapeHtml, page } from '../../report/html.js';

export type Lang = 'fr' | 'en';

export function langOf(q: unknown): Lang {
  return (q as { lang?: string } | undefined)?.lang === 'en' ? 'en' : 'fr';
}

const ALL = ['admin', 'analyst', 'press', 'reviewer'] as const;
const DATA = ['admin', 'analyst'] as const;
const ADMIN = ['admin'] as const;

/**
 * Every page of the survey team, in the navigation's order (a survey's life), each with the roles
 * that may open it: the navigation shows a member the pages their role opens.
 */
export const NAV = [
  ['home', '/admin', { fr: 'Accueil', en: 'Home' }, ALL],
  ['questionnaires', '/admin/questionnaires', { fr: 'Questionnaires', en: 'Questionnaires' }, ADMIN],
  ['versions', '/admin/versions', { fr: 'Versions', en: 'Versions' }, ALL],
  ['population', '/admin/population', { fr: 'Population', en: 'Population' }, ADMIN],
  ['messages', '/admin/campaign/messages', { fr: 'Messages', en: 'Messages' }, ADMIN],
  ['sending', '/admin/sending', { fr: 'Envois', en: 'Sending' }, ADMIN],
  ['campaign', '/admin/campaign', { fr: 'Suivi de la campagne', en: 'Campaign progress' }, DATA],
  ['responses', '/admin/responses', { fr: 'Réponses', en: 'Responses' }, DATA],
  ['plan', '/admin/plan', { fr: 'Plan d’analyse', en: 'Analysis plan' }, DATA],
  ['dashboard', '/admin/dashboard', { fr: 'Résultats', en: 'Results' }, ['admin', 'analyst', 'press']],
  ['associations', '/admin/associations', { fr: 'Associations', en: 'Associations' }, ['admin', 'reviewer']],
  ['publish', '/admin/publish', { fr: 'Publication', en: 'Publishing' }, ADMIN],
  ['press', '/admin/press', { fr: 'Presse', en: 'Press' }, ['admin', 'press']],
  ['team', '/admin/team', { fr: 'Équipe', en: 'Team' }, ADMIN],
  ['audit', '/admin/audit-log', { fr: 'Journal d’audit', en: 'Audit log' }, ADMIN],
] as const;

export type StudioPage = (typeof NAV)[number][0];

export const COMMON = {
  fr: { nav: 'Pages de l’équipe', other: 'English', logout: 'Se déconnecter', skip: 'Aller au contenu' },
  en: { nav: 'Survey team pages', other: 'Français', logout: 'Log out', skip: 'Skip to content' },
} as const;

/**
 * One layout for every studio page: a skip link, the title, the navigation (the current page
 * marked), the language switch, who is logged in and a log-out button; the page's own messages
 * for its script travel in `data-messages` (JSON), never in an inline script.
 */
export function studioPage(p: {
  lang: Lang;
  active: StudioPage;
  title: string;
  path: string;
  /** The page's query: the language switch keeps every parameter but `lang` (`?instrument=`, filters). */
  query?: unknown;
  who: string;
  /** The member's role: the navigation then lists only the pages it opens. */
  role?: string;
  body: string;
  styles?: string[];
  messages?: Record<string, string>;
  scripts?: string[];
  /** A class and `data-*` attributes of <main>, for the page's script and styles. */
  main?: { className?: string; data?: Record<string, string> };
  /** The page's <h1> when it differs from the title (default: the title). */
  heading?: string;
}): string {
  const c = COMMON[p.lang];
  const other = p.lang === 'fr' ? 'en' : 'fr';
  const nav = NAV.filter(
    ([, , , roles]) => p.role === undefined || (roles as readonly string[]).includes(p.role),
  )
    .map(([id, href, label]) => {
      const current = id === p.active ? ' aria-current="page"' : '';
      return `<li><a href="${href}?lang=${p.lang}"${current}>${escapeHtml(label[p.lang])}</a></li>`;
    })
    .join('');
  return page({
    lang: p.lang,
    title: `Cairnet : ${p.title}`.replace(' : ', p.lang === 'fr' ? ' : ' : ': '),
    styles: [...(p.styles ?? []), '/assets/studio.css'],
    scripts: ['/assets/studio.js', ...(p.scripts ?? [])],
    body: `<a class="skip" href="#main">${c.skip}</a>
<header class="bar"><p class="brand">Cairnet</p>
  <p class="who"><span>${escapeHtml(p.who)}</span>
  <a href="${escapeHtml(switchHref(p.path, p.query, other))}" lang="${other}" hreflang="${other}">${c.other}</a>
  <button type="button" id="logout">${c.logout}</button></p>
</header>
<nav class="studio-nav" aria-label="${c.nav}"><ul>${nav}</ul></nav>
<main id="main"${mainAttributes(p.main)} data-lang="${p.lang}" data-messages="${escapeHtml(JSON.stringify(p.messages ?? {}))}">
<h1>${escapeHtml(p.heading ?? p.title)}</h1>
${p.body}
</main>`,
  });
}

/** The same page in the other language: its path and query, `lang` alone changed. */
export function switchHref(path: string, query: unknown, lang: Lang): string {
  const q = new URLSearchParams();
  if (query && typeof query === 'object')
    for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
      if (k === 'lang' || v === undefined || v === null) continue;
      for (const one of Array.isArray(v) ? v : [v]) q.append(k, String(one));
    }
  q.set('lang', lang);
  return `${path}?${q}`;
}

function mainAttributes(m: { className?: string; data?: Record<string, string> } | undefined): string {
  if (!m) return '';
  const cls = m.className ? ` class="${escapeHtml(m.className)}"` : '';
  const data = Object.entries(m.data ?? {})
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return cls + data;
}

/** A date and time in the team's time zone (`CAIRNET_TIME_ZONE`, else Paris), in the page's language. */
export function localTime(iso: string | null, lang: Lang): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: teamTimeZone(),
  });
}

/** The team's time zone (`CAIRNET_TIME_ZONE`, else Paris): a page's script formats its dates in it too. */
export function teamTimeZone(): string {
  return process.env.CAIRNET_TIME_ZONE || 'Europe/Paris';
}

/** The survey chooser of a page scoped to one survey (`?instrument=`), keeping the language. */
export function surveyChoice(action: string, lang: Lang, names: readonly string[], selected: string): string {
  const t = lang === 'fr' ? { survey: 'Enquête', show: 'Afficher' } : { survey: 'Survey', show: 'Show' };
  const options = [...new Set([selected, ...names])]
    .map(
      (n) => `<option value="${escapeHtml(n)}"${n === selected ? ' selected' : ''}>${escapeHtml(n)}</option>`,
    )
    .join('');
  return `<form method="get" action="${escapeHtml(action)}" class="survey-choice"><input type="hidden" name="lang" value="${lang}">
<label for="survey">${t.survey}</label><select id="survey" name="instrument">${options}</select> <button type="submit">${t.show}</button></form>`;
}

/** The survey a page shows: the one asked for when stored, else cairnet when stored, else the first. */
export function chosenSurvey(names: readonly string[], asked: unknown): string {
  if (typeof asked === 'string' && names.includes(asked)) return asked;
  return names.includes('cairnet') ? 'cairnet' : (names[0] ?? 'cairnet');
}
