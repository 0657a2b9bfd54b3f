import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSetting } from '../../src/campaign/campaign-settings.js';
import { importPopulation } from '../../src/campaign/population-import.js';
import { readPopulationFile } from '../../src/campaign/read-population-file.js';
import { sendRound } from '../../src/campaign/send-campaign.js';
import { sendDueThanks } from '../../src/campaign/send-thanks.js';
import { setSurveyAccess } from '../../src/campaign/survey-access.js';
import { buildApp } from '../../src/server/build-app.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import type { CairnetDatabase } from '../../src/store/schema.js';
import { cairnetSurvey, neverMetAnswers, ongoingFundedAnswers } from '../helpers/cairnet-answers.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';

/**
 * The attacker of issue 18: someone holding a copy of the store of an anonymous campaign (after
 * the server scrubbed it and restarted) tries to say which person wrote which response. For
 * every column of every table — system columns too (SQLite's rowid, PostgreSQL's xmin and ctid)
 * — they join the people to the invited responses by equal values, by nearest time or number,
 * and by rank; none of these joins may beat a random guess. On SQLite the raw bytes of the
 * database file are searched as well. The one declared exception, a respondent who agreed to
 * press contacts, keeps the link (README, threat model) and is left out of the candidates.
 */
const dialects = await availableDialects();
const PEOPLE = 16;
/** A join "beats chance" when it finds more than this many of 16 (a random guess: 1 on average; 7+ has p < 1e-4). */
const CHANCE_BOUND = 6;

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = Record<string, unknown>;
interface Table {
  name: string;
  rows: Row[];
}

/** Every row of every table of the store, with the system columns that order or date rows. */
async function readEverything(
  db: Kysely<CairnetDatabase>,
  dialect: string,
  schema?: string,
): Promise<Table[]> {
  const tables = (await db.introspection.getTables()).filter(
    (t) => !t.name.startsWith('kysely_') && (!schema || t.schema === schema),
  );
  const out: Table[] = [];
  for (const t of tables) {
    const system =
      dialect === 'sqlite'
        ? sql`rowid as "__sys_rowid"`
        : sql`xmin::text as "__sys_xmin", ctid::text as "__sys_ctid"`;
    const { rows } = await sql<Row>`select ${system}, * from ${sql.table(t.name)}`.execute(db);
    out.push({ name: t.name, rows });
  }
  return out;
}

const text = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** A value as a number to measure distances by (times, counters, ctids), or null if it has no order. */
function magnitude(column: string, v: unknown): number | null {
  const s = text(v);
  if (s === '') return null;
  if (column === '__sys_ctid') {
    const m = /^\((\d+),(\d+)\)$/.exec(s);
    return m ? Number(m[1]) * 65536 + Number(m[2]) : null;
  }
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

interface Guess {
  person: string;
  value: unknown;
}

/**
 * How many of the people a join on (person column, response column) finds, as an expected count:
 * each person is matched to the responses nearest in value (equal values for unordered ones),
 * ties shared out evenly. Random guessing finds one on average.
 */
function nearestJoin(
  guesses: Guess[],
  personColumn: string,
  responses: Row[],
  responseColumn: string,
  truth: Map<string, string>,
): number {
  let found = 0;
  for (const g of guesses) {
    const a = magnitude(personColumn, g.value);
    let best = Number.POSITIVE_INFINITY;
    let set: Row[] = [];
    for (const r of responses) {
      const b = magnitude(responseColumn, r[responseColumn]);
      const d =
        a !== null && b !== null
          ? Math.abs(a - b)
          : text(g.value) !== '' && text(g.value) === text(r[responseColumn])
            ? 0
            : 1;
      if (d < best) {
        best = d;
        set = [r];
      } else if (d === best) set.push(r);
    }
    if (set.some((r) => r.id === truth.get(g.person))) found += 1 / set.length;
  }
  return found;
}

/** The rank join: people and responses each sorted by the column, matched in order (distinct values only). */
function rankJoin(
  guesses: Guess[],
  personColumn: string,
  responses: Row[],
  responseColumn: string,
  truth: Map<string, string>,
): number {
  const a = guesses.map((g) => ({ g, m: magnitude(personColumn, g.value) }));
  const b = responses.map((r) => ({ r, m: magnitude(responseColumn, r[responseColumn]) }));
  if (a.some((x) => x.m === null) || b.some((x) => x.m === null)) return 0;
  if (new Set(a.map((x) => x.m)).size < a.length || new Set(b.map((x) => x.m)).size < b.length) return 0;
  a.sort((x, y) => x.m! - y.m!);
  b.sort((x, y) => x.m! - y.m!);
  return a.filter((x, i) => b[i]?.r.id === truth.get(x.g.person)).length;
}

for (const dialect of dialects) {
  describe(`${dialect}: a copy of an anonymous campaign's store links no one to their answers`, () => {
    let t: TestStore;
    let reopened: Store;
    let everything: Table[];
    const truth = new Map<string, string>(); // person id → their response id
    const pseudonyms = new Map<string, string>(); // person id → pseudonym before completion
    const markers = new Map<string, string>(); // person id → a text only their answers hold
    const postedAt = new Map<string, number>(); // person id → when their response was posted
    let pressPerson = '';
    let pressResponse = '';
    let walBytesAfterClose = -1;
    let thanked = 0;

    beforeAll(async () => {
      t = await openTestStore(dialect);
      const db = t.store.db;
      await saveInstrument(db, 'cairnet', cairnetSurvey());
      const dir = mkdtempSync(join(tmpdir(), 'cairnet-attack-'));
      const file = join(dir, 'population.csv');
      const lines = ['email,name,language,unit,age_band'];
      for (let i = 0; i < PEOPLE + 1; i++) {
        lines.push(`person${i}@inserm.fr,Person ${i},${i % 2 ? 'en' : 'fr'},U${1000 + (i % 3)},40_44`);
      }
      writeFileSync(file, `${lines.join('\n')}\n`);
      await importPopulation(db, 'cairnet', await readPopulationFile(file), { file });
      await writeSetting(db, 'cairnet', 'anonymous', 'yes');
      const mails: { to: string; token: string }[] = [];
      await sendRound(db, 'cairnet', {
        kind: 'invitation',
        config: { smtpUrl: 'smtp://127.0.0.1:1', from: 'c@inserm.fr', publicUrl: 'https://e.example.org' },
        ratePerMinute: 60_000,
        transport: {
          async sendMail(mail) {
            const token = /\/i\/([A-Za-z0-9_-]+)/.exec(String(mail.text))?.[1];
            const to = /person\d+@inserm\.fr/.exec(JSON.stringify(mail.to))?.[0];
            mails.push({ to: to!, token: token! });
            return { response: '250 ok' };
          },
        },
      });
      // Others answer through the open link in between (an open survey here), as they would.
      await setSurveyAccess(db, 'cairnet', 'open');
      const app = await buildApp({ store: t.store, openSubmitRate: 0, unlinkScrubDelayMs: 3_600_000 });
      const people = await db.selectFrom('campaign_people').select(['id', 'email', 'pseudonym']).execute();
      const byEmail = new Map(people.map((p) => [p.email!, p]));
      const random = mulberry32(dialect === 'sqlite' ? 18 : 81);
      const order = mails.map((m, i) => ({ m, k: random() + (i === 0 ? 2 : 0) })).sort((x, y) => x.k - y.k);
      for (const [i, { m }] of order.entries()) {
        const person = byEmail.get(m.to)!;
        const press = i === order.length - 1; // the last one agrees to press contacts
        pseudonyms.set(person.id, person.pseudonym!);
        const marker = `Association marker ${person.id.slice(0, 8)} ${i}`;
        markers.set(person.id, marker);
        expect((await app.inject({ url: `/i/${m.token}` })).statusCode).toBe(303);
        const draft = await app.inject({
          method: 'PUT',
          url: `/api/instruments/cairnet/drafts/${m.token}`,
          payload: { data: { relation: 'ongoing', associations: [{ name: marker }] }, pageNo: 2 },
        });
        expect(draft.statusCode).toBe(200);
        const open = await app.inject({
          method: 'POST',
          url: '/api/instruments/cairnet/responses',
          payload: { data: neverMetAnswers(), idempotencyKey: `open-${i}` },
        });
        expect(open.statusCode).toBe(201);
        const answers = {
          ...ongoingFundedAnswers(),
          associations: [{ name: marker }],
          press_contact_optin: press ? 'yes' : 'no',
        };
        postedAt.set(person.id, Date.now());
        const done = await app.inject({
          method: 'POST',
          url: '/api/instruments/cairnet/responses',
          payload: {
            data: answers,
            resumeToken: m.token,
            idempotencyKey: `done-${i}`,
            startedAt: new Date().toISOString(),
          },
        });
        expect(done.statusCode).toBe(201);
        if (press) {
          pressPerson = person.id;
          pressResponse = done.json().id;
        } else truth.set(person.id, done.json().id);
        await new Promise((r) => setTimeout(r, 3));
      }
      // The next day the thank-yous go out, a day's completions together (src/campaign/send-thanks.ts).
      thanked = (
        await sendDueThanks(db, {
          config: () => ({
            smtpUrl: 'smtp://127.0.0.1:1',
            from: 'c@inserm.fr',
            publicUrl: 'https://e.example.org',
          }),
          now: () => new Date(Date.now() + 86_400_000),
          transport: { sendMail: async () => ({ response: '250 ok' }) },
        })
      ).sent;
      // The server stops (it scrubs what completions left behind), then starts again.
      await app.close();
      if (dialect === 'sqlite') {
        await t.store.close();
        const wal = `${t.location}-wal`;
        walBytesAfterClose = existsSync(wal) ? statSync(wal).size : 0;
      }
      reopened = await openStore({ db: t.location });
      everything = await readEverything(reopened.db, dialect, t.schema);
    }, 120_000);

    afterAll(async () => {
      await reopened?.close();
      await t.dispose().catch(() => {});
    });

    const table = (name: string) => everything.find((x) => x.name === name)!;
    const candidates = () =>
      table('responses').rows.filter((r) => r.via === 'invitation' && r.id !== pressResponse);
    /** Rows that belong to one of the people, with whose they are. */
    const personRows = () =>
      everything.flatMap((tb) =>
        tb.name === 'responses'
          ? []
          : tb.rows.flatMap((r) => {
              const person = tb.name === 'campaign_people' ? r.id : r.person_id;
              return typeof person === 'string' && truth.has(person)
                ? [{ table: tb.name, person, row: r }]
                : [];
            }),
      );

    it('stores the invited responses with no pseudonym, no start time and only the day of completion', () => {
      const rows = candidates();
      expect(rows).toHaveLength(PEOPLE);
      for (const r of rows) {
        expect(r.invitation_id).toBeNull();
        expect(r.started_at).toBeNull();
        expect(text(r.completed_at)).toMatch(/T00:00:00\.000Z$/);
      }
      const people = table('campaign_people').rows.filter((p) => truth.has(String(p.id)));
      for (const p of people) {
        expect(Number(p.completed)).toBe(1);
        expect(p.pseudonym).toBeNull();
        expect(p.completed_at).toBeNull();
        for (const c of ['opened_at', 'started_at', 'updated_at'])
          expect(text(p[c])).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      expect(table('drafts').rows.filter((d) => d.invitation_id !== null)).toHaveLength(0);
    });

    it('keeps the link of the one respondent who agreed to press contacts (the declared exception)', () => {
      const r = table('responses').rows.find((x) => x.id === pressResponse)!;
      const p = table('campaign_people').rows.find((x) => x.id === pressPerson)!;
      expect(r.invitation_id).toBe(p.pseudonym);
    });

    it('holds no value of a response in any other table, and no value of a person in any response', () => {
      const responses = candidates();
      const responseValues = responses.flatMap((r) => {
        const own = Object.entries(r)
          .filter(([k, v]) => !k.startsWith('__sys_') && text(v).length >= 8)
          .filter(([k, v]) => responses.filter((o) => text(o[k]) === text(v)).length === 1)
          .map(([, v]) => text(v));
        return [...own, markers.get([...truth].find(([, id]) => id === r.id)![0])!];
      });
      for (const tb of everything) {
        if (tb.name === 'responses') continue;
        for (const row of tb.rows) {
          const cells = Object.entries(row)
            .filter(([k]) => !k.startsWith('__sys_'))
            .map(([, v]) => text(v));
          for (const v of responseValues)
            expect(
              cells.some((c) => c.includes(v)),
              `${tb.name} holds ${v}`,
            ).toBe(false);
        }
      }
      const personValues = personRows().flatMap(({ row }) =>
        Object.entries(row)
          .filter(
            ([k, v]) => !k.startsWith('__sys_') && text(v).length >= 8 && !/^\d{4}-\d{2}-\d{2}/.test(text(v)),
          )
          .map(([, v]) => text(v)),
      );
      // Only values that single a person out (shared ones, as a stratum, name no one).
      const owners = new Map<string, Set<string>>();
      for (const { person, row } of personRows()) {
        for (const v of Object.values(row)) {
          const s = text(v);
          owners.set(s, (owners.get(s) ?? new Set()).add(person));
        }
      }
      const distinct = new Set(personValues.filter((v) => owners.get(v)?.size === 1));
      for (const id of truth.keys()) distinct.add(pseudonyms.get(id)!);
      for (const r of table('responses').rows.filter((x) => x.id !== pressResponse)) {
        const cells = Object.entries(r)
          .filter(([k]) => !k.startsWith('__sys_'))
          .map(([, v]) => text(v));
        for (const v of distinct)
          expect(
            cells.some((c) => c.includes(v)),
            `response holds ${v}`,
          ).toBe(false);
      }
    });

    it('lets no join of people to responses by value, time or order do better than chance', () => {
      const responses = candidates();
      const rows = personRows();
      const responseColumns = Object.keys(responses[0]!);
      const results: string[] = [];
      for (const tableName of new Set(rows.map((r) => r.table))) {
        const own = rows.filter((r) => r.table === tableName);
        for (const column of Object.keys(own[0]!.row)) {
          const guesses = own.map((r) => ({ person: r.person, value: r.row[column] }));
          const perPerson = guesses.length / truth.size;
          for (const rc of responseColumns) {
            const near = nearestJoin(guesses, column, responses, rc, truth) / perPerson;
            const rank = perPerson === 1 ? rankJoin(guesses, column, responses, rc, truth) : 0;
            if (near > CHANCE_BOUND || rank > CHANCE_BOUND) {
              results.push(
                `${tableName}.${column} ~ responses.${rc}: nearest ${near.toFixed(1)}, rank ${rank}`,
              );
            }
          }
        }
      }
      expect(results).toEqual([]);
    });

    it('lets no join of the thank-yous (sent the next day, all together) to the responses do better than chance', () => {
      expect(thanked).toBe(PEOPLE + 1);
      const responses = candidates();
      const rows = personRows().filter((r) => r.table === 'campaign_messages' && r.row.round_id === 'thanks');
      expect(rows).toHaveLength(PEOPLE);
      const results: string[] = [];
      for (const column of Object.keys(rows[0]!.row)) {
        const guesses = rows.map((r) => ({ person: r.person, value: r.row[column] }));
        for (const rc of Object.keys(responses[0]!)) {
          const near = nearestJoin(guesses, column, responses, rc, truth);
          const rank = rankJoin(guesses, column, responses, rc, truth);
          if (near > CHANCE_BOUND || rank > CHANCE_BOUND)
            results.push(`thanks.${column} ~ responses.${rc}: nearest ${near.toFixed(1)}, rank ${rank}`);
        }
      }
      expect(results).toEqual([]);
    });

    it('would have found the link if a person kept the time of their completion (the attack has power)', () => {
      const responses = candidates();
      const guesses = [...truth.keys()].map((person) => ({ person, value: postedAt.get(person) }));
      const order = dialect === 'sqlite' ? '__sys_rowid' : '__sys_xmin';
      expect(rankJoin(guesses, 'posted', responses, order, truth)).toBe(PEOPLE);
    });

    it('leaves the rows of people and drafts in key order, whatever order they were written in', () => {
      for (const name of ['campaign_people', 'drafts']) {
        const rows = table(name).rows;
        const key = name === 'drafts' ? 'token_hash' : 'id';
        const physical = [...rows]
          .sort(
            (a, b) =>
              magnitude(
                dialect === 'sqlite' ? '__sys_rowid' : '__sys_ctid',
                a[dialect === 'sqlite' ? '__sys_rowid' : '__sys_ctid'],
              )! -
              magnitude(
                dialect === 'sqlite' ? '__sys_rowid' : '__sys_ctid',
                b[dialect === 'sqlite' ? '__sys_rowid' : '__sys_ctid'],
              )!,
          )
          .map((r) => text(r[key]));
        if (dialect === 'postgres') expect(physical).toEqual([...physical].sort());
      }
      if (dialect === 'postgres') {
        const completed = table('campaign_people').rows.filter((p) => truth.has(String(p.id)));
        expect(new Set(completed.map((p) => p.__sys_xmin)).size).toBe(1);
      }
    });

    it.runIf(dialect === 'sqlite')(
      'leaves no trace of the link in the raw bytes of the SQLite file or its WAL',
      () => {
        expect(walBytesAfterClose).toBe(0);
        const bytes = readFileSync(t.location);
        const count = (s: string) => {
          let n = 0;
          for (let at = bytes.indexOf(s); at >= 0; at = bytes.indexOf(s, at + 1)) n++;
          return n;
        };
        for (const [person, responseId] of truth) {
          expect(count(pseudonyms.get(person)!), 'a former pseudonym').toBe(0);
          expect(count(markers.get(person)!), 'a draft left behind').toBe(1);
          const email = table('campaign_people').rows.find((p) => p.id === person)!.email as string;
          for (let at = bytes.indexOf(email); at >= 0; at = bytes.indexOf(email, at + 1)) {
            const page = bytes.subarray(at - (at % 4096), at - (at % 4096) + 4096).toString('latin1');
            for (const other of truth.values())
              expect(page.includes(other), 'a response id beside an e-mail').toBe(false);
            expect(page.includes(markers.get(person)!)).toBe(false);
          }
          // the row and its primary key's index
          expect(count(responseId)).toBe(2);
        }
      },
    );
  });
}
