import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReconciler } from '../../src/associations/reconcile.js';
import { buildApp } from '../../src/server/build-app.js';
import { openStore } from '../../src/store/open-store.js';
import {
  activeDecisions,
  distinctNamesOf,
  listRegistry,
  reconcileStoredMentions,
  recordDecision,
  storedResponseMentions,
  undoDecision,
} from '../../src/store/repositories/associations.js';
import { insertResponsesBulk } from '../../src/store/repositories/responses.js';
import { addUser } from '../../src/store/repositories/users.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { assignment, POOL, steps } from './decision-arbitraries.js';

const PASSWORD = 'a long enough password';
const run = promisify(execFile);
const A = 'Ligue contre le cancer comité 75';
const X = 'Association Zorglub des amis du test';

for (const dialect of await availableDialects()) {
  describe(`${dialect}: association decisions over HTTP, undo, and the log replayed`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let session: { cookie: string; csrf: string };

    beforeAll(async () => {
      t = await openTestStore(dialect);
      // a fresh store, no demonstration panel: two responses name A, one names X
      await insertResponsesBulk(t.store.db, [
        ...[A, A, X].map((name, i) => ({
          instrumentName: 'cairnet',
          instrumentVersion: 1,
          data: { associations: [{ name }] },
          idempotencyKey: `issue12-${i}`,
        })),
      ]);
      app = await buildApp({ store: t.store });
      await app.ready();
      await addUser(t.store.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin' });
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'admin@example.org', password: PASSWORD },
      });
      session = { cookie: String(res.headers['set-cookie']).split(';')[0] ?? '', csrf: res.json().csrfToken };
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    const headers = () => ({ cookie: session.cookie, 'x-csrf-token': session.csrf });
    const decide = (payload: object) =>
      app.inject({ method: 'POST', url: '/api/admin/associations/decisions', payload, headers: headers() });
    const undo = (id: string) =>
      app.inject({ method: 'DELETE', url: `/api/admin/associations/decisions/${id}`, headers: headers() });
    const cited = async () =>
      (
        await app.inject({ method: 'GET', url: '/api/admin/associations/cited', headers: headers() })
      ).json() as {
        distinct: number;
        mostCited: { label: string; responses: number }[];
        responses: { responseId: string; associations: string[] }[];
      };
    const stored = async () =>
      (await t.store.db.selectFrom('association_decisions').selectAll().execute()).length;

    it('reproduces issue 12: after merge and split, create gives X its own respondent, and A stays apart', async () => {
      const who = await storedResponseMentions(t.store.db);
      const x = who.find((r) => r.mentions[0] === X);
      const [a1, a2] = who.filter((r) => r.mentions[0] === A);
      expect((await decide({ kind: 'merge', mentions: [A, X] })).statusCode).toBe(201);
      expect((await decide({ kind: 'split', mentions: [A, X] })).statusCode).toBe(201);
      const created = await decide({ kind: 'create', entry: { id: 'NZ', name: 'Zorglub' }, mentions: [X] });
      expect(created.statusCode, created.body).toBe(201);
      const after = await cited();
      const of = (id: string | undefined) => after.responses.find((r) => r.responseId === id)?.associations;
      expect(of(x?.responseId)).toEqual(['NZ']);
      expect(of(a1?.responseId)).toEqual([expect.stringMatching(/^split:/)]);
      expect(of(a2?.responseId)).toEqual(of(a1?.responseId));
      expect(after.mostCited.find((c) => c.label === 'Zorglub')?.responses).toBe(1);
    });

    it('refuses bad decisions with a registered code, storing and moving nothing', async () => {
      const n = await stored();
      const before = await cited();
      const cases: [object, number, string][] = [
        [{ kind: 'accept', mention: A, entryId: 'NOPE' }, 404, 'CAIRNET_ASSOCIATION_NOT_FOUND'],
        [{ kind: 'accept', mention: 'Nobody wrote this', entryId: 'R001' }, 422, 'CAIRNET_MENTION_UNKNOWN'],
        [
          { kind: 'accept', mentions: [A, 'Nobody wrote this'], entryId: 'R001' },
          422,
          'CAIRNET_MENTION_UNKNOWN',
        ],
        [
          { kind: 'create', entry: { id: 'NZ', name: 'Again' }, mentions: [A] },
          409,
          'CAIRNET_ASSOCIATION_EXISTS',
        ],
        [
          { kind: 'create', entry: { id: 'R001', name: 'Again' }, mentions: [] },
          409,
          'CAIRNET_ASSOCIATION_EXISTS',
        ],
        [{ kind: 'merge', mentions: [A, ` ${A.toUpperCase()} `] }, 422, 'CAIRNET_DECISION_INVALID'],
        [{ kind: 'alias', mention: '!!!', entryId: 'R001' }, 422, 'CAIRNET_MENTION_UNKNOWN'],
      ];
      for (const [payload, status, code] of cases) {
        const res = await decide(payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(status);
        expect(res.json().code).toBe(code);
      }
      expect((await decide({ kind: 'merge', mentions: [A] })).statusCode).toBe(400);
      expect(await stored()).toBe(n);
      expect(await cited()).toEqual(before);
    });

    it('undoes a decision (204, audited): cited is as if it had never been made', async () => {
      const before = await cited();
      const res = await decide({ kind: 'accept', mentions: [A], entryId: 'R015' });
      expect(res.statusCode).toBe(201);
      expect((await cited()).responses.filter((r) => r.associations.includes('R015'))).toHaveLength(2);
      const id = res.json().id as string;
      const del = await undo(id);
      expect(del.statusCode, del.body).toBe(204);
      expect(await cited()).toEqual(before);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'associations.decision.undo')
        .execute();
      expect(audit.map((a) => a.target)).toContain(id);
      expect(audit.every((a) => a.user_id && a.at)).toBe(true);
      const listed = (
        await app.inject({ method: 'GET', url: '/api/admin/associations/decisions', headers: headers() })
      ).json().decisions as { id: string; kind: string; undoneAt: string | null; userEmail: string }[];
      expect(listed.find((d) => d.id === id)).toMatchObject({
        kind: 'accept',
        userEmail: 'admin@example.org',
      });
      expect(listed.find((d) => d.id === id)?.undoneAt).toBeTruthy();
      const n = await stored();
      const again = await undo(id);
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('CAIRNET_DECISION_ALREADY_UNDONE');
      const unknown = await undo('no-such-decision');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('CAIRNET_DECISION_NOT_FOUND');
      expect(await stored()).toBe(n);
      expect(await cited()).toEqual(before);
    });

    it('refuses to undo a create that later decisions use, listing them; undone in order it works', async () => {
      const accept = await decide({ kind: 'accept', mention: A, entryId: 'NZ' });
      expect(accept.statusCode).toBe(201);
      const create = (await t.store.db
        .selectFrom('association_decisions')
        .select('id')
        .where('kind', '=', 'create')
        .executeTakeFirstOrThrow()) as { id: string };
      const refused = await undo(create.id);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('CAIRNET_DECISION_HAS_DEPENDANTS');
      expect(refused.json().details.dependants).toEqual([{ id: accept.json().id, kind: 'accept' }]);
      expect((await undo(accept.json().id)).statusCode).toBe(204);
      expect((await undo(create.id)).statusCode).toBe(204);
      const after = await cited();
      expect(after.responses.flatMap((r) => r.associations)).not.toContain('NZ');
      const registry = (
        await app.inject({ method: 'GET', url: '/api/admin/associations/registry', headers: headers() })
      ).json().entries as { id: string }[];
      expect(registry.some((e) => e.id === 'NZ')).toBe(false);
      // the id is free again
      expect(
        (await decide({ kind: 'create', entry: { id: 'NZ', name: 'Zorglub' }, mentions: [X] })).statusCode,
      ).toBe(201);
    });

    it('shows a decision at once in the dashboard summary (most cited, distinct associations)', async () => {
      const summary = async () =>
        (
          await app.inject({ method: 'GET', url: '/api/admin/dashboard/summary', headers: headers() })
        ).json() as {
          distinctAssociations: number;
          mostCited: { label: string; responses: number }[];
        };
      const before = await summary();
      const res = await decide({ kind: 'merge', mentions: [X, A] });
      expect(res.statusCode).toBe(201);
      const after = await summary();
      expect(after.distinctAssociations).toBe(before.distinctAssociations - 1);
      expect(after.mostCited.find((c) => c.label === 'Zorglub')?.responses).toBe(3);
      // F6 of the analysis plan counts the names where the same replay puts them
      expect(distinctNamesOf(await reconcileStoredMentions(t.store.db))([A, X])).toBe(1);
      expect((await undo(res.json().id)).statusCode).toBe(204);
      expect((await summary()).distinctAssociations).toBe(before.distinctAssociations);
    });

    it('replays the stored log in a new store instance and a new process to the same assignment (random decisions and undos)', async () => {
      await t.store.db.deleteFrom('association_decisions').execute();
      await insertResponsesBulk(
        t.store.db,
        POOL.map((name, i) => ({
          instrumentName: 'cairnet',
          instrumentVersion: 1,
          data: { associations: [{ name }, { name: POOL[(i * 5) % POOL.length] ?? name }] },
          idempotencyKey: `pool-${i}`,
        })),
      );
      const registry = await listRegistry(t.store.db);
      await fc.assert(
        fc.asyncProperty(steps, async (plan) => {
          await t.store.db.deleteFrom('association_decisions').execute();
          const ids: string[] = [];
          for (const step of plan) {
            if ('undo' in step) {
              for (let k = 0; k < step.undo && ids.length > 0; k++) {
                await undoDecision(t.store.db, ids.pop() as string, null);
              }
            } else {
              try {
                ids.push((await recordDecision(t.store.db, step.decision, null)).id);
              } catch (e) {
                if (!(e as { code?: string }).code?.startsWith('CAIRNET_')) throw e;
              }
            }
          }
          const here = await reconcileStoredMentions(t.store.db);
          const other = await openStore(
            dialect === 'sqlite' ? { db: t.location } : { db: t.location.split('?')[0], schema: t.schema },
          );
          try {
            const there = await reconcileStoredMentions(other.db);
            expect(assignment(there.mentions)).toEqual(assignment(here.mentions));
            const log = await activeDecisions(other.db);
            const pure = createReconciler(registry, log).reconcile(
              here.responses.flatMap((r) =>
                r.mentions.map((text) => ({ text, ...(r.at ? { at: r.at } : {}) })),
              ),
            );
            expect(assignment(pure)).toEqual(assignment(here.mentions));
          } finally {
            await other.close();
          }
        }),
        { numRuns: Number(process.env.CAIRNET_STORE_FUZZ_RUNS ?? 12) },
      );
      // and in a new process: the command line reads the last run's log, and these, from the database
      await recordDecision(t.store.db, { kind: 'merge', mentions: [POOL[8] ?? '', POOL[12] ?? ''] }, null);
      await recordDecision(t.store.db, { kind: 'split', mentions: [POOL[1] ?? ''] }, null);
      const { stdout } = await run(process.execPath, [
        'bin/cairnet.mjs',
        'associations',
        'cited',
        '--json',
        '--db',
        t.location,
      ]);
      const here = await reconcileStoredMentions(t.store.db);
      expect(JSON.parse(stdout)).toEqual({
        distinct: here.distinct,
        responses: here.cited.map((c) => ({
          responseId: c.responseId,
          associations: c.associations.map((a) => a.entryId ?? a.group),
        })),
      });
    }, 300_000);
  });
}
