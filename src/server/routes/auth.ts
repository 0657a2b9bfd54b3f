import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { cairnetError } from '../../errors.js';
import { authenticate, closeSession, openSession, recordAudit } from '../../store/repositories/users.js';
import type { CairnetDatabase } from '../../store/schema.js';
import { checkCsrf, SESSION_COOKIE } from '../auth.js';

const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: {
    email: { type: 'string', minLength: 3, maxLength: 320 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
} as const;

/** Logging in and out. A login always opens a new session (no fixation); logout deletes it. */
export function authRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<CairnetDatabase>; secureCookies: boolean },
) {
  const { db } = deps;

  app.post<{ Body: { email: string; password: string } }>(
    '/api/auth/login',
    { schema: { body: loginBody }, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (req, reply) => {
      const old = req.cookies[SESSION_COOKIE];
      if (old) await closeSession(db, old);
      const user = await authenticate(db, req.body.email, req.body.password);
      if (!user) {
        await recordAudit(db, { userId: null, action: 'login.failed' });
        throw cairnetError('CAIRNET_LOGIN_FAILED', 'Wrong e-mail or password');
      }
      const { id, session } = await openSession(db, user);
      await recordAudit(db, { userId: user.id, action: 'login' });
      reply.setCookie(SESSION_COOKIE, id, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.secureCookies,
        expires: new Date(session.expiresAt),
      });
      return { user: { email: user.email, role: user.role }, csrfToken: session.csrfToken };
    },
  );

  app.post('/api/auth/logout', async (req, reply) => {
    const id = req.cookies[SESSION_COOKIE];
    if (id && req.session) {
      // Logging out changes state: it needs the session's CSRF token like any other change.
      checkCsrf(req, req.session);
      await closeSession(db, id);
      await recordAudit(db, { userId: req.session.user.id, action: 'logout' });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { loggedOut: true };
  });

  app.get('/api/auth/me', async (req) => {
    if (!req.session) throw cairnetError('CAIRNET_UNAUTHENTICATED', 'Not logged in');
    return {
      user: { email: req.session.user.email, role: req.session.user.role },
      csrfToken: req.session.csrfToken,
      expiresAt: req.session.expiresAt,
    };
  });
}
