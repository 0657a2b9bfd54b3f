import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/build-app.js';
import { listInstruments } from '../../src/store/repositories/instruments.js';
import { addUser } from '../../src/store/repositories/users.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';

const dialects = await availableDialects();
const FIXTURES = join(import.meta.dirname, '../fixtures/imports');
const PASSWORD = 'a long enough password';
const dir = mkdtempSync(join(tmpdir(), 'cairnet-uploads-'));

/** A multipart/form-data body: text fields, and files as [name, filename, bytes]. */
function multipart(fields: Record<string, string>, files: [string, string, Buffer][] = []) {
  const boundary = `----cairnet${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const [k, filename, data] of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const POPULATION = 'Courriel;Nom;Langue;Unité\nanne@inserm.fr;Anne;fr;U1\nbob@inserm.fr;Bob;en;U2\n';

for (const dialect of dialects) {
  describe(`${dialect}: uploading a questionnaire and a population`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let admin: { cookie: string; csrf: string };
    let analyst: { cookie: string; csrf: string };

    beforeAll(async () => {
      t = await openTestStore(dialect);
      app = await buildApp({ store: t.store });
      for (const role of ['admin', 'analyst'] as const) {
        await addUser(t.store.db, { email: `${role}@example.org`, password: PASSWORD, role });
      }
      const login = async (email: string) => {
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email, password: PASSWORD },
        });
        return {
          cookie: String(res.headers['set-cookie']).split(';')[0]!,
          csrf: res.json().csrfToken as string,
        };
      };
      admin = await login('admin@example.org');
      analyst = await login('analyst@example.org');
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    const upload = (url: string, body: ReturnType<typeof multipart>, who = admin, csrf = true) =>
      app.inject({
        method: 'POST',
        url,
        payload: body.payload,
        headers: {
          'content-type': body.contentType,
          cookie: who.cookie,
          ...(csrf ? { 'x-csrf-token': who.csrf } : {}),
        },
      });
    const xlsx = readFileSync(join(FIXTURES, 'researchers.xlsx'));
    const versions = async () => (await listInstruments(t.store.db)).map((i) => `${i.name}@${i.version}`);

    it('answers a dry run (200) with the report and stores nothing, then stores it (201) as the CLI would', async () => {
      const dry = await upload(
        '/api/admin/instruments/import',
        multipart({ name: 'researchers', dryRun: 'true' }, [['file', 'researchers.xlsx', xlsx]]),
      );
      expect(dry.statusCode).toBe(200);
      expect(dry.json()).toMatchObject({ name: 'researchers', version: 1, created: true, dryRun: true });
      expect(dry.json().report.notCarried.length).toBeGreaterThan(0);
      expect(await versions()).toEqual([]);

      const res = await upload(
        '/api/admin/instruments/import',
        multipart({ name: 'researchers' }, [['file', 'researchers.xlsx', xlsx]]),
      );
      expect(res.statusCode).toBe(201);
      expect(await versions()).toEqual(['researchers@1']);
      // The same JSON as `cairnet instrument import --json` on the same file.
      const db = join(dir, `${dialect}-cli.db`);
      const out = await cli([
        'instrument',
        'import',
        join(FIXTURES, 'researchers.xlsx'),
        '--name',
        'researchers',
        '--json',
        '--db',
        db,
      ]);
      expect(out.code).toBe(0);
      expect(res.json()).toEqual(JSON.parse(out.stdout));
      const again = await upload(
        '/api/admin/instruments/import',
        multipart({ name: 'researchers', dryRun: '1' }, [['file', 'researchers.xlsx', xlsx]]),
      );
      expect(again.json()).toMatchObject({ version: 1, created: false });
      const audit = await t.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'instrument.import')
        .execute();
      expect(audit).toHaveLength(1);
    });

    it('names the instrument after the file by default', async () => {
      const lss = readFileSync(join(FIXTURES, 'legacy-conditions.lss'));
      const res = await upload(
        '/api/admin/instruments/import',
        multipart({}, [['file', 'legacy-conditions.lss', lss]]),
      );
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        name: 'legacy-conditions',
        version: 1,
        report: { format: 'limesurvey' },
      });
    });

    it('refuses a bad upload with the import’s code and stores nothing', async () => {
      const before = await versions();
      const cases: [ReturnType<typeof multipart>, number, string][] = [
        [
          multipart({}, [['file', 'notes.txt', Buffer.from('just some words')]]),
          400,
          'CAIRNET_IMPORT_FORMAT_UNKNOWN',
        ],
        [
          multipart({}, [['file', 'broken.lss', Buffer.from('<?xml version="1.0"?><document><broken')]]),
          422,
          'CAIRNET_IMPORT_MALFORMED',
        ],
        [multipart({ name: 'x' }), 400, 'CAIRNET_BAD_REQUEST'],
        [multipart({ name: '../etc' }, [['file', 'a.xlsx', xlsx]]), 400, 'CAIRNET_BAD_REQUEST'],
        [multipart({ dryRun: 'maybe' }, [['file', 'a.xlsx', xlsx]]), 400, 'CAIRNET_BAD_REQUEST'],
        [multipart({ other: '1' }, [['file', 'a.xlsx', xlsx]]), 400, 'CAIRNET_BAD_REQUEST'],
        [multipart({}, [['upload', 'a.xlsx', xlsx]]), 400, 'CAIRNET_BAD_REQUEST'],
        [
          multipart({}, [['file', 'big.json', Buffer.alloc(6 * 1024 * 1024, 32)]]),
          413,
          'CAIRNET_IMPORT_TOO_LARGE',
        ],
      ];
      for (const [body, status, code] of cases) {
        const res = await upload('/api/admin/instruments/import', body);
        expect(res.json().code, body.payload.subarray(0, 300).toString()).toBe(code);
        expect(res.statusCode).toBe(status);
      }
      const json = await app.inject({
        method: 'POST',
        url: '/api/admin/instruments/import',
        payload: { file: 'x' },
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      });
      expect(json.json().code).toBe('CAIRNET_BAD_REQUEST');
      const body = multipart({}, [['file', 'a.xlsx', xlsx]]);
      expect((await upload('/api/admin/instruments/import', body, analyst)).statusCode).toBe(403);
      expect((await upload('/api/admin/instruments/import', body, admin, false)).json().code).toBe(
        'CAIRNET_CSRF',
      );
      expect(await versions()).toEqual(before);
    });

    it('checks a population with a column mapping (dry run), then stores it, as the CLI reports it', async () => {
      const file = Buffer.from(POPULATION);
      const map = 'Courriel=email,Nom=name,Langue=language,Unité=unit';
      const dry = await upload(
        '/api/admin/population/import',
        multipart({ instrument: 'researchers', map, dryRun: 'true' }, [['file', 'people.csv', file]]),
      );
      expect(dry.statusCode).toBe(200);
      expect(dry.json()).toMatchObject({
        file: 'people.csv',
        rows: 2,
        added: 2,
        dryRun: true,
        stored: false,
      });
      expect(await t.store.db.selectFrom('campaign_people').select('id').execute()).toHaveLength(0);
      const res = await upload(
        '/api/admin/population/import',
        multipart({ instrument: 'researchers', map }, [['file', 'people.csv', file]]),
      );
      expect(res.statusCode).toBe(200);
      const path = join(dir, 'people.csv');
      writeFileSync(path, POPULATION);
      const out = await cli([
        'population',
        'import',
        path,
        '--map',
        map,
        '--json',
        '--db',
        join(dir, `${dialect}-pop.db`),
      ]);
      expect(res.json()).toEqual({ ...JSON.parse(out.stdout), file: 'people.csv' });
      expect(res.json()).toMatchObject({
        added: 2,
        stored: true,
        mapping: { Courriel: 'email', Unité: 'unit' },
      });
      expect(await t.store.db.selectFrom('campaign_people').select('id').execute()).toHaveLength(2);
    });

    it('refuses a population with problems, with the report, and stores nothing', async () => {
      const before = await t.store.db.selectFrom('campaign_people').select('id').execute();
      const bad = await upload(
        '/api/admin/population/import',
        multipart({ instrument: 'researchers' }, [
          ['file', 'bad.csv', Buffer.from('email,language\nnot-an-address,fr\nc@inserm.fr,de\n')],
        ]),
      );
      expect(bad.statusCode).toBe(422);
      expect(bad.json()).toMatchObject({ code: 'CAIRNET_POPULATION_INVALID' });
      expect(bad.json().details.problems.map((p: { problem: string }) => p.problem)).toEqual([
        'malformed_email',
        'unknown_language',
      ]);
      const cases: [ReturnType<typeof multipart>, string][] = [
        [
          multipart({ instrument: 'nope' }, [['file', 'p.csv', Buffer.from(POPULATION)]]),
          'CAIRNET_INSTRUMENT_NOT_FOUND',
        ],
        [multipart({}, [['file', 'p.csv', Buffer.from(POPULATION)]]), 'CAIRNET_BAD_REQUEST'],
        [
          multipart({ instrument: 'researchers', map: 'Nope=email' }, [
            ['file', 'p.csv', Buffer.from(POPULATION)],
          ]),
          'CAIRNET_POPULATION_MAPPING_INVALID',
        ],
        [
          multipart({ instrument: 'researchers' }, [['file', 'p.csv', Buffer.from('email\n')]]),
          'CAIRNET_POPULATION_FILE_INVALID',
        ],
      ];
      for (const [body, code] of cases) {
        expect((await upload('/api/admin/population/import', body)).json().code).toBe(code);
      }
      expect(await t.store.db.selectFrom('campaign_people').select('id').execute()).toHaveLength(
        before.length,
      );
    });
  });
}
