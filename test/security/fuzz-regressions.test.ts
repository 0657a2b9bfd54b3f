import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPopulation } from '../../src/campaign/population-import.js';
import { readPopulationFile } from '../../src/campaign/read-population-file.js';
import { isCairnetError } from '../../src/errors.js';
import { importInstrumentBuffer } from '../../src/instrument/importers/import-instrument.js';
import { plainText } from '../../src/instrument/importers/plain-text.js';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { addUser } from '../../src/store/repositories/users.js';
import { buildXlsform } from '../fixtures/imports/xlsform-builder.js';
import { neverMetAnswers, ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { cli } from '../helpers/run-cli.js';
import { watchStoreWrites } from './fuzz/store-writes.js';

/** The exact inputs the fuzzing found (`npm run bench -- fuzz`), each kept as a plain test. */
describe('inputs found by fuzzing', () => {
  let t: TestStore;
  let app: FastifyInstance;
  let writes: () => Promise<number>;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairnet-fuzz-found-'));
    t = await openTestStore('sqlite');
    await ensureCairnetInstrument(t.store);
    app = await buildApp({ store: t.store, openSubmitRate: 0 });
    writes = await watchStoreWrites(t.store);
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a URL that does not decode (PUT …/drafts/%) is a 400 CAIRNET_BAD_REQUEST, not FST_ERR_BAD_URL', async () => {
    for (const token of ['%', '%ED%A0%80', '%zz']) {
      const before = await writes();
      const res = await app.inject({
        method: 'PUT',
        url: `/api/instruments/cairnet/drafts/${token}`,
        payload: { data: {} },
      });
      expect(res.statusCode, token).toBe(400);
      expect(res.json().code, token).toBe('CAIRNET_BAD_REQUEST');
      expect(await writes()).toBe(before);
    }
    const get = await app.inject({ method: 'GET', url: '/api/instruments/cairnet/drafts/%' });
    expect(get.json().code).toBe('CAIRNET_BAD_REQUEST');
  });

  it('a resume token of 101 to 128 characters saves and finds a draft (it was a 414 FST_ERR_MAX_PARAM_LENGTH)', async () => {
    const token = 'a'.repeat(120);
    const put = await app.inject({
      method: 'PUT',
      url: `/api/instruments/cairnet/drafts/${token}`,
      payload: { data: { gender: 'woman' } },
    });
    expect(put.statusCode, put.body).toBe(200);
    const get = await app.inject({ method: 'GET', url: `/api/instruments/cairnet/drafts/${token}` });
    expect(get.json().data).toEqual({ gender: 'woman' });
    const tooLong = await app.inject({
      method: 'PUT',
      url: `/api/instruments/cairnet/drafts/${'a'.repeat(300)}`,
      payload: { data: {} },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().code).toBe('CAIRNET_BAD_REQUEST');
  });

  it('a draft whose pageNo is "Infinity" is a 400 (Ajv coerced it past maximum: a 500 on PostgreSQL, null on SQLite)', async () => {
    for (const pageNo of ['"Infinity"', '"-Infinity"', '1e400']) {
      const before = await writes();
      const res = await app.inject({
        method: 'PUT',
        url: '/api/instruments/cairnet/drafts/NiVGJUqRQQFTOp1wtkZYO3On8jVPosFPI7YNU5u0E8njNUUR',
        headers: { 'content-type': 'application/json' },
        payload: `{"data":{},"pageNo":${pageNo}}`,
      });
      expect(res.statusCode, pageNo).toBe(400);
      expect(res.json().code).toBe('CAIRNET_BAD_REQUEST');
      expect(await writes()).toBe(before);
    }
  });

  it('a query page=Infinity is a 400, not a 500 (the same coercion, on the admin list)', async () => {
    await addUser(t.store.db, {
      email: 'fuzz-admin@example.org',
      password: 'fuzz-password-1',
      role: 'admin',
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'fuzz-admin@example.org', password: 'fuzz-password-1' },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    for (const q of ['page=Infinity', 'pageSize=-Infinity', 'page=1e400']) {
      const res = await app.inject({ method: 'GET', url: `/api/admin/responses?${q}`, headers: { cookie } });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().code).toBe('CAIRNET_BAD_REQUEST');
    }
  });

  it('a population whose language is "constructor" or "__proto__" is refused with its report (it crashed the insert)', async () => {
    for (const language of ['constructor', '__proto__', 'hasOwnProperty']) {
      const path = join(dir, 'people.csv');
      writeFileSync(path, `email,language\nann@inserm.fr,${language}\n`);
      const before = await writes();
      const error = await importPopulation(t.store.db, 'cairnet', await readPopulationFile(path), {
        file: path,
      }).catch((e: unknown) => e);
      expect(isCairnetError(error) && error.code, language).toBe('CAIRNET_POPULATION_INVALID');
      expect(JSON.stringify((error as { details: unknown }).details)).toContain('unknown_language');
      expect(await writes()).toBe(before);
    }
  });

  it('a population column named "constructor" is not a field', async () => {
    const path = join(dir, 'people.csv');
    writeFileSync(path, 'email,constructor\nann@inserm.fr,x\n');
    const report = await importPopulation(t.store.db, 'cairnet', await readPopulationFile(path), {
      file: path,
      dryRun: true,
    });
    expect(report.ignoredColumns).toEqual(['constructor']);
  });

  it('`&constructor;` in an imported label stays as written (it became "function Object() { [native code] }")', () => {
    expect(plainText('a &constructor; b &__proto__; &amp;')).toBe('a &constructor; b &__proto__; &');
  });

  it('a label "<scripttE}\'E<" loses its unterminated tag (a tag ends at the next "<" too)', () => {
    expect(plainText("hasOwnPropertyP'#<scripttE}'E<")).toBe("hasOwnPropertyP'#<");
    expect(plainText('a <b<i>c</i> < 30')).toBe('a c < 30');
  });

  it('SurveyJS texts outside the known list or oddly nested are plain text too (panelRemoveText, text.addRowText.fr)', async () => {
    const json = {
      pages: [
        {
          name: 'p1',
          elements: [
            {
              type: 'paneldynamic',
              name: 'pd',
              panelRemoveText: { default: '<scr<script>ipt>alert(1)</scr</script>ipt>' },
              templateElements: [{ type: 'text', name: 't' }],
            },
            {
              type: 'radiogroup',
              name: 'q1',
              choices: [
                { value: 'a', text: { addRowText: { fr: 'x<SCRIPT SRC=//x.example/a.js></SCRIPT>y' } } },
              ],
            },
          ],
        },
      ],
    };
    const { instrument } = await importInstrumentBuffer(Buffer.from(JSON.stringify(json)), 'upload.json');
    const text = JSON.stringify(instrument.json);
    expect(text).not.toMatch(/<\s*script/i);
    expect(text).toContain('"fr":"xy"');
  });

  it('a SurveyJS page that is null is refused with its path (walkElements read null.name)', async () => {
    const json = { pages: [null, { name: 'p', elements: [{ type: 'text', name: 'q' }] }] };
    const error = await importInstrumentBuffer(Buffer.from(JSON.stringify(json)), 'upload.json').catch(
      (e: unknown) => e,
    );
    expect(isCairnetError(error) && error.code).toBe('CAIRNET_INSTRUMENT_INVALID');
    expect(JSON.stringify((error as { details: unknown }).details)).toContain('/pages/0');
  });

  it('an XLSForm column label::constructor is a language named "constructor", not Object', async () => {
    const bytes = await buildXlsform({
      survey: [
        ['type', 'name', 'label::constructor'],
        ['text', 'q1', 'Hello'],
      ],
    });
    const { instrument } = await importInstrumentBuffer(bytes, 'form.xlsx');
    const text = JSON.stringify(instrument.json);
    expect(text).not.toContain('native code');
    expect(text).toContain('"constructor":"Hello"');
  });

  it('a completed draft refuses a second response under another idempotency key (it stored one per key)', async () => {
    const token = 'draftCompletedTwice_0123456789';
    const submit = (idempotencyKey: string, data: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: '/api/instruments/cairnet/responses',
        payload: { data, resumeToken: token, idempotencyKey },
      });
    await app.inject({
      method: 'PUT',
      url: `/api/instruments/cairnet/drafts/${token}`,
      payload: { data: {} },
    });
    const first = await submit('first-key', neverMetAnswers());
    expect(first.statusCode, first.body).toBe(201);
    const before = await writes();
    for (const [key, data] of [
      ['other-key', neverMetAnswers()],
      ['third-key', ongoingFundedAnswers()],
    ] as const) {
      const again = await submit(key, data);
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json().code).toBe('CAIRNET_RESPONSE_ALREADY_COMPLETED');
    }
    expect(await writes()).toBe(before);
    const replay = await submit('first-key', neverMetAnswers());
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(first.json().id);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('an .lss whose text holds "<!" is refused with a code (the parser then gave <language> as a lone value: a TypeError)', async () => {
    const xml = '<document><languages><language>en</language></languages><t><!</t></document>';
    const error = await importInstrumentBuffer(Buffer.from(xml), 'survey.lss').catch((e: unknown) => e);
    expect(isCairnetError(error) && error.code).toBe('CAIRNET_IMPORT_MALFORMED');
  });

  describe('analysis CSV', () => {
    const run = async (csv: string, args: string[]) => {
      const path = join(dir, 'in.csv');
      writeFileSync(path, csv);
      return cli([args[0]!, path, ...args.slice(1)]);
    };
    const refusedWith = (res: { code: number; stdout: string; stderr: string }, pattern: RegExp) => {
      expect(res.code, res.stdout).toBe(7);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(/^error CAIRNET_STATS_INVALID: /);
      expect(res.stderr).toMatch(pattern);
    };

    it('stats --lonely-psu average with a single PSU in all is refused (it printed se null)', async () => {
      refusedWith(
        await run('id,w,x,h\nno,-0,yes, a\n', ['stats', '--total=w', '--json', '--lonely-psu=average']),
        /no other stratum to average over/,
      );
    });

    it('stats on values whose variance overflows is refused (it printed se null)', async () => {
      const csv =
        'g,id,h,n,s,w,y,x,f,mention,c\nyes,a,\ufeff,-1,b,100,9.808632749664106e-77,,100,ZFe,c\nno,\u00e9\u0301,no,3,a,0,-1.1450647046337495e+292,-+;vjGA?,\u0000,\ufffd,a';
      refusedWith(await run(csv, ['stats', '--total=y', '--json', '--yates']), /not a finite number/);
    });

    it('a Rao-Scott test on a sparse clustered table is refused (LU matrix is singular: CAIRNET_INTERNAL)', async () => {
      const csv =
        '\ufeffy,w,s,g,h,f,n\n10,0.5,y5YXO_;q,b,a,1,1.5\n 6Dp29,1,b,c,NA,100,1.5\n-1e-323,100,b,c,a,0,3\n6.4e-323,2,no,yes,,0,2\n1e308,1,A,A,no,2,1\n-1.7976931348623153e+308,0.5,null,,a,2,2\n1.2370105014961516e-95,2,yes,,no,0.5,1.5\n2.7375790246799226e+200,1,,,no,100,3';
      refusedWith(
        await run(csv, ['stats', '--crosstab=n,y', '--json', '--cluster=n', '--yates', '--max-iter=-3']),
        /too many empty cells/,
      );
    });

    it('a Rao-Scott test whose cells have no design variance is refused (it printed F, ndf, ddf, p null)', async () => {
      const csv =
        'c,g,id,n,x,y,f,mention,w\nb,b,constructor,2,1,-1.7280584725474762e+239,0,__proto__,100\nNA,hasOwnProperty, a,",|L=(\\5G",2.3155097234984853e-213,-1.6020617616514543e-295,100,AFM,100';
      refusedWith(
        await run(csv, ['stats', '--crosstab=g,id', '--json', '--strata=w', '--yates']),
        /no variance or no positive degrees of freedom/,
      );
    });

    it('a proportion in a group left with no degrees of freedom has a null interval with a note (it was unexplained)', async () => {
      const csv =
        's,c,id,mention,w,g,y,n,h,f\n a,,b,%k,100,NA,1.555586945115666e-273,"=HYPERLINK(""http://x"",""y"")",yes,1\na,,c,Les Petits Bourdons,,NA,NaN,-1, a,1\nc,<xyCu=e,NA,FE,0.5,NA,3.1744294662446675e-168,1,A,1\nA,no,U(I<bQ,AFM,1,b,5.155325050077233e+268,3,"=HYPERLINK(""http://x"",""y"")",100\na,yes,,null,1,a,-1,1, a,0.5\nyes,no,b,2#.1[}^,, Ds,"1,5",-1,no,1000\nNA, a,c,aA|i`,0,A,"1,5",2, a,0.5\n a,a,,afm telethon,0.5,A,-1.7976931348623137e+308,1,yes,0\nA,82|_0`gS`f,c,q,1,A,=1+1,0,no,0.1\n a, a,a,AFM,0, a,4.4e-323,0, a,0.1\nno,hasOwnProperty,b,\u0000,2,NA,1.5e-323,3,c,1000\nNA,c,,c|m>pSL#,,b,1.0726826827756404e+299,0,b,-1';
      const res = await run(csv, [
        'stats',
        '--proportion=y',
        '--json',
        '--cluster=mention',
        '--by=mention',
        '--yates',
      ]);
      expect(res.code, res.stderr).toBe(0);
      const rows = JSON.parse(res.stdout).estimates as { ci: (number | null)[]; note?: string }[];
      const undefinedCi = rows.filter((r) => r.ci.includes(null));
      expect(undefinedCi.length).toBeGreaterThan(0);
      for (const r of undefinedCi) expect(r.note).toMatch(/df = 0/);
    });

    it('a Rao-Scott test whose design effects give a negative df is refused (p was NaN, printed null)', async () => {
      const csv =
        '\ufeffc,h,id,n,x,s,f,y,w,g\n,yes,no,2,-8.218435552199389e-35,c,<img src=x onerror=alert(1)>,-3.233222914633585e+63,-1, a\nno,NA, a,3,1,@SUM(A1),2, 7 ,,NA\n a, a,a,1,1.2615736619017307e+230,a,0.1,-1.7976931348623133e+308,,NaN\nNA,NA,a,1.5,-4.82479399609709e-195,yes,1000, 7 ,0, a\na, a,no,0,-7e-323, a,1,\u00e9\u0301,1,\t=1\nno,c,c,1.5,4.1694835681803877e+58,A,0.5,-7.507299918091566e-197,<script>alert(1)</script>, a\na,a,a,1,constructor, a,100,3.702108471033386e+293,1,c\nNA,mOQk,\u0000,1,3.4572315124728106e-41,no,100,-4.491451498051571e-149,0.5,\n,\u00e9\u0301,,3,-1,,1000,1.219867758819639e-250,0,A\nc,NA, a,"line\nbreak",NaN,no,valueOf,-3.382895197241116e+180, ,b\nNA,no,a,2,3.1727670881794092e-93,"""""",2,-2.1885500460025717e+262,100,A\nNA,c,yes,1,1e308,a,0.1,2.875945611716157e+293,0.5,c\nc,b,no,0,-7.381624528365471e+139,\u0000,*j;iNO| ,3.8592992194293534e-117,1,sQKZ\nNA,yes, a,2, 7 ,a,0,-7e-323,w~F,__proto__\na,a,yes,-1,"1,5",A,0,-6.13556527520188e-94,2,b\nA,NA,,0,"1,5",A,0,3,1,",k"\nyes,A,l_4>7i}Z?-,constructor,-2.6659276548558815e-91,no,1,-0.0000024029872622678948,-1,no\nc,,NA,2,1,"R%-~""(8+W",2,2.4524357575877372e+114,,b\nb, a,b,0,-3.6300350265215595e-185,b,0.1,-1.1122140196627908e+61,0,c\nno,,a,$4Q|,-2.814233870635829e+253,b,\u00e9\u0301, 7 ,0.5,b\na,a,c,1,8.4e-323,\u00e9\u0301,1,10,1,\nc,NA,A,}WA{.qqxj,;ij+~,a,0.5,Infinity,100,a\nA,a,NA,1.5,-3.850009187354038e+111,no,100,=1+1,100,NA\nb,a,NA,0,1e308,c,2,Infinity,2,A\n a,zr9;,no,1,0x10,yes,100,0x10,-1, a';
      refusedWith(
        await run(csv, ['stats', '--crosstab=n,s', '--json', '--cluster=n', '--yates']),
        /no positive degrees of freedom/,
      );
    });

    it("Fisher's infinite conditional odds ratio (a zero cell) comes with a note", async () => {
      const res = await run('r,c\nx,a\ny,b\n', ['stats', '--crosstab=r,c', '--json']);
      expect(res.code, res.stderr).toBe(0);
      const fisher = JSON.parse(res.stdout).fisher;
      expect(fisher.oddsRatio).toBeNull();
      expect(fisher.ci[0]).toBeGreaterThan(0);
      expect(fisher.note).toMatch(/infinite/);
    });

    it('typology with row weights 10^188 apart is refused (cos2 and vtest were NaN)', async () => {
      const csv =
        'f,g,c,x,n,h,mention,s,y,id,w\r\n0.5, a,A,NaN,2,,1Nn1#,no,2.1918986044696613e+275,U Q6}r2E,\r\n0.5,yes,Vnf}A,-9.59074797749228e-70,3,no,AFM,no,5.5395197773175365e+87, a,-2.2764861863426906e-227';
      const res = await run(csv, ['typology', '--active=c,x', '--json', '--weights=y', '--no-consolidation']);
      expect(res.code).toBe(7);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(/^error CAIRNET_TYPOLOGY_INVALID: Row weights range .* orders of magnitude/);
    });

    it('typology --dims beyond the non-null eigenvalues keeps only those (contributions were 0/0)', async () => {
      const csv =
        'g,f\n a,0.5\nyes,0.5\nNA,0.1\n@SUM(A1),2\nyes,0\nc,1\n,hasOwnProperty\n a,0.1\n,;\'ehWj0\nA,100\nXt}v_f,1000\nNA,undefined\nyes,1000\n a,0.1\nA,0.5\n a,1000\n-,1000\nno,0\na,0.5\nNaN,1\nyes,"line\nbreak"\n';
      const res = await run(csv, ['typology', '--active=g,f', '--json', '--dims=1000', '--no-consolidation']);
      expect(res.code, res.stderr).toBe(0);
      const out = JSON.parse(res.stdout) as {
        eigenvalues: number[];
        categories: { contrib: (number | null)[] }[];
      };
      expect(out.eigenvalues.at(-1)).toBe(0);
      const kept = out.categories[0]!.contrib.length;
      expect(kept).toBeLessThan(out.eigenvalues.length);
      for (const c of out.categories)
        expect(c.contrib.every((x) => x !== null && Number.isFinite(x))).toBe(true);
    });
  });
});

/** The inputs that failed on PostgreSQL only: run on every available dialect. */
for (const dialect of await availableDialects()) {
  describe(`${dialect}: inputs found by fuzzing on PostgreSQL`, () => {
    let t: TestStore;
    let app: FastifyInstance;
    let writes: () => Promise<number>;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      await ensureCairnetInstrument(t.store);
      app = await buildApp({ store: t.store, openSubmitRate: 0 });
      writes = await watchStoreWrites(t.store);
    });
    afterAll(async () => {
      await app.close();
      await t.dispose();
    });

    it('an answer holding U+0000 or a lone surrogate is a 422 (PostgreSQL refused it: a 500), as a response and as a draft', async () => {
      const before = await writes();
      for (const name of ['\u0000', '\ud800']) {
        const data = { ...ongoingFundedAnswers(), associations: [{ name }, { name: 'vaincre la muco' }] };
        const res = await app.inject({
          method: 'POST',
          url: '/api/instruments/cairnet/responses',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ data }),
        });
        expect(res.statusCode, res.body).toBe(422);
        expect(res.json().code).toBe('CAIRNET_RESPONSE_INVALID');
      }
      const draft = await app.inject({
        method: 'PUT',
        url: '/api/instruments/cairnet/drafts/nulDraft_0123456789abcdefgh',
        payload: { data: { field: 'neuro\u0000sciences' } },
      });
      expect(draft.statusCode, draft.body).toBe(422);
      expect(await writes()).toBe(before);
    });

    it('a draft whose pageNo is "Infinity" is a 400 (a 500 on PostgreSQL)', async () => {
      const before = await writes();
      const res = await app.inject({
        method: 'PUT',
        url: '/api/instruments/cairnet/drafts/up31TyZrmcbJk1MzLSuXqik9422RadupGeUdVB7xV5sH12GVTE',
        headers: { 'content-type': 'application/json' },
        payload: '{"data":{},"pageNo":"Infinity"}',
      });
      expect(res.statusCode).toBe(400);
      expect(await writes()).toBe(before);
    });
  });
}
