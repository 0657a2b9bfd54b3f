import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEXT } from '../../src/report/report-text.js';
import { buildApp } from '../../src/server/build-app.js';
import { REVIEW_TEXT } from '../../src/server/routes/associations.js';
import { NETWORK_TEXT } from '../../src/server/routes/network-page.js';
import { PRESS_MESSAGES, PRESS_PAGE } from '../../src/server/routes/press.js';
import { NO_RESULTS } from '../../src/server/routes/results.js';
import { HOME, LOGIN } from '../../src/server/studio/home-pages.js';
import { COMMON, NAV } from '../../src/server/studio/layout.js';
import { PLAN_MESSAGES, PLAN_PAGE } from '../../src/server/studio/plan-page.js';
import { T as PUBLISH } from '../../src/server/studio/publish-page.js';
import { T as VERSIONS } from '../../src/server/studio/questionnaire-versions.js';
import { C as CAMPAIGN, R as RESPONSES } from '../../src/server/studio/responses-campaign-pages.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { insertCompletedResponse } from '../../src/store/repositories/responses.js';
import { addUser, type Role } from '../../src/store/repositories/users.js';
import { DASHBOARD_SCRIPT_TEXT } from '../../src/web/client/lib/dashboard-text.js';
import { REVIEW_SCRIPT_TEXT } from '../../src/web/client/lib/review-text.js';
import { cairnetSurvey, neverMetAnswers, ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

const PASSWORD = 'a long enough password';
type Lang = 'fr' | 'en';

/** Every string of the studio's catalogues in one language (functions called with placeholders). */
function catalogue(lang: Lang): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown): void => {
    if (typeof v === 'string') out.add(v);
    else if (typeof v === 'function')
      for (const part of String(v('\uE000', 0, 0, '\uE000', '\uE000')).split(/\uE000|\d+/))
        out.add(part.trim());
    else if (v && typeof v === 'object') for (const x of Object.values(v)) add(x);
  };
  for (const t of [HOME, LOGIN, CAMPAIGN, RESPONSES, VERSIONS, PUBLISH, COMMON]) add(t[lang]);
  // the dashboard (with the report's words), the association review and network, the press page
  for (const t of [TEXT, REVIEW_TEXT, NETWORK_TEXT, PRESS_PAGE, PRESS_MESSAGES, NO_RESULTS]) add(t[lang]);
  // the words the dashboard's and the review's scripts write into their pages
  for (const t of [DASHBOARD_SCRIPT_TEXT, REVIEW_SCRIPT_TEXT, PLAN_PAGE, PLAN_MESSAGES]) add(t[lang]);
  for (const [, , label] of NAV) add(label[lang]);
  return out;
}

/** The other language's strings worth looking for: long enough, and not also a string of this one. */
function foreign(lang: Lang): string[] {
  const own = catalogue(lang);
  // language names ('English' in 'Preview (English)') are in every language's pages
  return [...catalogue(lang === 'fr' ? 'en' : 'fr')].filter(
    (s) => s.length >= 6 && !own.has(s) && s !== COMMON.fr.other && s !== COMMON.en.other,
  );
}

/** What a reader sees (and hears: labels), the language switch link (in the other language) left out. */
function visibleText(html: string): string {
  return (
    html
      .replace(/<script[\s\S]*?<\/script>|<code>[\s\S]*?<\/code>/g, ' ')
      // the team's own code (a plan's YAML in its editor, marked lang="zxx": not a language)
      .replace(/<textarea[^>]*lang="zxx"[^>]*>[\s\S]*?<\/textarea>/g, ' ')
      .replace(/<a [^>]*hreflang="[a-z]+"[^>]*>[^<]*<\/a>/g, ' ')
      .replace(/aria-label="([^"]*)"/g, '>$1<')
      .replace(/<[^>]+>/g, '\n')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
  );
}

for (const dialect of await availableDialects()) {
  describe(`${dialect}: the team's home, login, campaign and responses pages in French and English`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    const cookies = new Map<Role, string>();
    const ids: string[] = [];
    const get = (url: string, role?: Role) =>
      app.inject({ url, headers: role ? { cookie: cookies.get(role)! } : {} });

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await saveInstrument(t.store.db, 'cairnet', cairnetSurvey());
      for (const [i, data] of [neverMetAnswers(), ongoingFundedAnswers(), neverMetAnswers()].entries()) {
        const r = await insertCompletedResponse(t.store.db, {
          instrumentName: 'cairnet',
          instrumentVersion: 1,
          data,
          completedAt: `2026-03-0${i + 1}T10:00:00.000Z`,
        });
        ids.push(r.id);
      }
      app = await buildApp({ store: t.store });
      for (const role of ['admin', 'analyst', 'press', 'reviewer'] as const) {
        await addUser(t.store.db, { email: `${role}@example.org`, password: PASSWORD, role });
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `${role}@example.org`, password: PASSWORD },
        });
        cookies.set(role, String(res.headers['set-cookie']).split(';')[0]!);
      }
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    const PAGES: [string, Role | undefined][] = [
      ['/login', undefined],
      ['/admin', 'admin'],
      ['/admin/campaign', 'admin'],
      ['/admin/responses', 'analyst'],
      ['/admin/plan', 'analyst'],
      [`/admin/responses/ID`, 'analyst'],
      ['/admin/versions', 'reviewer'],
      ['/admin/publish', 'admin'],
      ['/admin/dashboard', 'analyst'],
      ['/admin/associations', 'reviewer'],
      ['/admin/associations/network', 'reviewer'],
      ['/admin/press', 'press'],
    ];

    it('writes every page in the language asked for, none of the other language’s strings in it', async () => {
      for (const lang of ['fr', 'en'] as const) {
        const leaks = foreign(lang);
        expect(leaks.length).toBeGreaterThan(50);
        for (const [path, role] of PAGES) {
          const url = `${path.replace('ID', ids[1]!)}?lang=${lang}`;
          const res = await get(url, role);
          expect(res.statusCode, url).toBe(200);
          expect(res.body, url).toContain(`<html lang="${lang}">`);
          const text = visibleText(res.body);
          // as words: the French 'Progression' holds no English 'Progress'
          const found = leaks.filter((s) =>
            new RegExp(`(^|[^\\p{L}])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(
              text,
            ),
          );
          expect(found, url).toEqual([]);
        }
      }
      // French without asking
      expect((await get('/login')).body).toContain('Se connecter');
      expect((await get('/admin', 'press')).body).toContain('Accueil de l’équipe');
    });

    it('gives every page one navigation, listing only the pages the role opens', async () => {
      const press = await get('/admin?lang=en', 'press');
      const nav = /<nav class="studio-nav"[\s\S]*?<\/nav>/.exec(press.body)![0];
      expect(nav).toContain('/admin/dashboard');
      expect(nav).toContain('/admin/press');
      expect(nav).not.toContain('/admin/team');
      expect(nav).not.toContain('/admin/responses');
      for (const [path, role] of PAGES.slice(1)) {
        const res = await get(path.replace('ID', ids[1]!), role);
        expect(res.body.match(/<nav class="studio-nav"/g), path).toHaveLength(1);
        expect(res.body, path).toMatch(/aria-current="page"/);
      }
    });

    it('puts the dashboard, association and press pages in the layout, with their own scripts and ids', async () => {
      const dash = await get('/admin/dashboard?lang=en&instrument=cairnet', 'press');
      expect(dash.body).toMatch(
        /<main id="main" class="dashboard" data-instrument="cairnet" data-snapshot="[^"]+" data-lang="en"/,
      );
      expect(dash.body).toContain('<script src="/assets/dashboard.js"');
      expect(dash.body).toContain('id="publication-toggle"');
      // the press office sees no review page, the reviewer no results
      expect(/<nav class="studio-nav"[\s\S]*?<\/nav>/.exec(dash.body)![0]).not.toContain(
        '/admin/associations',
      );
      const review = await get('/admin/associations?lang=fr', 'reviewer');
      expect(review.body).toContain('<main id="main" class="review"');
      expect(review.body).toContain('<a href="/admin/associations?lang=fr" aria-current="page">');
      expect(/<nav class="studio-nav"[\s\S]*?<\/nav>/.exec(review.body)![0]).not.toContain(
        '/admin/dashboard',
      );
      const network = await get('/admin/associations/network?lang=fr', 'reviewer');
      expect(network.body).toContain('<main id="main" class="network"');
      expect(network.body).toContain('<div id="network" class="network-frame"');
      const press = await get('/admin/press?lang=fr', 'press');
      expect(press.body).toContain('<script src="/assets/press.js"');
      const main = /<main [^>]*data-messages="([^"]*)"/.exec(press.body)![1]!;
      const messages = JSON.parse(
        main
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, '&'),
      );
      expect(messages.found).toBe('{n} répondant(s) trouvé(s).');
      expect(messages.state_declined).toBe('refusée');
    });

    it('keeps the other query parameters when switching language', async () => {
      const res = await get('/admin/responses?lang=en&instrument=cairnet&q=afm&page=1', 'admin');
      expect(res.body).toContain(
        'href="/admin/responses?instrument=cairnet&amp;q=afm&amp;page=1&amp;lang=fr" lang="fr"',
      );
      const dash = await get('/admin/dashboard?instrument=cairnet', 'admin');
      expect(dash.body).toContain('href="/admin/dashboard?instrument=cairnet&amp;lang=en" lang="en"');
      const bare = await get('/admin/press?lang=fr', 'admin');
      expect(bare.body).toContain('href="/admin/press?lang=en" lang="en"');
    });

    it('shows the campaign page to admin and analyst only, counts by label', async () => {
      expect((await get('/admin/campaign', 'press')).statusCode).toBe(403);
      const en = await get('/admin/campaign?lang=en', 'analyst');
      expect(en.body).toContain('Opened their link');
      expect(en.body).toContain('Questionnaire cairnet');
    });

    it('browses and searches the responses, newest first, each opening its page; audited; admin and analyst only', async () => {
      const all = await get('/admin/responses?lang=en', 'analyst');
      expect(all.body).toContain('3 response(s).');
      const order = [...all.body.matchAll(/href="\/admin\/responses\/([^?"]+)\?lang=en"/g)].map((m) => m[1]);
      expect(order).toEqual([ids[2], ids[1], ids[0]]);
      // by the text of an answer (any case), and by the start of an id
      const byText = await get('/admin/responses?lang=en&q=afm-t%C3%A9l%C3%A9thon', 'analyst');
      expect(byText.body).toContain('1 response(s).');
      expect(byText.body).toContain(`/admin/responses/${ids[1]}?`);
      const byId = await get(`/admin/responses?lang=en&q=${ids[0]!.slice(0, 12)}`, 'admin');
      expect(byId.body).toContain(`/admin/responses/${ids[0]}?`);
      const none = await get('/admin/responses?lang=en&q=%25_nothing', 'admin');
      expect(none.body).toContain('0 response(s).');
      expect((await get('/admin/responses', 'press')).statusCode).toBe(403);
      expect((await get('/admin/responses?page=0', 'admin')).statusCode).toBe(400);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'responses.list')
        .execute();
      expect(audit.length).toBeGreaterThanOrEqual(4);
    });
  });
}
