import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePanel } from '../../src/demo/index.js';
import { computeSnapshot } from '../../src/results/compute-snapshot.js';
import { loadSnapshot } from '../../src/results/load-snapshot.js';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { findPublication, publicationHistory } from '../../src/store/repositories/publications.js';
import { insertResponsesBulk } from '../../src/store/repositories/responses.js';
import { listSnapshots } from '../../src/store/repositories/snapshots.js';
import { addUser } from '../../src/store/repositories/users.js';
import { neverMetAnswers, ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cairnet-snapshots-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PASSWORD = 'a long enough password';

/** The number a document shows as the responses analysed (`data-indicator="respondents"`). */
function respondents(html: string): string | undefined {
  return /data-indicator="respondents"[^>]*>([^<]+)</.exec(html)?.[1];
}

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

for (const dialect of await availableDialects()) {
  describe(`${dialect}: results snapshots`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let admin: { cookie: string; 'x-csrf-token': string };
    const db = () => ['--db', t.location];
    const post = (data: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/instruments/cairnet/responses', payload: { data } });

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await ensureCairnetInstrument(t.store);
      // 200 responses of the panel's model, stored as real answers of the Cairnet survey (the
      // synthetic panel itself goes to cairnet-demo, which takes no real response afterwards).
      await insertResponsesBulk(
        t.store.db,
        generatePanel({ respondents: 200, seed: 7 }).map((r, i) => ({
          instrumentName: 'cairnet',
          instrumentVersion: 1,
          data: r.data,
          synthetic: false,
          idempotencyKey: `snapshot-test-${i}`,
          completedAt: new Date(Date.UTC(2012, 3, 2) + i * 3_600_000).toISOString(),
        })),
      );
      // responses posted in bulk from one address: the open-submission limit is off
      app = await buildApp({ store: t.store, openSubmitRate: 0 });
      await app.ready();
      await addUser(t.store.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin' });
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'admin@example.org', password: PASSWORD },
      });
      admin = {
        cookie: String(res.headers['set-cookie']).split(';')[0]!,
        'x-csrf-token': res.json().csrfToken,
      };
    }, 180_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    it('stores a snapshot with its inputs named (cairnet results compute --json)', async () => {
      const r = await cli(['results', 'compute', '--json', ...db()]);
      expect(r.code, r.stderr).toBe(0);
      const out = json(r.stdout);
      expect(out).toMatchObject({ instrument: 'cairnet', responses: 200, synthetic: false });
      expect(Object.keys(out).slice(0, 4)).toEqual(['snapshot', 'instrument', 'responses', 'computedAt']);
      expect(out.computedBy).toMatch(/^cli:/);
      const snap = await loadSnapshot(t.store, String(out.snapshot));
      const inputs = snap.snapshot.inputs;
      expect(inputs.instrument).toMatchObject({ name: 'cairnet', version: 1, responseVersions: [1] });
      expect(inputs.responses.count).toBe(200);
      expect(inputs.responses.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(inputs.responses.last).toBe(
        (
          await t.store.db
            .selectFrom('responses')
            .select((eb) => eb.fn.max('completed_at').as('m'))
            .executeTakeFirst()
        )?.m,
      );
      expect(inputs.plan.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(inputs.code).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{16}$/);
      expect(inputs.decisions).toEqual({ count: 0, last: null });
      expect(snap.associations?.distinct).toBeGreaterThan(0);
      expect(snap.results.indicators.map((i) => i.id)).toContain('F2');
    });

    it('gives the same indicators when computed twice from the same inputs, in a new snapshot each time', async () => {
      const a = await computeSnapshot(t.store, { by: 'test' });
      const b = await computeSnapshot(t.store, { by: 'test' });
      expect(b.snapshot.id).not.toBe(a.snapshot.id);
      expect(b.snapshot.inputs.responses).toEqual(a.snapshot.inputs.responses);
      expect(b.snapshot.resultsHash).toBe(a.snapshot.resultsHash);
      const [x, y] = [await loadSnapshot(t.store, a.snapshot.id), await loadSnapshot(t.store, b.snapshot.id)];
      expect(y.results).toEqual(x.results);
      expect(x.results).toEqual(a.results);
    });

    it('never updates a stored snapshot', async () => {
      const [s] = await listSnapshots(t.store.db);
      await expect(
        t.store.db
          .updateTable('result_snapshots')
          .set({ responses_count: 1 })
          .where('id', '=', s!.id)
          .execute(),
      ).rejects.toThrow(/immutable/);
      expect((await loadSnapshot(t.store, s!.id)).results.n).toBe(200);
    });

    it('shows a snapshot as analyze --json does, plus its inputs; an unknown id is an error', async () => {
      const [s] = await listSnapshots(t.store.db);
      const shown = await cli(['results', 'show', s!.id, '--json', ...db()]);
      expect(shown.code, shown.stderr).toBe(0);
      const analyze = await cli(['analyze', '--json', ...db()]);
      const a = json(analyze.stdout);
      const b = json(shown.stdout);
      expect(b.snapshot).toBe(s!.id);
      expect(b.inputs).toMatchObject({ responses: { count: 200 } });
      expect(b.indicators).toEqual(a.indicators);
      expect(b.n).toBe(a.n);
      const missing = await cli(['results', 'show', 'no-such-snapshot', ...db()]);
      expect(missing.code).toBe(3);
      expect(missing.stderr).toContain('CAIRNET_SNAPSHOT_NOT_FOUND');
      const list = await cli(['results', 'list', '--json', ...db()]);
      const rows = json(list.stdout).snapshots as { snapshot: string; responses: number }[];
      expect(rows.length).toBe((await listSnapshots(t.store.db)).length);
      expect(rows[0]).toMatchObject({ snapshot: s!.id, responses: 200 });
    });

    it('renders the report and the press release of one snapshot with the same n, whatever arrived since', async () => {
      const snap = await computeSnapshot(t.store, { by: 'test' });
      expect((await post(neverMetAnswers())).statusCode).toBe(201);
      const report = join(dir, `r-${dialect}.html`);
      const release = join(dir, `p-${dialect}.html`);
      const r1 = await cli([
        'report',
        '--format',
        'html',
        '--snapshot',
        snap.snapshot.id,
        '--out',
        report,
        ...db(),
      ]);
      expect(r1.code, r1.stderr).toBe(0);
      const r2 = await cli([
        'press-release',
        '--format',
        'html',
        '--snapshot',
        snap.snapshot.id,
        '--out',
        release,
        ...db(),
      ]);
      expect(r2.code, r2.stderr).toBe(0);
      const html = readFileSync(report, 'utf8');
      expect(respondents(html)).toBe('200');
      expect(respondents(readFileSync(release, 'utf8'))).toBe('200');
      expect(html).toContain(snap.snapshot.id);
      // without --snapshot: a new snapshot of the current responses, stored first
      const before = (await listSnapshots(t.store.db)).length;
      const r3 = await cli(['report', '--format', 'html', '--out', report, ...db()]);
      expect(r3.code, r3.stderr).toBe(0);
      expect(r3.stderr).toMatch(/snapshot \S+, stored now\)/);
      expect(respondents(readFileSync(report, 'utf8'))).toBe('201');
      expect((await listSnapshots(t.store.db)).length).toBe(before + 1);
    });

    it('serves the published snapshot byte for byte while responses arrive, and says which it is', async () => {
      const on = await cli(['publish', '--json', ...db()]);
      expect(on.code, on.stderr).toBe(0);
      const state = json(on.stdout);
      expect(state).toMatchObject({ instrument: 'cairnet', published: true });
      const id = String(state.snapshot);
      const first = await app.inject({ url: '/api/results/cairnet' });
      expect(first.statusCode).toBe(200);
      expect(first.json().snapshot).toBe(id);
      const n = first.json().n as number;
      const page = await app.inject({ url: '/results/cairnet?lang=en' });
      for (let i = 0; i < 5; i++) expect((await post(ongoingFundedAnswers())).statusCode).toBe(201);
      // a new snapshot exists (the dashboard's), yet the public results do not move
      await computeSnapshot(t.store, { by: 'test' });
      const again = await app.inject({ url: '/api/results/cairnet' });
      expect(again.body).toBe(first.body);
      expect(again.json().n).toBe(n);
      expect((await app.inject({ url: '/results/cairnet?lang=en' })).body).toBe(page.body);
      // on a new app (another server, or a restart) too
      const other = await buildApp({ store: t.store });
      try {
        expect((await other.inject({ url: '/api/results/cairnet' })).body).toBe(first.body);
      } finally {
        await other.close();
      }
    });

    it('publishes another snapshot, withdraws and republishes, each step in the history and the audit log', async () => {
      const [latest] = await listSnapshots(t.store.db);
      const before = (await findPublication(t.store.db, 'cairnet'))!.snapshot;
      const r = await cli(['publish', '--snapshot', latest!.id, '--json', ...db()]);
      expect(r.code, r.stderr).toBe(0);
      expect(json(r.stdout).snapshot).toBe(latest!.id);
      expect((await app.inject({ url: '/api/results/cairnet' })).json().snapshot).toBe(latest!.id);
      const off = await app.inject({
        method: 'PUT',
        url: '/api/admin/results/cairnet/publication',
        headers: admin,
        payload: { published: false },
      });
      expect(off.json().publication).toBeNull();
      expect((await app.inject({ url: '/api/results/cairnet' })).statusCode).toBe(404);
      const back = await app.inject({
        method: 'PUT',
        url: '/api/admin/results/cairnet/publication',
        headers: admin,
        payload: { published: true, snapshot: before },
      });
      expect(back.json().publication.snapshot).toBe(before);
      const history = await publicationHistory(t.store.db, 'cairnet');
      expect(history.map((h) => [h.action, h.snapshot])).toEqual([
        ['publish', before],
        ['publish', latest!.id],
        ['withdraw', latest!.id],
        ['publish', before],
      ]);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'detail', 'user_id'])
        .where('action', 'in', ['results.publish', 'results.withdraw'])
        .orderBy('at')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'results.publish',
        'results.publish',
        'results.withdraw',
        'results.publish',
      ]);
      expect(JSON.parse(audit[1]!.detail!)).toEqual({ snapshot: latest!.id, previous: before });
      expect(audit[3]!.user_id).not.toMatch(/^cli:/);
    });

    it('refuses to delete a snapshot that is or was published, or to publish an unknown one, changing nothing', async () => {
      const published = (await findPublication(t.store.db, 'cairnet'))!.snapshot!;
      const del = await cli(['results', 'delete', published, ...db()]);
      expect(del.code).toBe(8);
      expect(del.stderr).toContain('CAIRNET_SNAPSHOT_PUBLISHED');
      // withdrawn once, still kept
      const withdrawn = (await publicationHistory(t.store.db, 'cairnet')).find(
        (h) => h.action === 'withdraw',
      )!.snapshot!;
      expect((await cli(['results', 'delete', withdrawn, ...db()])).code).toBe(8);
      // and the database refuses it too
      await expect(
        t.store.db.deleteFrom('result_snapshots').where('id', '=', published).execute(),
      ).rejects.toThrow();
      const count = (await listSnapshots(t.store.db)).length;
      const bad = await cli(['publish', '--snapshot', 'no-such-snapshot', ...db()]);
      expect(bad.code).toBe(3);
      expect(bad.stderr).toContain('CAIRNET_SNAPSHOT_NOT_FOUND');
      expect((await findPublication(t.store.db, 'cairnet'))!.snapshot).toBe(published);
      const badHttp = await app.inject({
        method: 'PUT',
        url: '/api/admin/results/cairnet/publication',
        headers: admin,
        payload: { published: true, snapshot: 'no-such-snapshot' },
      });
      expect(badHttp.statusCode).toBe(404);
      expect((await findPublication(t.store.db, 'cairnet'))!.snapshot).toBe(published);
      expect((await listSnapshots(t.store.db)).length).toBe(count);
      // one never published goes
      const spare = await computeSnapshot(t.store, { by: 'test', associations: false });
      const ok = await cli(['results', 'delete', spare.snapshot.id, ...db()]);
      expect(ok.code, ok.stderr).toBe(0);
      expect((await listSnapshots(t.store.db)).length).toBe(count);
    });

    it('says which indicators moved between two snapshots, by how much, and beyond the interval or not', async () => {
      const a = await computeSnapshot(t.store, { by: 'test', associations: false });
      // 60 researchers who never met an association: F2 (in contact) falls well beyond its interval
      for (let i = 0; i < 60; i++) expect((await post(neverMetAnswers())).statusCode).toBe(201);
      const b = await computeSnapshot(t.store, { by: 'test', associations: false });
      const r = await cli(['results', 'diff', a.snapshot.id, b.snapshot.id, '--json', ...db()]);
      expect(r.code, r.stderr).toBe(0);
      const d = JSON.parse(r.stdout);
      expect(d).toMatchObject({
        from: a.snapshot.id,
        to: b.snapshot.id,
        n: { before: a.results.n, after: b.results.n },
      });
      const f2 = d.indicators.find((i: { id: string }) => i.id === 'F2');
      const own = f2.changes.find((c: { cell: string }) => c.cell === '');
      const before = a.results.indicators.find((i) => i.id === 'F2')!;
      const after = b.results.indicators.find((i) => i.id === 'F2')!;
      expect(own.change).toBeCloseTo(after.estimate! - before.estimate!, 12);
      expect(own.change).toBeLessThan(0);
      expect(own.beyondInterval).toBe(true);
      expect(f2).toMatchObject({ state: 'moved', beyondInterval: true });
      const same = json(
        (await cli(['results', 'diff', b.snapshot.id, b.snapshot.id, '--json', ...db()])).stdout,
      );
      expect(same.moved).toBe(0);
      const text = await cli(['results', 'diff', a.snapshot.id, b.snapshot.id, ...db()]);
      expect(text.stdout).toMatch(/^F2 {2}\S+% → \S+% {2}\(-\d/m);
      expect(text.stdout).toContain('beyond interval');
    });

    it('shows on the dashboard what changed since the published snapshot', async () => {
      const res = await app.inject({ url: '/api/admin/dashboard', headers: admin });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      const published = (await findPublication(t.store.db, 'cairnet'))!.snapshot;
      expect(body.sincePublished.from).toBe(published);
      expect(body.sincePublished.to).toBe(body.snapshot);
      expect(body.sincePublished.moved).toBeGreaterThan(0);
      const page = await app.inject({ url: '/admin/dashboard?lang=fr', headers: admin });
      expect(page.body).toContain('Changements depuis la publication');
      expect(page.body).toContain('data-changed="F2"');
      // the publication switch publishes the snapshot the page shows
      expect(page.body).toContain(`data-snapshot="${body.snapshot}"`);
      expect(page.body).not.toContain('Changes since publication');
    });

    it('answers a bad snapshot id or option with a clear error, storing nothing', async () => {
      const count = (await listSnapshots(t.store.db)).length;
      const publication = await findPublication(t.store.db, 'cairnet');
      const unknown = await app.inject({ url: '/admin/report?snapshot=no-such-snapshot', headers: admin });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('CAIRNET_SNAPSHOT_NOT_FOUND');
      const malformed = await app.inject({ url: '/admin/press-release?snapshot=..%2Fx', headers: admin });
      expect(malformed.statusCode).toBe(400);
      const badBody = await app.inject({
        method: 'PUT',
        url: '/api/admin/results/cairnet/publication',
        headers: admin,
        payload: { published: true, snapshot: 42 },
      });
      expect(badBody.json().code).toBe('CAIRNET_BAD_REQUEST');
      const both = await cli(['publish', '--snapshot', publication!.snapshot!, '--withdraw', ...db()]);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('CAIRNET_USAGE');
      const noPlan = await cli(['results', 'compute', '--instrument', 'nosuchsurvey', ...db()]);
      expect(noPlan.code).toBe(3);
      expect(noPlan.stderr).toContain('CAIRNET_INSTRUMENT_NOT_FOUND');
      const diff = await cli(['results', 'diff', publication!.snapshot!, 'no-such-snapshot', ...db()]);
      expect(diff.code).toBe(3);
      const twice = await cli([
        'report',
        '--format',
        'html',
        '--snapshot',
        publication!.snapshot!,
        '--plan',
        'p.yaml',
        '--out',
        join(dir, 'x.html'),
        ...db(),
      ]);
      expect(twice.code).toBe(2);
      expect((await listSnapshots(t.store.db)).length).toBe(count);
      expect(await findPublication(t.store.db, 'cairnet')).toEqual(publication);
    });

    it('gives a publication made before snapshots existed one snapshot, the same for every server', async () => {
      await t.store.db.updateTable('publications').set({ snapshot_id: null }).execute();
      const other = await buildApp({ store: t.store });
      try {
        const [x, y] = await Promise.all([
          app.inject({ url: '/api/results/cairnet' }),
          other.inject({ url: '/api/results/cairnet' }),
        ]);
        expect(x.statusCode).toBe(200);
        expect(y.body).toBe(x.body);
        const attached = (await findPublication(t.store.db, 'cairnet'))!.snapshot;
        expect(x.json().snapshot).toBe(attached);
        expect((await app.inject({ url: '/api/results/cairnet' })).body).toBe(x.body);
      } finally {
        await other.close();
      }
    });
  });
}
