import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPopulation } from '../../src/campaign/population-import.js';
import { readPopulationFile } from '../../src/campaign/read-population-file.js';
import { sendRound } from '../../src/campaign/send-campaign.js';
import { buildApp } from '../../src/server/build-app.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { addUser } from '../../src/store/repositories/users.js';
import { cairnetSurvey, neverMetAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';

const dialects = await availableDialects();

for (const dialect of dialects) {
  describe(`${dialect}: who may answer a survey, and how often from one address`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    const tokens: string[] = [];
    const count = async () =>
      Number(
        (
          await t.store.db
            .selectFrom('responses')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n ?? 0,
      );
    const post = (payload: Record<string, unknown>, remoteAddress = '127.0.0.1', on = app) =>
      on.inject({ method: 'POST', url: '/api/instruments/cairnet/responses', payload, remoteAddress });
    const draft = (token: string, remoteAddress = '127.0.0.1', on = app) =>
      on.inject({
        method: 'PUT',
        url: `/api/instruments/cairnet/drafts/${token}`,
        payload: { data: { gender: 'woman' }, pageNo: 1 },
        remoteAddress,
      });
    const randomToken = (i: number) => `open-draft-token-${dialect}-${i}-abcdefgh`;

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await saveInstrument(t.store.db, 'cairnet', cairnetSurvey());
      app = await buildApp({ store: t.store, openSubmitRate: 3 });
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('takes open answers while the survey has no population', async () => {
      const res = await post({ data: neverMetAnswers() });
      expect(res.statusCode).toBe(201);
    });

    it('becomes invitation-only once a population is imported: 403 without a valid personal link, nothing stored', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cairnet-access-'));
      const file = join(dir, 'population.csv');
      writeFileSync(file, 'email,name\nann@inserm.fr,Ann\nben@inserm.fr,Ben\ncid@inserm.fr,Cid\n');
      await importPopulation(t.store.db, 'cairnet', await readPopulationFile(file), { file });
      await sendRound(t.store.db, 'cairnet', {
        kind: 'invitation',
        config: { smtpUrl: 'smtp://127.0.0.1:1', from: 'c@inserm.fr', publicUrl: 'https://e.example.org' },
        ratePerMinute: 60_000,
        transport: {
          async sendMail(mail) {
            tokens.push(/\/i\/([A-Za-z0-9_-]+)/.exec(String(mail.text))![1]!);
            return { response: '250 ok' };
          },
        },
      });
      // each app server re-reads a survey's access every 5 s: a new one sees the population at once
      await app.close();
      app = await buildApp({ store: t.store, openSubmitRate: 3 });
      const before = await count();
      for (const payload of [
        { data: neverMetAnswers() },
        { data: neverMetAnswers(), resumeToken: randomToken(0) },
      ]) {
        const res = await post(payload, '10.0.0.1');
        expect(res.statusCode).toBe(403);
        expect(res.json().code).toBe('CAIRNET_INVITATION_REQUIRED');
      }
      const newDraft = await draft(randomToken(1), '10.0.0.1');
      expect(newDraft.statusCode).toBe(403);
      expect(newDraft.json().code).toBe('CAIRNET_INVITATION_REQUIRED');
      expect(await count()).toBe(before);
      // a personal link works, and the response says how it came
      const invited = await post({ data: neverMetAnswers(), invitationToken: tokens[0] }, '10.0.0.1');
      expect(invited.statusCode).toBe(201);
      const row = await t.store.db
        .selectFrom('responses')
        .select('via')
        .where('id', '=', invited.json().id)
        .executeTakeFirstOrThrow();
      expect(row.via).toBe('invitation');
    });

    it('is declared open or invitation-only by `cairnet campaign set access`', async () => {
      const bad = await cli(['campaign', 'set', 'access', 'public', '--db', t.location]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('CAIRNET_CAMPAIGN_SETTING_INVALID');
      const open = await cli([
        'campaign',
        'set',
        'access',
        'open',
        '--instrument',
        'cairnet',
        '--db',
        t.location,
      ]);
      expect(open.code).toBe(0);
      expect(open.stdout).toContain('access of cairnet = open');
      // the app re-reads a survey's access every 5 s: a new app sees it at once
      const fresh = await buildApp({ store: t.store, openSubmitRate: 0 });
      try {
        const res = await post({ data: neverMetAnswers() }, '10.0.0.9', fresh);
        expect(res.statusCode).toBe(201);
        const row = await t.store.db
          .selectFrom('responses')
          .select('via')
          .where('id', '=', res.json().id)
          .executeTakeFirstOrThrow();
        expect(row.via).toBe('open');
      } finally {
        await fresh.close();
      }
      const back = await cli(['campaign', 'set', 'access', 'invitation', '--db', t.location]);
      expect(back.code).toBe(0);
      const closed = await buildApp({ store: t.store, openSubmitRate: 0 });
      try {
        expect((await post({ data: neverMetAnswers() }, '10.0.0.9', closed)).statusCode).toBe(403);
      } finally {
        await closed.close();
      }
      expect((await cli(['campaign', 'set', 'access', 'open', '--db', t.location])).code).toBe(0);
    });

    it('limits open submissions per address and minute, drafts included, across app servers, with 429 and Retry-After', async () => {
      await app.close();
      app = await buildApp({ store: t.store, openSubmitRate: 3 });
      const other = await buildApp({ store: t.store, openSubmitRate: 3 });
      try {
        const address = '10.0.0.2';
        expect((await post({ data: neverMetAnswers() }, address)).statusCode).toBe(201);
        expect((await draft(randomToken(2), address, other)).statusCode).toBe(200);
        // saving the same draft again is not a new submission
        expect((await draft(randomToken(2), address)).statusCode).toBe(200);
        // a personal link is not an open submission
        expect(
          (await post({ data: neverMetAnswers(), invitationToken: tokens[1] }, address)).statusCode,
        ).toBe(201);
        const third = await post({ data: neverMetAnswers() }, address, other);
        const fourth = await post({ data: neverMetAnswers() }, address);
        const before = await count();
        const newDraft = await draft(randomToken(3), address, other);
        // the minute may have turned between the third and the fourth (then the next two pass)
        const limited = [third, fourth, newDraft].filter((r) => r.statusCode === 429);
        expect(limited.length).toBeGreaterThanOrEqual(1);
        for (const r of limited) {
          expect(r.json().code).toBe('CAIRNET_OPEN_SUBMIT_RATE_LIMITED');
          const wait = Number(r.headers['retry-after']);
          expect(wait).toBeGreaterThan(0);
          expect(wait).toBeLessThanOrEqual(60);
        }
        if (newDraft.statusCode === 429) expect(await count()).toBe(before);
        // another address is not limited by this one
        expect((await post({ data: neverMetAnswers() }, '10.0.0.3')).statusCode).toBe(201);
      } finally {
        await other.close();
      }
    });

    it('shows analysts how each response came', async () => {
      await addUser(t.store.db, { email: 'ana@inserm.fr', password: 'analyst-password', role: 'analyst' });
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'ana@inserm.fr', password: 'analyst-password' },
      });
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const res = await app.inject({ url: '/api/admin/responses?page=1&pageSize=100', headers: { cookie } });
      expect(res.statusCode).toBe(200);
      const vias = new Set(res.json().items.map((r: { via: string }) => r.via));
      expect(vias).toEqual(new Set(['open', 'invitation']));
    });
  });
}
