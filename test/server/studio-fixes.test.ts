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
import { insertCompletedResponse } from '../../src/store/repositories/responses.js';
import { addUser, type Role } from '../../src/store/repositories/users.js';
import { startSmtpSink } from '../campaign/smtp-sink.js';
import { cairnetSurvey, neverMetAnswers, ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

const dialects = await availableDialects();
const PASSWORD = 'a long enough password';

for (const dialect of dialects) {
  describe(`${dialect}: the small faults of the survey team's pages, fixed`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    const cookies = new Map<Role, string>();
    const ids: string[] = [];

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await saveInstrument(t.store.db, 'cairnet', cairnetSurvey());
      for (const [i, data] of [neverMetAnswers(), ongoingFundedAnswers(), neverMetAnswers()].entries()) {
        const r = await insertCompletedResponse(t.store.db, {
          instrumentName: 'cairnet',
          instrumentVersion: 1,
          data,
          completedAt: `2026-03-0${i + 1}T10:00:00.000Z`,
        });
        ids.push(r.id);
      }
      // A second version that nobody has answered yet.
      await saveInstrument(t.store.db, 'cairnet', { ...cairnetSurvey(), title: 'Cairnet, v2' });
      app = await buildApp({ store: t.store });
      for (const role of ['admin', 'analyst', 'press'] as const) {
        await addUser(t.store.db, { email: `${role}@example.org`, password: PASSWORD, role });
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `${role}@example.org`, password: PASSWORD },
        });
        cookies.set(role, String(res.headers['set-cookie']).split(';')[0]!);
      }
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });
    const get = (url: string, role: Role = 'admin') =>
      app.inject({ method: 'GET', url, headers: { cookie: cookies.get(role)! } });

    it('lists the latest responses newest first when asked, and counts responses per version', async () => {
      const newest = (await get('/api/admin/responses?pageSize=2&order=newest')).json();
      expect(newest.items.map((r: { id: string }) => r.id)).toEqual([ids[2], ids[1]]);
      const oldest = (await get('/api/admin/responses?pageSize=2')).json();
      expect(oldest.items.map((r: { id: string }) => r.id)).toEqual([ids[0], ids[1]]);
      expect((await get('/api/admin/responses?order=sideways')).statusCode).toBe(400);
      const versions = (await get('/api/admin/instruments')).json();
      expect(versions.map((v: { version: number; responses: number }) => [v.version, v.responses])).toEqual([
        [1, 3],
        [2, 0],
      ]);
    });

    it('opens one response as a page, with question and answer labels, in French or English', async () => {
      const en = await get(`/admin/responses/${ids[1]}?lang=en`, 'analyst');
      expect(en.statusCode).toBe(200);
      expect(en.body).toContain('<html lang="en">');
      expect(en.body).toContain('Yes, an ongoing relation');
      expect(en.body).toContain('AFM-Téléthon');
      expect(en.body).not.toContain('Oui, une relation suivie');
      const fr = await get(`/admin/responses/${ids[1]}`);
      expect(fr.body).toContain('<html lang="fr">');
      expect(fr.body).toContain('Oui, une relation suivie');
      expect((await get('/admin/responses/nope')).statusCode).toBe(404);
      expect((await get(`/admin/responses/${ids[1]}`, 'press')).statusCode).toBe(403);
      const views = await t.store.db
        .selectFrom('audit_log')
        .select('target')
        .where('action', '=', 'responses.view')
        .execute();
      expect(views.map((v) => v.target)).toEqual([ids[1], ids[1]]);
    });

    it('says the invitation round is finished once everyone was invited, and labels the strata', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cairnet-fixes-'));
      const file = join(dir, 'people.csv');
      writeFileSync(file, 'email,age_band,unit\na@inserm.fr,40_44,U1\nb@inserm.fr,30_34,U2\n');
      await importPopulation(t.store.db, 'cairnet', await readPopulationFile(file), { file });
      const sink = await startSmtpSink();
      try {
        const config = { smtpUrl: sink.url, from: 'c@inserm.fr', publicUrl: 'https://e.example.org' };
        const before = (await get('/api/admin/campaign/status')).json();
        expect(before.rounds).toEqual([]);
        await sendRound(t.store.db, 'cairnet', { kind: 'invitation', config, ratePerMinute: 60_000 });
        const s = (await get('/api/admin/campaign/status')).json();
        expect(s.rounds).toEqual([expect.objectContaining({ round: 'invitation', finished: true })]);
        expect(s.labels.fields.age_band).toEqual({ fr: 'Tranche d’âge', en: 'Age band' });
        expect(s.labels.values.age_band['40_44']).toEqual({ fr: '40 à 44 ans', en: '40–44' });
        expect(s.labels.fields.unit).toEqual({ fr: 'Unité', en: 'Unit' });
        // Someone imported later: the round is open again until they are invited.
        writeFileSync(file, 'email\nc@inserm.fr\n');
        await importPopulation(t.store.db, 'cairnet', await readPopulationFile(file), { file });
        const again = (await get('/api/admin/campaign/status')).json();
        expect(again.rounds[0].finished).toBe(false);
        // The personal pages share the team's stylesheet.
        const optOut = await app.inject({ method: 'GET', url: `/optout/${sink.received[0]!.token}` });
        expect(optOut.statusCode).toBe(200);
        expect(optOut.body).toContain('<link rel="stylesheet" href="/assets/cairnet.css">');
      } finally {
        await sink.close();
      }
    });
  });
}
