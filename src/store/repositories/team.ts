import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { cairnetError } from '../../errors.js';
import { tokenHash } from '../canonical-json.js';
import type { Store } from '../open-store.js';
import type { CairnetDatabase } from '../schema.js';
import { addUser, hashPassword, ROLES, type Role } from './users.js';

/** A member of the survey team as the team page shows it: never any password material. */
export interface TeamMember {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export type OneTimePurpose = 'setup' | 'reset';

/** How long a one-time link stays valid. */
export const LINK_HOURS = { setup: 24, reset: 48 } as const;

export async function listTeam(db: Kysely<CairnetDatabase>): Promise<TeamMember[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'disabled_at', 'created_at'])
    .orderBy('email')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role as Role,
    disabled: r.disabled_at !== null,
    createdAt: r.created_at,
  }));
}

export async function countUsers(db: Kysely<CairnetDatabase>): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * Changes a member's role or disables (or enables) them. Disabling ends their sessions. The last
 * enabled admin can be neither demoted nor disabled (`CAIRNET_LAST_ADMIN`): the enabled admins are
 * read and changed in one transaction (their rows locked on PostgreSQL, the one writer on SQLite),
 * so two admins demoting each other at once cannot both succeed.
 */
export async function updateMember(
  store: Store,
  id: string,
  change: { role?: Role; disabled?: boolean },
): Promise<{ before: TeamMember; after: TeamMember }> {
  if (change.role !== undefined && !ROLES.includes(change.role)) {
    throw cairnetError('CAIRNET_BAD_REQUEST', `Unknown role "${change.role}" (roles: ${ROLES.join(', ')})`);
  }
  return store.db.transaction().execute(async (trx) => {
    let admins = trx
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('disabled_at', 'is', null);
    if (store.adapter.name === 'postgres') admins = admins.forUpdate();
    const enabledAdmins = (await admins.execute()).map((r) => r.id);
    const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw cairnetError('CAIRNET_USER_NOT_FOUND', `No team member ${id}`);
    const before: TeamMember = {
      id: row.id,
      email: row.email,
      role: row.role as Role,
      disabled: row.disabled_at !== null,
      createdAt: row.created_at,
    };
    const after: TeamMember = {
      ...before,
      ...(change.role !== undefined ? { role: change.role } : {}),
      ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
    };
    const wasAdmin = before.role === 'admin' && !before.disabled;
    const staysAdmin = after.role === 'admin' && !after.disabled;
    if (wasAdmin && !staysAdmin && enabledAdmins.length <= 1) {
      throw cairnetError(
        'CAIRNET_LAST_ADMIN',
        `${before.email} is the last admin: add or enable another admin first`,
      );
    }
    const now = new Date().toISOString();
    await trx
      .updateTable('users')
      .set({
        role: after.role,
        disabled_at: after.disabled ? (row.disabled_at ?? now) : null,
      })
      .where('id', '=', id)
      .execute();
    if (after.disabled) {
      // A disabled member is out at once (a changed role applies to open sessions at once too:
      // a session reads its member's role on each request).
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    }
    return { before, after };
  });
}

/** Issues a one-time link's secret (returned once; the store keeps its hash). */
export async function issueOneTimeToken(
  db: Kysely<CairnetDatabase>,
  purpose: OneTimePurpose,
  userId: string | null,
): Promise<{ token: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + LINK_HOURS[purpose] * 3600_000).toISOString();
  if (userId) {
    // One reset link at a time: a newer one replaces the older.
    await db
      .deleteFrom('user_tokens')
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .execute();
  }
  await db
    .insertInto('user_tokens')
    .values({
      token_hash: tokenHash(token),
      purpose,
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
    })
    .execute();
  return { token, expiresAt };
}

/** The still usable one-time link with this secret, or undefined. */
export async function findOneTimeToken(
  db: Kysely<CairnetDatabase>,
  purpose: OneTimePurpose,
  token: string,
): Promise<{ userId: string | null; email: string | null } | undefined> {
  const row = await db
    .selectFrom('user_tokens')
    .leftJoin('users', 'users.id', 'user_tokens.user_id')
    .select(['user_tokens.user_id', 'users.email', 'user_tokens.expires_at'])
    .where('user_tokens.token_hash', '=', tokenHash(token))
    .where('user_tokens.purpose', '=', purpose)
    .where('user_tokens.used_at', 'is', null)
    .executeTakeFirst();
  if (!row || row.expires_at < new Date().toISOString()) return undefined;
  return { userId: row.user_id, email: row.email ?? null };
}

/** Marks a one-time link used; false if it was already used, unknown or expired (a race lost). */
async function useToken(
  trx: Kysely<CairnetDatabase>,
  purpose: OneTimePurpose,
  token: string,
): Promise<{ userId: string | null } | undefined> {
  const now = new Date().toISOString();
  const row = await trx
    .selectFrom('user_tokens')
    .select(['user_id', 'expires_at'])
    .where('token_hash', '=', tokenHash(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (!row || row.expires_at < now) return undefined;
  const res = await trx
    .updateTable('user_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash(token))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1 ? { userId: row.user_id } : undefined;
}

/** Sets a new password through a reset link: used once, and every session of that member ends. */
export async function resetPassword(
  db: Kysely<CairnetDatabase>,
  token: string,
  password: string,
): Promise<{ userId: string }> {
  if (password.length < 10)
    throw cairnetError('CAIRNET_BAD_REQUEST', 'A password needs at least 10 characters');
  const hash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const used = await useToken(trx, 'reset', token);
    if (!used?.userId) throw cairnetError('CAIRNET_LINK_INVALID', 'This link is not (or no longer) valid');
    await trx.updateTable('users').set({ password_hash: hash }).where('id', '=', used.userId).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', used.userId).execute();
    return { userId: used.userId };
  });
}

/**
 * Creates the first admin through the setup link printed by the server, only while the store
 * has no team member at all (`CAIRNET_LINK_INVALID` otherwise); the link is used once.
 */
export async function setUpFirstAdmin(
  store: Store,
  token: string,
  u: { email: string; password: string },
): Promise<{ id: string; email: string }> {
  if (store.adapter.name === 'postgres') {
    // One setup at a time across servers: the transaction holds this lock until it ends.
    return store.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${SETUP_LOCK})`.execute(trx);
      return setUp(trx, token, u);
    });
  }
  return store.db.transaction().execute((trx) => setUp(trx, token, u));
}

const SETUP_LOCK = 1_128_352_116;

async function setUp(
  trx: Kysely<CairnetDatabase>,
  token: string,
  u: { email: string; password: string },
): Promise<{ id: string; email: string }> {
  if ((await countUsers(trx)) > 0) {
    throw cairnetError('CAIRNET_LINK_INVALID', 'The first admin is already set up: log in instead');
  }
  const used = await useToken(trx, 'setup', token);
  if (!used) throw cairnetError('CAIRNET_LINK_INVALID', 'This link is not (or no longer) valid');
  const user = await addUser(trx, { email: u.email, password: u.password, role: 'admin' });
  return { id: user.id, email: user.email };
}
