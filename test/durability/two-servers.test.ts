import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSnapshot } from '../../src/results/compute-snapshot.js';
import { publishSnapshot } from '../../src/store/repositories/publications.js';
import { addUser } from '../../src/store/repositories/users.js';
import { neverMetAnswers, ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { type ServerProcess, startServer } from '../helpers/server-process.js';

const hasPostgres = (await availableDialects()).includes('postgres');

describe.runIf(hasPostgres)('postgres: two app servers over one database', () => {
  let t: TestStore;
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    t = await openTestStore('postgres');
    await addUser(t.store.db, {
      email: 'admin@example.org',
      password: 'a long enough password',
      role: 'admin',
    });
    [a, b] = await Promise.all([
      startServer(['--db', t.location, '--no-demo']),
      startServer(['--db', t.location, '--no-demo']),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await t.dispose();
  });

  it('share sessions: a login on one server opens the admin API on the other', async () => {
    const login = await fetch(`${a.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.org', password: 'a long enough password' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const onB = await fetch(`${b.url}/api/admin/responses`, { headers: { cookie } });
    expect(onB.status).toBe(200);
  });

  it('share drafts: saved through one server, resumed through the other', async () => {
    const token = 'two_servers_resume_token_0001';
    const put = await fetch(`${a.url}/api/instruments/cairnet/drafts/${token}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { gender: 'man' }, pageNo: 1 }),
    });
    expect(put.status).toBe(200);
    const got = await fetch(`${b.url}/api/instruments/cairnet/drafts/${token}`);
    expect(await got.json()).toMatchObject({ data: { gender: 'man' }, pageNo: 1 });
  });

  it('share idempotency: the same submission sent to both at once is stored once', async () => {
    const body = JSON.stringify({ data: neverMetAnswers(), idempotencyKey: 'both-servers-1' });
    const send = (url: string) =>
      fetch(`${url}/api/instruments/cairnet/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }).then(async (r) => ({ status: r.status, id: ((await r.json()) as { id: string }).id }));
    const results = await Promise.all([send(a.url), send(b.url), send(a.url), send(b.url)]);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const rows = await t.store.db
      .selectFrom('responses')
      .select('id')
      .where('idempotency_key', '=', 'both-servers-1')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('show the same published snapshot, byte for byte, before and after new responses', async () => {
    const post = (url: string, data: Record<string, unknown>) =>
      fetch(`${url}/api/instruments/cairnet/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data }),
      });
    for (let i = 0; i < 6; i++)
      expect(
        (await post(i % 2 ? a.url : b.url, i % 3 ? ongoingFundedAnswers() : neverMetAnswers())).status,
      ).toBe(201);
    const snap = await computeSnapshot(t.store, { by: 'test' });
    await publishSnapshot(t.store.db, snap.snapshot.id, null);
    const read = async (url: string) => (await fetch(`${url}/api/results/cairnet`)).text();
    const [onA, onB] = await Promise.all([read(a.url), read(b.url)]);
    expect(JSON.parse(onA).snapshot).toBe(snap.snapshot.id);
    expect(onB).toBe(onA);
    expect((await post(b.url, ongoingFundedAnswers())).status).toBe(201);
    expect(await read(a.url)).toBe(onA);
    expect(await read(b.url)).toBe(onA);
  });

  it('show the same latest snapshot on the dashboard', async () => {
    const login = await fetch(`${a.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.org', password: 'a long enough password' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const dash = async (url: string) =>
      (await (await fetch(`${url}/api/admin/dashboard`, { headers: { cookie } })).json()) as {
        snapshot: string;
        n: number;
      };
    const stored = Number(
      (
        await t.store.db
          .selectFrom('responses')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n,
    );
    // each server checks the store and stores a new snapshot in the background; both then show the latest
    let x = await dash(a.url);
    let y = await dash(b.url);
    for (let i = 0; i < 120 && (x.snapshot !== y.snapshot || x.n !== stored); i++) {
      await new Promise((r) => setTimeout(r, 500));
      [x, y] = await Promise.all([dash(a.url), dash(b.url)]);
    }
    expect(y.snapshot).toBe(x.snapshot);
    expect(x.n).toBe(stored);
  }, 120_000);
});
