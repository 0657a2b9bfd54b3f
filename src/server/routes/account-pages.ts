import type { FastifyInstance, FastifyReply } from 'fastify';
import { isCairnetError } from '../../errors.js';
import { escapeHtml, page } from '../../report/html.js';
import type { Store } from '../../store/open-store.js';
import { findOneTimeToken, resetPassword, setUpFirstAdmin } from '../../store/repositories/team.js';
import { recordAudit } from '../../store/repositories/users.js';
import { TOKEN_LOOKUP_LIMIT } from '../rate-limits.js';

type Lang = 'fr' | 'en';

const TEXT = {
  fr: {
    setupTitle: 'Cairnet : premier administrateur',
    setupIntro:
      'Aucun membre de l’équipe n’existe encore. Choisissez l’adresse et le mot de passe du premier administrateur (ce lien ne sert qu’une fois).',
    resetTitle: 'Cairnet : choisir un mot de passe',
    resetIntro: (email: string) => `Choisissez le mot de passe de ${email} (ce lien ne sert qu’une fois).`,
    email: 'Adresse e-mail',
    password: 'Mot de passe (10 caractères au moins)',
    confirm: 'Mot de passe, à nouveau',
    submit: 'Enregistrer',
    invalid: 'Ce lien n’est pas (ou plus) valide. Demandez-en un nouveau à un administrateur.',
    mismatch: 'Les deux mots de passe diffèrent.',
    short: 'Le mot de passe doit compter 10 caractères au moins.',
    badEmail: 'Cette adresse e-mail n’est pas valide.',
    done: 'C’est fait. Vous pouvez maintenant vous connecter.',
    login: 'Se connecter',
    other: 'English',
  },
  en: {
    setupTitle: 'Cairnet: first admin',
    setupIntro:
      'No member of the team exists yet. Choose the e-mail address and password of the first admin (this link works once).',
    resetTitle: 'Cairnet: choose a password',
    resetIntro: (email: string) => `Choose the password of ${email} (this link works once).`,
    email: 'E-mail address',
    password: 'Password (at least 10 characters)',
    confirm: 'Password, again',
    submit: 'Save',
    invalid: 'This link is not (or no longer) valid. Ask an admin for a new one.',
    mismatch: 'The two passwords differ.',
    short: 'The password needs at least 10 characters.',
    badEmail: 'This e-mail address is not valid.',
    done: 'Done. You can now log in.',
    login: 'Log in',
    other: 'Français',
  },
} as const;

const tokenParams = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', maxLength: 200 } },
} as const;

function langOf(q: unknown): Lang {
  return (q as { lang?: string } | undefined)?.lang === 'en' ? 'en' : 'fr';
}

function send(reply: FastifyReply, status: number, lang: Lang, title: string, body: string, path: string) {
  const t = TEXT[lang];
  const other = lang === 'fr' ? 'en' : 'fr';
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(
      page({
        lang,
        title,
        body: `<main class="narrow">
  <p class="langs"><a href="${escapeHtml(path)}?lang=${other}" lang="${other}" hreflang="${other}">${t.other}</a></p>
  <h1>${escapeHtml(title)}</h1>
${body}
</main>`,
      }),
    );
}

function form(lang: Lang, action: string, withEmail: boolean, error?: string): string {
  const t = TEXT[lang];
  return `  ${error ? `<p role="alert" class="error">${escapeHtml(error)}</p>` : ''}
  <form method="post" action="${escapeHtml(action)}?lang=${lang}">
    ${withEmail ? `<label for="email">${t.email}</label><input id="email" name="email" type="email" autocomplete="username" required>` : ''}
    <label for="password">${t.password}</label>
    <input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required>
    <label for="confirm">${t.confirm}</label>
    <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="10" required>
    <button type="submit">${t.submit}</button>
  </form>`;
}

function problem(lang: Lang, f: Record<string, string>): string | undefined {
  const t = TEXT[lang];
  const password = f.password ?? '';
  if (password.length < 10) return t.short;
  if (password !== (f.confirm ?? '')) return t.mismatch;
  return undefined;
}

const done = (lang: Lang) =>
  `  <p role="status">${TEXT[lang].done}</p>\n  <p><a href="/login?lang=${lang}">${TEXT[lang].login}</a></p>`;

/**
 * The one-time link pages, in French and English, plain HTML forms (no script): `/setup/TOKEN`
 * creates the first admin while the store has no team member (the server prints the link at
 * start-up), `/account/reset/TOKEN` sets a member's password (the link comes from an admin).
 * Each link works once; guessing is slowed by the token look-up rate limit.
 */
export async function accountPages(app: FastifyInstance, deps: { store: Store }): Promise<void> {
  const { store } = deps;
  const { db } = store;
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_r, body, doneParsing) => doneParsing(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const opts = { schema: { params: tokenParams }, config: TOKEN_LOOKUP_LIMIT };

  app.get<{ Params: { token: string } }>('/setup/:token', opts, async (req, reply) => {
    const lang = langOf(req.query);
    const t = TEXT[lang];
    const path = `/setup/${req.params.token}`;
    if (!(await findOneTimeToken(db, 'setup', req.params.token)))
      return send(reply, 404, lang, t.setupTitle, `  <p>${t.invalid}</p>`, path);
    return send(reply, 200, lang, t.setupTitle, `  <p>${t.setupIntro}</p>\n${form(lang, path, true)}`, path);
  });

  app.post<{ Params: { token: string }; Body: Record<string, string> }>(
    '/setup/:token',
    opts,
    async (req, reply) => {
      const lang = langOf(req.query);
      const t = TEXT[lang];
      const path = `/setup/${req.params.token}`;
      const f = (req.body ?? {}) as Record<string, string>;
      const bad = problem(lang, f);
      if (bad) return send(reply, 400, lang, t.setupTitle, form(lang, path, true, bad), path);
      try {
        const user = await setUpFirstAdmin(store, req.params.token, {
          email: f.email ?? '',
          password: f.password!,
        });
        await recordAudit(db, { userId: user.id, action: 'users.setup', target: user.id });
        return send(reply, 201, lang, t.setupTitle, done(lang), path);
      } catch (e) {
        if (isCairnetError(e) && e.code === 'CAIRNET_LINK_INVALID')
          return send(reply, 404, lang, t.setupTitle, `  <p>${t.invalid}</p>`, path);
        if (isCairnetError(e) && e.code === 'CAIRNET_BAD_REQUEST')
          return send(reply, 400, lang, t.setupTitle, form(lang, path, true, t.badEmail), path);
        throw e;
      }
    },
  );

  app.get<{ Params: { token: string } }>('/account/reset/:token', opts, async (req, reply) => {
    const lang = langOf(req.query);
    const t = TEXT[lang];
    const path = `/account/reset/${req.params.token}`;
    const found = await findOneTimeToken(db, 'reset', req.params.token);
    if (!found?.email) return send(reply, 404, lang, t.resetTitle, `  <p>${t.invalid}</p>`, path);
    return send(
      reply,
      200,
      lang,
      t.resetTitle,
      `  <p>${escapeHtml(t.resetIntro(found.email))}</p>\n${form(lang, path, false)}`,
      path,
    );
  });

  app.post<{ Params: { token: string }; Body: Record<string, string> }>(
    '/account/reset/:token',
    opts,
    async (req, reply) => {
      const lang = langOf(req.query);
      const t = TEXT[lang];
      const path = `/account/reset/${req.params.token}`;
      const f = (req.body ?? {}) as Record<string, string>;
      const bad = problem(lang, f);
      if (bad) return send(reply, 400, lang, t.resetTitle, form(lang, path, false, bad), path);
      try {
        const { userId } = await resetPassword(db, req.params.token, f.password!);
        await recordAudit(db, { userId, action: 'users.password-reset', target: userId });
        return send(reply, 200, lang, t.resetTitle, done(lang), path);
      } catch (e) {
        if (isCairnetError(e) && e.code === 'CAIRNET_LINK_INVALID')
          return send(reply, 404, lang, t.resetTitle, `  <p>${t.invalid}</p>`, path);
        throw e;
      }
    },
  );
}
