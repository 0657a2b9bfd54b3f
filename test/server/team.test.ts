import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/build-app.js';
import { issueOneTimeToken, updateMember } from '../../src/store/repositories/team.js';
import { addUser } from '../../src/store/repositories/users.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

const dialects = await availableDialects();
const PASSWORD = 'a long enough password';

let client = 0;
async function login(app: FastifyInstance, email: string, password = PASSWORD) {
  // Each login from its own address: the login route allows 10 a minute from one.
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    remoteAddress: `10.0.0.${++client % 250}`,
  });
  if (res.statusCode !== 200) return { status: res.statusCode, cookie: '', csrf: '' };
  return {
    status: 200,
    cookie: String(res.headers['set-cookie']).split(';')[0]!,
    csrf: res.json().csrfToken as string,
  };
}

const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

for (const dialect of dialects) {
  describe(`${dialect}: the team, managed by admins`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let admin: { cookie: string; csrf: string };
    let adminId: string;

    beforeAll(async () => {
      t = await openTestStore(dialect);
      app = await buildApp({ store: t.store });
      adminId = (await addUser(t.store.db, { email: 'boss@example.org', password: PASSWORD, role: 'admin' }))
        .id;
      await addUser(t.store.db, { email: 'ana@example.org', password: PASSWORD, role: 'analyst' });
      admin = await login(app, 'boss@example.org');
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    const as = (s: { cookie: string; csrf: string }, csrf = true) => ({
      cookie: s.cookie,
      ...(csrf ? { 'x-csrf-token': s.csrf } : {}),
    });
    const users = () => app.inject({ method: 'GET', url: '/api/admin/users', headers: as(admin) });
    const patch = (id: string, payload: object, s = admin) =>
      app.inject({ method: 'PATCH', url: `/api/admin/users/${id}`, payload, headers: as(s) });
    const idOf = async (email: string) =>
      (users().then((r) => r.json().items) as Promise<{ id: string; email: string }[]>).then(
        (items) => items.find((u) => u.email === email)!.id,
      );

    it('lists the team to admins only, without any password material', async () => {
      const res = await users();
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toEqual([
        expect.objectContaining({ email: 'ana@example.org', role: 'analyst', disabled: false }),
        expect.objectContaining({ email: 'boss@example.org', role: 'admin', disabled: false }),
      ]);
      expect(res.body).not.toMatch(/scrypt|password|hash/i);
      const analyst = await login(app, 'ana@example.org');
      const refused = await app.inject({ method: 'GET', url: '/api/admin/users', headers: as(analyst) });
      expect(refused.statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: '/api/admin/users' })).statusCode).toBe(401);
    });

    it('adds a colleague with a role (201), refuses bad input, and logs it', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/api/admin/users',
        payload: { email: 'Press@Example.org', role: 'press', password: PASSWORD },
        headers: as(admin),
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ email: 'press@example.org', role: 'press', disabled: false });
      expect(created.json().resetLink).toBeUndefined();
      expect((await login(app, 'press@example.org')).status).toBe(200);
      const bad: [object, number, string, boolean?][] = [
        [{ email: 'press@example.org', role: 'press', password: PASSWORD }, 409, 'CAIRNET_USER_EXISTS'],
        [{ email: 'x@example.org', role: 'king', password: PASSWORD }, 400, 'CAIRNET_BAD_REQUEST'],
        [{ email: 'x@example.org', role: 'press', password: 'short' }, 400, 'CAIRNET_BAD_REQUEST'],
        [{ email: 'not an address', role: 'press', password: PASSWORD }, 400, 'CAIRNET_BAD_REQUEST'],
        [{ email: 'x@example.org', role: 'press' }, 403, 'CAIRNET_CSRF', false],
      ];
      const before = (await users()).json().items.length;
      for (const [payload, status, code, csrf] of bad) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/admin/users',
          payload,
          headers: as(admin, csrf ?? true),
        });
        expect(res.statusCode, JSON.stringify(payload)).toBe(status);
        expect(res.json().code).toBe(code);
      }
      const analyst = await login(app, 'ana@example.org');
      const forbidden = await app.inject({
        method: 'POST',
        url: '/api/admin/users',
        payload: { email: 'y@example.org', role: 'admin', password: PASSWORD },
        headers: as(analyst),
      });
      expect(forbidden.statusCode).toBe(403);
      expect((await users()).json().items.length).toBe(before);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'users.add')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ user_id: adminId });
    });

    it('adds a colleague without a password: a one-time link lets them choose it', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/api/admin/users',
        payload: { email: 'rev@example.org', role: 'reviewer' },
        headers: as(admin),
      });
      expect(created.statusCode).toBe(201);
      const link = new URL(created.json().resetLink as string);
      expect(link.pathname).toMatch(/^\/account\/reset\/[A-Za-z0-9_-]{43}$/);
      const page = await app.inject({ method: 'GET', url: `${link.pathname}?lang=en` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('rev@example.org');
      const fr = await app.inject({ method: 'GET', url: link.pathname });
      expect(fr.body).toContain('Choisissez le mot de passe');
      const mismatch = await app.inject({
        method: 'POST',
        url: `${link.pathname}?lang=en`,
        ...form({ password: PASSWORD, confirm: 'something else entirely' }),
      });
      expect(mismatch.statusCode).toBe(400);
      expect(mismatch.body).toContain('The two passwords differ.');
      const ok = await app.inject({
        method: 'POST',
        url: link.pathname,
        ...form({ password: 'the chosen password', confirm: 'the chosen password' }),
      });
      expect(ok.statusCode).toBe(200);
      expect((await login(app, 'rev@example.org', 'the chosen password')).status).toBe(200);
      const again = await app.inject({
        method: 'POST',
        url: link.pathname,
        ...form({ password: 'another password!', confirm: 'another password!' }),
      });
      expect(again.statusCode).toBe(404);
      expect((await login(app, 'rev@example.org', 'another password!')).status).toBe(401);
    });

    it('resets a password by a new one-time link, which ends the member’s sessions', async () => {
      const id = await idOf('rev@example.org');
      const session = await login(app, 'rev@example.org', 'the chosen password');
      const res = await app.inject({
        method: 'POST',
        url: `/api/admin/users/${id}/reset-link`,
        headers: as(admin),
      });
      expect(res.statusCode).toBe(201);
      const path = new URL(res.json().resetLink as string).pathname;
      const done = await app.inject({
        method: 'POST',
        url: path,
        ...form({ password: 'a third password', confirm: 'a third password' }),
      });
      expect(done.statusCode).toBe(200);
      const me = await app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { cookie: session.cookie },
      });
      expect(me.statusCode).toBe(401);
      expect((await login(app, 'rev@example.org', 'a third password')).status).toBe(200);
      const unknown = await app.inject({
        method: 'POST',
        url: '/api/admin/users/nobody/reset-link',
        headers: as(admin),
      });
      expect(unknown.json().code).toBe('CAIRNET_USER_NOT_FOUND');
    });

    it('changes a role and disables a member: their sessions end and they cannot log in', async () => {
      const id = await idOf('ana@example.org');
      const session = await login(app, 'ana@example.org');
      const promoted = await patch(id, { role: 'reviewer' });
      expect(promoted.statusCode).toBe(200);
      expect(promoted.json()).toMatchObject({ role: 'reviewer', disabled: false });
      const relog = await login(app, 'ana@example.org');
      const disabled = await patch(id, { disabled: true });
      expect(disabled.json()).toMatchObject({ disabled: true });
      expect(
        (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: relog.cookie } }))
          .statusCode,
      ).toBe(401);
      expect(
        (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session.cookie } }))
          .statusCode,
      ).toBe(401);
      expect((await login(app, 'ana@example.org')).status).toBe(401);
      await patch(id, { disabled: false });
      expect((await login(app, 'ana@example.org')).status).toBe(200);
      for (const [payload, code] of [
        [{}, 'CAIRNET_BAD_REQUEST'],
        [{ role: 'king' }, 'CAIRNET_BAD_REQUEST'],
        [{ disabled: 'yes' }, 'CAIRNET_BAD_REQUEST'],
        [{ email: 'x@example.org' }, 'CAIRNET_BAD_REQUEST'],
      ] as const) {
        expect((await patch(id, payload)).json().code, JSON.stringify(payload)).toBe(code);
      }
      expect((await patch('nobody', { role: 'press' })).json().code).toBe('CAIRNET_USER_NOT_FOUND');
      const audit = await t.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'users.update')
        .execute();
      expect(audit.length).toBe(3);
    });

    it('never demotes nor disables the last admin', async () => {
      for (const change of [{ role: 'analyst' }, { disabled: true }]) {
        const res = await patch(adminId, change);
        expect(res.statusCode).toBe(409);
        expect(res.json().code).toBe('CAIRNET_LAST_ADMIN');
      }
      expect((await users()).json().items.find((u: { id: string }) => u.id === adminId)).toMatchObject({
        role: 'admin',
        disabled: false,
      });
      const press = await idOf('press@example.org');
      expect((await patch(press, { role: 'admin' })).statusCode).toBe(200);
      // Two admins now: demoting both at once leaves exactly one (the second sees the first's change).
      const results = await Promise.allSettled([
        updateMember(t.store, press, { role: 'press' }),
        updateMember(t.store, adminId, { disabled: true }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason.code).toBe('CAIRNET_LAST_ADMIN');
      const admins = (await t.store.db.selectFrom('users').select('id').where('role', '=', 'admin').execute())
        .length;
      expect(admins).toBe(1);
    });
  });

  describe(`${dialect}: the first admin, set up by a one-time link`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      app = await buildApp({ store: t.store });
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('creates the first admin once, and only while the store has no member', async () => {
      const { token } = await issueOneTimeToken(t.store.db, 'setup', null);
      const { token: second } = await issueOneTimeToken(t.store.db, 'setup', null);
      const page = await app.inject({ method: 'GET', url: `/setup/${token}?lang=en` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('first admin');
      expect(page.body).not.toContain('administrateur');
      const badEmail = await app.inject({
        method: 'POST',
        url: `/setup/${token}`,
        ...form({ email: 'nope', password: PASSWORD, confirm: PASSWORD }),
      });
      expect(badEmail.statusCode).toBe(400);
      expect(await t.store.db.selectFrom('users').select('id').execute()).toHaveLength(0);
      const ok = await app.inject({
        method: 'POST',
        url: `/setup/${token}`,
        ...form({ email: 'first@example.org', password: PASSWORD, confirm: PASSWORD }),
      });
      expect(ok.statusCode).toBe(201);
      expect((await login(app, 'first@example.org')).status).toBe(200);
      const rows = await t.store.db.selectFrom('users').select(['email', 'role']).execute();
      expect(rows).toEqual([{ email: 'first@example.org', role: 'admin' }]);
      for (const tk of [token, second]) {
        const again = await app.inject({
          method: 'POST',
          url: `/setup/${tk}`,
          ...form({ email: 'second@example.org', password: PASSWORD, confirm: PASSWORD }),
        });
        expect(again.statusCode).toBe(404);
      }
      expect((await app.inject({ method: 'GET', url: `/setup/${'x'.repeat(43)}` })).statusCode).toBe(404);
      expect(await t.store.db.selectFrom('users').select('id').execute()).toHaveLength(1);
    });
  });
}
