import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCampaign, reopenCampaign } from '../../src/campaign/close-campaign.js';
import { importPopulation } from '../../src/campaign/population-import.js';
import { readPopulationFile } from '../../src/campaign/read-population-file.js';
import { buildApp } from '../../src/server/build-app.js';
import { openStore } from '../../src/store/open-store.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { claimJob, createJob, getJob } from '../../src/store/repositories/jobs.js';
import { addUser } from '../../src/store/repositories/users.js';
import { cairnetSurvey } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';
import { startSmtpSink } from './smtp-sink.js';

const dialects = await availableDialects();
const N = 6;
const dir = mkdtempSync(join(tmpdir(), 'cairnet-jobs-'));
const file = join(dir, 'people.csv');
writeFileSync(
  file,
  `email,language\n${Array.from({ length: N }, (_, i) => `p${i}@inserm.fr,${i % 2 ? 'en' : 'fr'}`).join('\n')}\n`,
);
const PASSWORD = 'a long enough password';

for (const dialect of dialects) {
  describe(`${dialect}: sending rounds as background jobs`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let sink: Awaited<ReturnType<typeof startSmtpSink>>;
    const sessions: Record<string, { cookie: string; csrf: string }> = {};

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await saveInstrument(t.store.db, 'cairnet', cairnetSurvey());
      await saveInstrument(t.store.db, 'other', cairnetSurvey());
      await importPopulation(t.store.db, 'cairnet', await readPopulationFile(file), { file });
      sink = await startSmtpSink();
      app = await buildApp({
        store: t.store,
        mailConfig: () => ({
          smtpUrl: sink.url,
          from: 'cairnet@inserm.fr',
          publicUrl: 'https://e.example.org',
        }),
        jobWorker: { leaseMs: 2000, pollMs: 50 },
      });
      await app.ready();
      for (const role of ['admin', 'analyst'] as const) {
        await addUser(t.store.db, { email: `${role}@example.org`, password: PASSWORD, role });
        const login = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `${role}@example.org`, password: PASSWORD },
        });
        sessions[role] = {
          cookie: String(login.headers['set-cookie']).split(';')[0]!,
          csrf: login.json().csrfToken,
        };
      }
    });
    afterAll(async () => {
      await app.close();
      await sink.close();
      await t.dispose();
    });

    const post = (url: string, payload: unknown, role = 'admin', csrf = true) =>
      app.inject({
        method: 'POST',
        url,
        payload: payload as Record<string, unknown>,
        headers: {
          cookie: sessions[role]!.cookie,
          ...(csrf ? { 'x-csrf-token': sessions[role]!.csrf } : {}),
        },
      });
    const job = (id: string) =>
      app.inject({
        method: 'GET',
        url: `/api/admin/jobs/${id}`,
        headers: { cookie: sessions.admin!.cookie },
      });
    const untilFinished = async (id: string) => {
      for (let i = 0; i < 400; i++) {
        const j = (await job(id)).json();
        if (j.state === 'done' || j.state === 'failed') return j;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the job did not finish');
    };
    const jobCount = async () => (await t.store.db.selectFrom('jobs').select('id').execute()).length;

    it('refuses bad requests with a clear code and queues nothing', async () => {
      const cases: [unknown, number, string, string?, boolean?][] = [
        [{ instrument: 'nope' }, 404, 'CAIRNET_INSTRUMENT_NOT_FOUND'],
        [{}, 400, 'CAIRNET_BAD_REQUEST'],
        [{ instrument: 'cairnet', ratePerMinute: 0 }, 400, 'CAIRNET_BAD_REQUEST'],
        [{ instrument: 'cairnet', extra: 1 }, 400, 'CAIRNET_BAD_REQUEST'],
        [{ instrument: 'cairnet' }, 403, 'CAIRNET_FORBIDDEN', 'analyst'],
        [{ instrument: 'cairnet' }, 403, 'CAIRNET_CSRF', 'admin', false],
      ];
      for (const [body, status, code, role, csrf] of cases) {
        const res = await post('/api/admin/campaign/invitations', body, role, csrf);
        expect(res.statusCode, JSON.stringify(body)).toBe(status);
        expect(res.json().code).toBe(code);
      }
      await closeCampaign(t.store.db, 'cairnet');
      const closed = await post('/api/admin/campaign/reminders', { instrument: 'cairnet' });
      expect(closed.statusCode).toBe(409);
      expect(closed.json().code).toBe('CAIRNET_CAMPAIGN_CLOSED');
      await reopenCampaign(t.store.db, 'cairnet');
      expect(await jobCount()).toBe(0);
      expect((await job('0b8a4c1e-0000-4000-8000-000000000000')).json().code).toBe('CAIRNET_JOB_NOT_FOUND');
      expect(sink.received).toHaveLength(0);
    });

    it('queues the invitations (202), works them in the background, and reports the progress', async () => {
      const res = await post('/api/admin/campaign/invitations', {
        instrument: 'cairnet',
        ratePerMinute: 6000,
      });
      expect(res.statusCode).toBe(202);
      const { jobId } = res.json();
      expect(Object.keys(res.json())).toEqual(['jobId']);
      const again = await post('/api/admin/campaign/invitations', { instrument: 'cairnet' });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'CAIRNET_JOB_ACTIVE', details: { jobId } });
      let j = (await job(jobId)).json();
      while (j.state !== 'done' && j.state !== 'failed') {
        expect(j.done).toBeLessThanOrEqual(Math.max(j.total, 0));
        await new Promise((r) => setTimeout(r, 20));
        j = (await job(jobId)).json();
      }
      expect(j).toMatchObject({ state: 'done', done: N, total: N, failed: 0, uncertain: 0, sent: N });
      expect(sink.received).toHaveLength(N);
      expect(new Set(sink.received.flatMap((m) => m.to)).size).toBe(N);
      const audit = await t.store.db.selectFrom('audit_log').select(['action', 'target']).execute();
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['jobs.invitation.queued', 'invitations.send']),
      );
      // A second invitation job finds nobody left: at most once per person.
      const second = await post('/api/admin/campaign/invitations', { instrument: 'cairnet' });
      expect(await untilFinished(second.json().jobId)).toMatchObject({ state: 'done', total: 0, done: 0 });
      expect(sink.received).toHaveLength(N);
    });

    it('sends a reminder round as a job and records a refused address as failed', async () => {
      sink.rejectRcpt('p3@inserm.fr');
      const res = await post('/api/admin/campaign/reminders', { instrument: 'cairnet', ratePerMinute: 6000 });
      expect(res.statusCode).toBe(202);
      const j = await untilFinished(res.json().jobId);
      expect(j).toMatchObject({
        state: 'done',
        total: N,
        done: N,
        sent: N - 1,
        failed: 1,
        round: 'reminder-1',
      });
    });

    it('fails a job whose SMTP server is unreachable, with the code, and sends nothing twice', async () => {
      const other = await buildApp({
        store: t.store,
        mailConfig: () => ({
          smtpUrl: 'smtp://127.0.0.1:1',
          from: 'c@inserm.fr',
          publicUrl: 'https://e.example.org',
        }),
        jobWorker: { leaseMs: 2000, pollMs: 50 },
      });
      await app.close(); // only the app whose SMTP is unreachable works jobs now
      await other.ready();
      const before = sink.received.length;
      try {
        const login = await other.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'admin@example.org', password: PASSWORD },
        });
        const cookie = String(login.headers['set-cookie']).split(';')[0]!;
        const res = await other.inject({
          method: 'POST',
          url: '/api/admin/campaign/reminders',
          payload: { instrument: 'cairnet' },
          headers: { cookie, 'x-csrf-token': login.json().csrfToken },
        });
        expect(res.statusCode).toBe(202);
        let j: Record<string, unknown> = {};
        for (let i = 0; i < 400 && j.state !== 'failed' && j.state !== 'done'; i++) {
          await new Promise((r) => setTimeout(r, 50));
          j = (
            await other.inject({
              method: 'GET',
              url: `/api/admin/jobs/${res.json().jobId}`,
              headers: { cookie },
            })
          ).json();
        }
        expect(j).toMatchObject({ state: 'failed', error: { code: 'CAIRNET_MAIL_UNREACHABLE' } });
        expect(sink.received.length).toBe(before);
      } finally {
        await other.close();
        app = await buildApp({ store: t.store });
      }
    });
  });

  describe(`${dialect}: exactly one worker claims a job`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(dialect);
    });
    afterAll(async () => t.dispose());

    it('gives a queued job to one of two stores claiming at once, and again only once its lease ran out', async () => {
      const second = await openStore({ db: t.location, ...(t.schema ? { schema: t.schema } : {}) });
      try {
        const queued = await createJob(t.store.db, {
          kind: 'invitation',
          instrument: 'cairnet',
          params: {},
          createdBy: null,
        });
        const claims = await Promise.all([
          claimJob(t.store, 'a', 3000),
          claimJob(second, 'b', 3000),
          claimJob(t.store, 'c', 3000),
          claimJob(second, 'd', 3000),
        ]);
        const won = claims.filter((c) => c !== undefined);
        expect(won).toHaveLength(1);
        expect(won[0]).toMatchObject({ id: queued.id, state: 'running', attempts: 1 });
        // While the lease holds, nobody else gets it.
        expect(await claimJob(second, 'e', 3000)).toBeUndefined();
        await new Promise((r) => setTimeout(r, 3100));
        const again = await claimJob(second, 'f', 300);
        expect(again).toMatchObject({ id: queued.id, attempts: 2, leaseOwner: 'f' });
        expect((await getJob(t.store.db, queued.id))?.leaseOwner).toBe('f');
      } finally {
        await second.close();
      }
    });

    it('queues a round from the command line with --enqueue, and refuses a second of the same kind', async () => {
      const res = await cli([
        'invitations',
        'remind',
        '--enqueue',
        '--rate',
        '120',
        '--json',
        '--db',
        t.location,
      ]);
      expect(res.code).toBe(0);
      const { jobId } = JSON.parse(res.stdout);
      expect(await getJob(t.store.db, jobId)).toMatchObject({
        state: 'queued',
        kind: 'reminder',
        instrument: 'cairnet',
        params: { ratePerMinute: 120 },
      });
      const busy = await cli(['invitations', 'send', '--enqueue', '--db', t.location]);
      expect(busy.code).toBe(8);
      expect(busy.stderr).toMatch(/^error CAIRNET_JOB_ACTIVE: An invitation job is already running/);
    });
  });
}
