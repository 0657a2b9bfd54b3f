import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { cairnetError } from '../../errors.js';
import type { Store } from '../../store/open-store.js';
import { issueOneTimeToken, listTeam, type TeamMember, updateMember } from '../../store/repositories/team.js';
import { addUser, ROLES, type Role, recordAudit } from '../../store/repositories/users.js';

const newUserBody = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'role'],
  properties: {
    email: { type: 'string', minLength: 3, maxLength: 320 },
    role: { type: 'string', enum: [...ROLES] },
    password: { type: 'string', minLength: 10, maxLength: 1024 },
  },
} as const;

const changeBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    role: { type: 'string', enum: [...ROLES] },
    disabled: { type: 'boolean' },
  },
} as const;

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

/** The address one-time links start with: CAIRNET_PUBLIC_URL, else the address the request came to. */
export function baseUrl(req: FastifyRequest): string {
  const configured = (process.env.CAIRNET_PUBLIC_URL ?? '').trim().replace(/\/+$/, '');
  return configured || `${req.protocol}://${req.host}`;
}

/**
 * The team (admins only; other roles get 403): list the members without any password material,
 * add one (with a password, or with a one-time link to choose it), change a role, disable or
 * enable, and issue a password-reset link. The last enabled admin can be neither demoted nor
 * disabled. Every change needs the CSRF token and is written to the audit log.
 */
export function teamRoutes(app: FastifyInstance, deps: { store: Store }): void {
  const { db } = deps.store;
  const ADMIN = { roles: ['admin'] as const };

  app.get('/api/admin/users', { config: ADMIN }, async (req) => {
    await recordAudit(db, { userId: req.session!.user.id, action: 'users.list' });
    return { items: await listTeam(db) };
  });

  app.post<{ Body: { email: string; role: Role; password?: string } }>(
    '/api/admin/users',
    { schema: { body: newUserBody }, config: ADMIN },
    async (req, reply) => {
      const { email, role, password } = req.body;
      // Without a password, the new member chooses theirs through a one-time link.
      const user = await addUser(db, {
        email,
        role,
        password: password ?? randomBytes(32).toString('base64url'),
      });
      const link = password ? undefined : await issueOneTimeToken(db, 'reset', user.id);
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'users.add',
        target: user.id,
        detail: JSON.stringify({ email: user.email, role, link: link !== undefined }),
      });
      const member: TeamMember = { ...user, disabled: false, createdAt: new Date().toISOString() };
      return reply.status(201).send({
        ...member,
        ...(link
          ? { resetLink: `${baseUrl(req)}/account/reset/${link.token}`, expiresAt: link.expiresAt }
          : {}),
      });
    },
  );

  app.patch<{ Params: { id: string }; Body: { role?: Role; disabled?: boolean } }>(
    '/api/admin/users/:id',
    { schema: { params: idParams, body: changeBody }, config: ADMIN },
    async (req) => {
      const { before, after } = await updateMember(deps.store, req.params.id, req.body);
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'users.update',
        target: after.id,
        detail: JSON.stringify({
          email: after.email,
          ...(before.role !== after.role ? { role: [before.role, after.role] } : {}),
          ...(before.disabled !== after.disabled ? { disabled: after.disabled } : {}),
        }),
      });
      return after;
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/admin/users/:id/reset-link',
    { schema: { params: idParams }, config: ADMIN },
    async (req, reply) => {
      const member = (await listTeam(db)).find((m) => m.id === req.params.id);
      if (!member) throw cairnetError('CAIRNET_USER_NOT_FOUND', `No team member ${req.params.id}`);
      const link = await issueOneTimeToken(db, 'reset', member.id);
      await recordAudit(db, {
        userId: req.session!.user.id,
        action: 'users.reset-link',
        target: member.id,
        detail: JSON.stringify({ email: member.email }),
      });
      return reply
        .status(201)
        .send({ resetLink: `${baseUrl(req)}/account/reset/${link.token}`, expiresAt: link.expiresAt });
    },
  );
}
