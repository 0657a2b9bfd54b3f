import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistryCsv } from '../../src/associations/registry-csv.js';
import { writeDemoPanel } from '../../src/cli/commands/demo.js';
import { buildApp } from '../../src/server/build-app.js';
import {
  importRegistry,
  listDecisions,
  listRegistry,
  reconcileStoredMentions,
  recordDecision,
} from '../../src/store/repositories/associations.js';
import { addUser } from '../../src/store/repositories/users.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

const dialects = await availableDialects();
const PASSWORD = 'a long enough password';
const HOSTILE = `<script>alert("x")</script>${'y'.repeat(250)}`;

for (const dialect of dialects) {
  describe(`${dialect}: association registry, decisions and review`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let reviewer: { cookie: string; csrf: string; id: string };

    beforeAll(async () => {
      t = await openTestStore(dialect);
      await writeDemoPanel(t.store, { respondents: 651, seed: 2013 });
      await t.store.db
        .insertInto('responses')
        .values({
          id: 'hostile-1',
          instrument_name: 'cairnet',
          instrument_version: 1,
          data: JSON.stringify({ associations: [{ name: HOSTILE }, { name: HOSTILE }] }),
          idempotency_key: null,
          data_hash: 'x',
          synthetic: 1,
          meta: null,
          invitation_id: null,
          started_at: null,
          completed_at: '2012-07-01T00:00:00.000Z',
        })
        .execute();
      app = await buildApp({ store: t.store });
      await app.ready();
      const user = await addUser(t.store.db, {
        email: 'rev@example.org',
        password: PASSWORD,
        role: 'reviewer',
      });
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'rev@example.org', password: PASSWORD },
      });
      reviewer = {
        cookie: String(res.headers['set-cookie']).split(';')[0] ?? '',
        csrf: res.json().csrfToken,
        id: user.id,
      };
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await t?.dispose();
    });

    const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie: reviewer.cookie } });
    const post = (url: string, payload: object, csrf = reviewer.csrf) =>
      app.inject({
        method: 'POST',
        url,
        payload,
        headers: { cookie: reviewer.cookie, 'x-csrf-token': csrf },
      });

    it('seeds the registry from the built-in one on first use, and imports and exports it as CSV', async () => {
      const entries = await listRegistry(t.store.db);
      expect(entries.length).toBeGreaterThan(400);
      expect(entries[0]).toMatchObject({ id: 'R001' });
      const csv = await get('/api/admin/associations/registry.csv');
      expect(csv.statusCode).toBe(200);
      expect(parseRegistryCsv(csv.body)).toEqual(entries);
      const res = await post('/api/admin/associations/registry', {
        csv: 'id,name,acronyms,aliases,area,origin\nX1,Les Petits Bourdons,LPB,,rare diseases,real\nR001,Association française contre les myopathies,AFM|AFM-Téléthon,,neuromuscular,real\n',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ added: 1, replaced: 1 });
      const after = await listRegistry(t.store.db);
      expect(after.length).toBe(entries.length + 1);
      expect(after.at(-1)?.id).toBe('X1');
    });

    it('counts more than 400 distinct associations on the demonstration panel (F6) and gives the most cited', async () => {
      const r = await reconcileStoredMentions(t.store.db);
      const mentions = r.responses.reduce((s, x) => s + x.mentions.length, 0);
      expect(mentions).toBeGreaterThan(1000);
      expect(r.distinct).toBeGreaterThan(400);
      expect(r.mostCited[0]?.entryId).toBe('R001');
      expect(r.cited.find((c) => c.responseId === 'hostile-1')?.associations).toHaveLength(1);
      const cited = await get('/api/admin/associations/cited');
      expect(cited.json().distinct).toBe(r.distinct);
    });

    it('remembers, applies and audits decisions', async () => {
      const refused = await post(
        '/api/admin/associations/decisions',
        { kind: 'accept', mention: 'x', entryId: 'R001' },
        'bad',
      );
      expect(refused.statusCode).toBe(403);
      const known = (await reconcileStoredMentions(t.store.db)).mentions.find((m) => !m.match)?.mention ?? '';
      const res = await post('/api/admin/associations/decisions', {
        kind: 'accept',
        mention: known,
        entryId: 'R001',
      });
      expect(res.statusCode, res.body).toBe(201);
      const created = await post('/api/admin/associations/decisions', {
        kind: 'create',
        entry: { id: 'N1', name: HOSTILE },
        mentions: [HOSTILE],
      });
      expect(created.statusCode, created.body).toBe(201);
      const bad = await post('/api/admin/associations/decisions', {
        kind: 'accept',
        mention: 'x',
        entryId: 'NOPE',
      });
      expect(bad.statusCode).toBe(404);
      const malformed = await post('/api/admin/associations/decisions', { kind: 'explode' });
      expect(malformed.statusCode).toBe(400);
      await recordDecision(t.store.db, { kind: 'split', mentions: [known] }, reviewer.id);
      const decisions = await listDecisions(t.store.db);
      expect(decisions.map((d) => d.decision.kind)).toEqual(['accept', 'create', 'split']);
      expect(decisions.every((d) => d.userId === reviewer.id && d.at)).toBe(true);
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'user_id'])
        .where('action', 'like', 'associations.%')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['associations.decision.accept', 'associations.decision.create']),
      );
      const r = await reconcileStoredMentions(t.store.db);
      const hostile = r.mentions.filter((m) => m.id.startsWith('hostile-1#'));
      expect(hostile.every((m) => m.match?.id === 'N1')).toBe(true);
      expect(r.registry.some((e) => e.id === 'N1')).toBe(true);
      await importRegistry(t.store.db, [], reviewer.id);
    });

    it('shows hostile text escaped on the review page and as plain data in the JSON', async () => {
      const html = await get('/admin/associations');
      expect(html.statusCode).toBe(200);
      expect(html.body).toContain('/assets/review.js');
      // the studio's script and the page's, both from files: no inline script, no text as markup
      expect(html.body.match(/<script/g)).toEqual(['<script', '<script']);
      expect(html.body.match(/<script[^>]*>/g)!.every((s) => / src="\/assets\/[a-z-]+\.js"/.test(s))).toBe(
        true,
      );
      const review = await get('/api/admin/associations/review');
      expect(review.statusCode).toBe(200);
      expect(review.body).not.toContain('<script');
      const data = review.json();
      expect(data.distinct).toBeGreaterThan(400);
      expect(Array.isArray(data.uncertain) && Array.isArray(data.groups)).toBe(true);
      const registry = await get('/api/admin/associations/registry');
      expect(registry.body).not.toContain('<script');
      expect(registry.json().entries.some((e: { name: string }) => e.name.startsWith('<script>'))).toBe(true);
    });

    it('exports the researcher–association network as GraphML and CSV', async () => {
      const graphml = await get('/api/admin/associations/network.graphml');
      expect(graphml.statusCode).toBe(200);
      expect(graphml.body).toContain('<graphml');
      expect(graphml.body).not.toContain('<script');
      expect(graphml.body).toContain('&lt;script&gt;');
      const csv = await get('/api/admin/associations/network.csv');
      expect(csv.body.split('\n')[0]).toBe('researcher,association,label');
      expect(csv.body).toContain('R001');
    });

    it('draws the network as a view: the most cited associations named, researchers anonymous, names escaped', async () => {
      const res = await get('/admin/associations/network?lang=en');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<svg');
      expect(res.body).toMatch(/The \d+ most cited associations/);
      // only the layout's and the view's scripts, from files: no name reads as markup
      expect(res.body.match(/<script[^>]*>/g)!.every((s) => / src="\/assets\/[a-z-]+\.js"/.test(s))).toBe(
        true,
      );
      expect(res.body.match(/<script/g)).toHaveLength(2);
      // Circles for the nodes and lines for the links were laid out (finite coordinates).
      expect(res.body).not.toContain('NaN');
      expect((res.body.match(/<path/g) ?? []).length).toBeGreaterThan(5);
      // The drawing fills its frame: it scales to the page's width, cropped to what it draws.
      expect(res.body).toMatch(/<svg[^>]* width="100%" viewBox="-?\d+ -?\d+ \d+ \d+"/);
    });

    it('refuses the review routes without a session', async () => {
      for (const url of [
        '/api/admin/associations/review',
        '/admin/associations',
        '/api/admin/associations/network.csv',
        '/admin/associations/network',
      ]) {
        const res = await app.inject({ method: 'GET', url });
        expect([401, 302, 303]).toContain(res.statusCode);
      }
    });
  });
}
