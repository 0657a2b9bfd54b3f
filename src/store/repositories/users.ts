import { randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import { cairnetError } from '../../errors.js';
import { tokenHash } from '../canonical-json.js';
import type { CairnetDatabase } from '../schema.js';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, o: object) => Promise<Buffer>;

/** The roles of the survey team (see the README). */
export const ROLES = ['admin', 'analyst', 'press', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  email: string;
  role: Role;
}

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 64 };
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** `scrypt$N$r$p$salt$hash`, base64 parts. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export async function addUser(
  db: Kysely<CairnetDatabase>,
  u: { email: string; password: string; role: Role },
): Promise<User> {
  const email = u.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw cairnetError('CAIRNET_BAD_REQUEST', `"${u.email}" is not an e-mail address`);
  if (!ROLES.includes(u.role)) {
    throw cairnetError('CAIRNET_BAD_REQUEST', `Unknown role "${u.role}" (roles: ${ROLES.join(', ')})`);
  }
  if (u.password.length < 10) {
    throw cairnetError('CAIRNET_BAD_REQUEST', 'A password needs at least 10 characters');
  }
  const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw cairnetError('CAIRNET_USER_EXISTS', `A user ${email} already exists`);
  const user = { id: randomUUID(), email, role: u.role };
  await db
    .insertInto('users')
    .values({ ...user, password_hash: await hashPassword(u.password), created_at: new Date().toISOString() })
    .execute();
  return user;
}

/** The user whose e-mail and password match, or undefined. */
export async function authenticate(
  db: Kysely<CairnetDatabase>,
  email: string,
  password: string,
): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
  if (!row) {
    // Spend the same time as a real check, so timing does not tell which e-mails exist.
    await hashPassword(password);
    return undefined;
  }
  if (!(await verifyPassword(password, row.password_hash))) return undefined;
  if (row.disabled_at) return undefined; // a disabled member cannot log in
  return { id: row.id, email: row.email, role: row.role as Role };
}

export interface Session {
  user: User;
  csrfToken: string;
  expiresAt: string;
}

const SESSION_HOURS = 12;

/** Opens a session; returns the secret id to put in the cookie (the store keeps its hash). */
export async function openSession(
  db: Kysely<CairnetDatabase>,
  user: User,
): Promise<{ id: string; session: Session }> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString();
  await db
    .insertInto('sessions')
    .values({
      id_hash: tokenHash(id),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    })
    .execute();
  return { id, session: { user, csrfToken, expiresAt } };
}

export async function findSession(db: Kysely<CairnetDatabase>, id: string): Promise<Session | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id as user_id',
      'users.email',
      'users.role',
      'sessions.csrf_token',
      'sessions.expires_at',
    ])
    .where('sessions.id_hash', '=', tokenHash(id))
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row || row.expires_at < new Date().toISOString()) return undefined;
  return {
    user: { id: row.user_id, email: row.email, role: row.role as Role },
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

export async function closeSession(db: Kysely<CairnetDatabase>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', tokenHash(id)).execute();
}

export async function recordAudit(
  db: Kysely<CairnetDatabase>,
  e: { userId: string | null; action: string; target?: string; detail?: string },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: randomUUID(),
      at: new Date().toISOString(),
      user_id: e.userId,
      action: e.action,
      target: e.target ?? null,
      detail: e.detail ?? null,
    })
    .execute();
}
