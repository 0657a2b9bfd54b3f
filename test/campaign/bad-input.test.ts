import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { buildApp } from '../../src/server/build-app.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { cairnetSurvey, neverMetAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { startSmtpSink } from './smtp-sink.js';

const dir = mkdtempSync(join(tmpdir(), 'cairnet-badinput-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Runs `cairnet …` in-process; returns its exit status and what it printed. */
async function cli(args: string[]) {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    const status = await runCli(args);
    return { status, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = 0;
  }
}

for (const dialect of await availableDialects()) {
  describe(`${dialect}: bad input gets a clear error and stores nothing`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    const people = async () =>
      Number(
        (
          await t.store.db
            .selectFrom('campaign_people')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n ?? 0,
      );
    beforeAll(async () => {
      t = await openTestStore(dialect);
      await saveInstrument(t.store.db, 'cairnet', cairnetSurvey());
      app = await buildApp({ store: t.store });
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('refuses a CSV that is not a table', async () => {
      const r = await cli([
        'population',
        'import',
        file('bad.csv', 'email,name\n"unclosed,x\n'),
        '--db',
        t.location,
      ]);
      expect(r.status).toBe(2);
      expect(r.err).toMatch(/^error CAIRNET_POPULATION_FILE_INVALID: /m);
      expect(await people()).toBe(0);
    });

    it('refuses a missing file, an empty one, and a file without an e-mail column', async () => {
      expect((await cli(['population', 'import', join(dir, 'nope.csv'), '--db', t.location])).err).toMatch(
        /CAIRNET_FILE_UNREADABLE/,
      );
      expect(
        (await cli(['population', 'import', file('empty.csv', 'email\n'), '--db', t.location])).err,
      ).toMatch(/CAIRNET_POPULATION_FILE_INVALID/);
      const noEmail = await cli([
        'population',
        'import',
        file('noemail.csv', 'name\nX\n'),
        '--db',
        t.location,
      ]);
      expect(noEmail.status).toBe(2);
      expect(noEmail.err).toMatch(/CAIRNET_POPULATION_MAPPING_INVALID: No column is mapped to "email"/);
      expect(await people()).toBe(0);
    });

    it('refuses a mapping to an unknown field or from an unknown column', async () => {
      const f = file('ok.csv', 'mail,who\na@inserm.fr,A\n');
      const unknownField = await cli([
        'population',
        'import',
        f,
        '--map',
        'mail=email,who=salary',
        '--db',
        t.location,
      ]);
      expect(unknownField.status).toBe(2);
      expect(unknownField.err).toMatch(/CAIRNET_POPULATION_MAPPING_INVALID: Unknown field "salary"/);
      const unknownColumn = await cli([
        'population',
        'import',
        f,
        '--map',
        'courriel=email',
        '--db',
        t.location,
      ]);
      expect(unknownColumn.err).toMatch(/CAIRNET_POPULATION_MAPPING_INVALID: No column "courriel"/);
      expect(await people()).toBe(0);
    });

    it('reports every malformed address, duplicate and unknown language, and stores nothing', async () => {
      const f = file(
        'mixed.csv',
        'email;language\ngood@inserm.fr;fr\nnot-an-address;fr\nGood@Inserm.fr ;en\nx@inserm.fr;de\n;fr\n',
      );
      const r = await cli(['population', 'import', f, '--db', t.location, '--json']);
      expect(r.status).toBe(7);
      expect(r.err).toMatch(/^error CAIRNET_POPULATION_INVALID: 4 problem/m);
      const report = JSON.parse(r.out);
      expect(report.problems.map((p: { line: number; problem: string }) => [p.line, p.problem])).toEqual([
        [3, 'malformed_email'],
        [4, 'duplicate_email'],
        [5, 'unknown_language'],
        [6, 'missing_email'],
      ]);
      expect(await people()).toBe(0);
    });

    it('imports an XLSX file through the CLI, with --dry-run first', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('people');
      ws.addRow(['E-mail', 'Nom', 'Langue', 'Statut']);
      ws.addRow([
        { text: 'x.y@inserm.fr', hyperlink: 'mailto:x.y@inserm.fr' },
        'X Y',
        'anglais',
        'researcher',
      ]);
      ws.addRow(['z@inserm.fr', 'Z', '', 'engineer']);
      const path = join(dir, 'people.xlsx');
      await wb.xlsx.writeFile(path);
      const dry = await cli(['population', 'import', path, '--dry-run', '--db', t.location]);
      expect(dry.status).toBe(0);
      expect(dry.out).toMatch(/would add 2/);
      expect(await people()).toBe(0);
      const real = await cli(['population', 'import', path, '--db', t.location]);
      expect(real.out).toMatch(/added 2/);
      const x = await t.store.db
        .selectFrom('campaign_people')
        .selectAll()
        .where('email', '=', 'x.y@inserm.fr')
        .executeTakeFirstOrThrow();
      expect(x.language).toBe('en');
    });

    it('refuses a malformed or unknown invitation token and stores nothing', async () => {
      const before = await t.store.db.selectFrom('responses').select('id').execute();
      const post = (invitationToken: string) =>
        app.inject({
          method: 'POST',
          url: '/api/instruments/cairnet/responses',
          payload: { data: neverMetAnswers(), invitationToken },
        });
      const malformed = await post('short');
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().code).toBe('CAIRNET_INVITATION_TOKEN_INVALID');
      const unknown = await post('A'.repeat(43));
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('CAIRNET_INVITATION_NOT_FOUND');
      expect(await t.store.db.selectFrom('responses').select('id').execute()).toHaveLength(before.length);
      expect((await app.inject({ method: 'GET', url: '/i/not-a-token' })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: `/i/${'B'.repeat(43)}` })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: `/optout/${'B'.repeat(43)}` })).statusCode).toBe(404);
      // The opt-out page asks its question only for a link Cairnet sent.
      const ask = await app.inject({ method: 'GET', url: `/optout/${'B'.repeat(43)}` });
      expect(ask.statusCode).toBe(404);
      expect(ask.body).not.toContain('<form method="post"');
    });

    it('sends through the CLI contract: send --dry-run, send --limit, remind, status --json, erase', async () => {
      const sink = await startSmtpSink();
      const env = { ...process.env };
      process.env.CAIRNET_SMTP_URL = sink.url;
      process.env.CAIRNET_MAIL_FROM = 'cairnet@inserm.fr';
      process.env.CAIRNET_PUBLIC_URL = 'https://enquete.example.org/';
      try {
        const dry = await cli(['invitations', 'send', '--dry-run', '--db', t.location]);
        expect(dry.status).toBe(0);
        expect(dry.out).toMatch(/dry run \(invitation\): 2 would receive an invitation/);
        expect(sink.received).toHaveLength(0);
        const bad = await cli(['invitations', 'send', '--limit', 'many', '--db', t.location]);
        expect(bad.status).toBe(2);
        expect(bad.err).toMatch(/CAIRNET_USAGE/);
        const one = await cli(['invitations', 'send', '--limit', '1', '--rate', '6000', '--db', t.location]);
        expect(one.out).toMatch(/invitation: sent 1/);
        const rest = await cli(['invitations', 'send', '--rate', '6000', '--json', '--db', t.location]);
        expect(JSON.parse(rest.out)).toMatchObject({ sent: 1 });
        expect(sink.received).toHaveLength(2);
        expect(sink.received[0]!.text).toContain('https://enquete.example.org/i/');
        const remind = await cli(['invitations', 'remind', '--rate', '6000', '--db', t.location]);
        expect(remind.out).toMatch(/reminder-1: sent 2/);
        const status = await cli(['campaign', 'status', '--json', '--db', t.location]);
        expect(JSON.parse(status.out).totals).toMatchObject({ population: 2, invited: 2 });
        const erase = await cli(['population', 'erase', 'X.Y@inserm.fr', '--db', t.location]);
        expect(erase.status).toBe(0);
        const again = await cli(['population', 'erase', 'x.y@inserm.fr', '--db', t.location]);
        expect(again.status).toBe(3);
        expect(again.err).toMatch(/CAIRNET_PERSON_NOT_FOUND/);
        delete process.env.CAIRNET_SMTP_URL;
        const noSmtp = await cli(['invitations', 'remind', '--db', t.location]);
        expect(noSmtp.err).toMatch(/CAIRNET_MAIL_CONFIG_INVALID/);
      } finally {
        process.env = env;
        await sink.close();
      }
    });
  });
}
