import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProtectedUrl } from '../../src/server/auth.js';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { addUser, ROLES, type Role } from '../../src/store/repositories/users.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

const dialects = await availableDialects();
const PASSWORD = 'a long enough password';

function concrete(url: string): string {
  return url.replace(/:[A-Za-z]+/g, 'x').replace(/\*$/, 'x');
}

for (const dialect of dialects) {
  describe(`${dialect}: survey team access`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    const sessions = new Map<Role, { cookie: string; csrf: string }>();

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await ensureCairnetInstrument(t.store);
      app = await buildApp({ store: t.store });
      await app.ready();
      for (const role of ROLES) {
        await addUser(t.store.db, { email: `${role}@example.org`, password: PASSWORD, role });
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `${role}@example.org`, password: PASSWORD },
        });
        expect(res.statusCode).toBe(200);
        const cookie = String(res.headers['set-cookie']).split(';')[0]!;
        sessions.set(role, { cookie, csrf: res.json().csrfToken });
      }
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    const protectedRoutes = () => app.routeTable.filter((r) => isProtectedUrl(r.url) && r.method !== 'HEAD');

    it('has admin routes, and every one of them declares its roles', () => {
      expect(protectedRoutes().length).toBeGreaterThanOrEqual(3);
      for (const r of protectedRoutes()) expect(r.roles?.length, `${r.method} ${r.url}`).toBeGreaterThan(0);
    });

    it('refuses every admin route without a session', async () => {
      for (const r of protectedRoutes()) {
        const res = await app.inject({
          method: r.method as 'GET',
          url: concrete(r.url),
          payload: r.method === 'GET' ? undefined : {},
        });
        if (r.url.startsWith('/api/')) {
          expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
          expect(res.json().code).toBe('CAIRNET_UNAUTHENTICATED');
        } else {
          expect([302, 401], `${r.method} ${r.url}`).toContain(res.statusCode);
        }
      }
    });

    it('refuses every admin route to the roles it does not name', async () => {
      let checked = 0;
      for (const r of protectedRoutes()) {
        for (const role of ROLES.filter((x) => !r.roles!.includes(x))) {
          const s = sessions.get(role)!;
          const res = await app.inject({
            method: r.method as 'GET',
            url: concrete(r.url),
            headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
            payload: r.method === 'GET' ? undefined : {},
          });
          expect(res.statusCode, `${role} ${r.method} ${r.url}`).toBe(403);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    });

    it('refuses state-changing admin requests without the CSRF token', async () => {
      const changing = protectedRoutes().filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
      for (const r of changing) {
        const s = sessions.get(r.roles![0]!)!;
        const res = await app.inject({
          method: r.method as 'POST',
          url: concrete(r.url),
          headers: { cookie: s.cookie },
          payload: {},
        });
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
        expect(res.json().code).toBe('CAIRNET_CSRF');
      }
      const admin = sessions.get('admin')!;
      const logout = await app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { cookie: admin.cookie },
      });
      expect(logout.json().code).toBe('CAIRNET_CSRF');
    });

    it('lets an analyst page through responses, and logs the access', async () => {
      const s = sessions.get('analyst')!;
      const res = await app.inject({
        url: '/api/admin/responses?page=1&pageSize=10',
        headers: { cookie: s.cookie },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ page: 1, pageSize: 10, total: 0, items: [] });
      const bad = await app.inject({
        url: '/api/admin/responses?pageSize=100000',
        headers: { cookie: s.cookie },
      });
      expect(bad.statusCode).toBe(400);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'responses.list')
        .execute();
      expect(audit.length).toBeGreaterThan(0);
    });

    it('refuses a wrong password, never reveals which part was wrong, and opens a new session at each login', async () => {
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'admin@example.org', password: 'not the password' },
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().code).toBe('CAIRNET_LOGIN_FAILED');
      const nobody = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'nobody@example.org', password: 'not the password' },
      });
      expect(nobody.json().message).toBe(wrong.json().message);
      const old = sessions.get('reviewer')!;
      const again = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { cookie: old.cookie },
        payload: { email: 'reviewer@example.org', password: PASSWORD },
      });
      const fresh = String(again.headers['set-cookie']).split(';')[0]!;
      expect(fresh).not.toBe(old.cookie);
      const stale = await app.inject({ url: '/api/auth/me', headers: { cookie: old.cookie } });
      expect(stale.statusCode).toBe(401);
    });

    it('logs out: the session no longer opens admin routes', async () => {
      const s = sessions.get('admin')!;
      const out = await app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
      });
      expect(out.statusCode).toBe(200);
      const after = await app.inject({ url: '/api/admin/responses', headers: { cookie: s.cookie } });
      expect(after.statusCode).toBe(401);
    });
  });
}
