import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { addUser, type Role } from '../../src/store/repositories/users.js';
import type { CairnetDatabase } from '../../src/store/schema.js';

const PASSWORD = 'a long enough password';

/** Requests as a logged-in member of the survey team: their session cookie and CSRF header. */
export type AsMember = (
  role: Role,
  method: InjectOptions['method'],
  url: string,
  payload?: unknown,
) => Promise<LightMyRequestResponse>;

/**
 * Adds one member per role (`ROLE@example.org`), logs each in through `/api/auth/login`, and
 * returns a function that sends a request as one of them.
 */
export async function teamSessions(
  app: FastifyInstance,
  db: Kysely<CairnetDatabase>,
  roles: readonly Role[] = ['admin', 'analyst', 'press', 'reviewer'],
): Promise<AsMember> {
  const sessions = new Map<Role, { cookie: string; csrf: string }>();
  for (const role of roles) {
    await addUser(db, { email: `${role}@example.org`, password: PASSWORD, role });
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: `${role}@example.org`, password: PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login as ${role}: ${res.statusCode} ${res.body}`);
    sessions.set(role, {
      cookie: String(res.headers['set-cookie']).split(';')[0]!,
      csrf: res.json().csrfToken,
    });
  }
  return (role, method, url, payload) => {
    const s = sessions.get(role);
    if (!s) throw new Error(`no session for ${role}`);
    return app.inject({
      method,
      url,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
      ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
    });
  };
}
