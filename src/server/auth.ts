import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { findSession, type Role, type Session } from '../store/repositories/users.js';
import type { CairnetDatabase } from '../store/schema.js';

export const SESSION_COOKIE = 'cairnet_session';

/** One route of the app as registered: what the security tests enumerate. */
export interface RouteEntry {
  method: string;
  url: string;
  roles: readonly Role[] | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, in order (HEAD routes included). */
    routeTable: RouteEntry[];
  }
  interface FastifyRequest {
    session: Session | null;
  }
  interface FastifyContextConfig {
    /** Roles allowed on this route; every route under /api/admin/ or /admin must declare them. */
    roles?: readonly Role[];
  }
}

const PROTECTED = /^\/(api\/admin|admin)(\/|$)/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for the URLs that only a logged-in member of the survey team may reach. */
export function isProtectedUrl(url: string): boolean {
  return PROTECTED.test(url);
}

/**
 * Sessions live in the database (so several app servers share them). Every route under
 * `/api/admin/` or `/admin` declares the roles allowed on it: a route that forgets is refused at
 * start-up, so none can escape the check. State-changing requests need the session's CSRF token
 * in the `x-csrf-token` header.
 */
export function installAuth(app: FastifyInstance, db: Kysely<CairnetDatabase>): void {
  app.decorateRequest('session', null);
  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route: RouteOptions) => {
    const roles = route.config?.roles;
    for (const method of [route.method].flat()) table.push({ method, url: route.url, roles });
    if (!isProtectedUrl(route.url)) return;
    if (!roles || roles.length === 0) {
      throw new Error(`Route ${route.url} is under an admin prefix but declares no roles`);
    }
  });
  // Authentication and roles are checked as soon as the request arrives, before its body is
  // read or validated: a stranger learns nothing from a route but 401.
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const id = request.cookies?.[SESSION_COOKIE];
    if (id && id.length <= 128) request.session = (await findSession(db, id)) ?? null;
    const roles = request.routeOptions.config?.roles;
    if (!roles) return;
    const session = request.session;
    if (!session) {
      if (request.method === 'GET' && !request.url.startsWith('/api/')) {
        return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
      }
      throw cairnetError('CAIRNET_UNAUTHENTICATED', 'Log in as a member of the survey team first');
    }
    if (!roles.includes(session.user.role)) {
      throw cairnetError('CAIRNET_FORBIDDEN', `The ${session.user.role} role cannot do this`);
    }
    if (!SAFE_METHODS.has(request.method)) checkCsrf(request, session);
  });
}

/** Refuses a state-changing request whose CSRF token does not match its session's. */
export function checkCsrf(request: FastifyRequest, session: Session): void {
  const header = request.headers['x-csrf-token'];
  const sent = Buffer.from(typeof header === 'string' ? header : '');
  const expected = Buffer.from(session.csrfToken);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw cairnetError('CAIRNET_CSRF', 'Missing or wrong CSRF token (send the x-csrf-token header)');
  }
}
