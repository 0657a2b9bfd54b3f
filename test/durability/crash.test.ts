import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePanel } from '../../src/demo/index.js';
import { availableDialects, openTestStore, type TestStore } from '../helpers/dialects.js';
import { type ServerProcess, startServer } from '../helpers/server-process.js';

const dialects = await availableDialects();
/** Responses sent; `npm run bench -- crash` runs 20,000 (CAIRNET_CRASH_TOTAL). */
const TOTAL = Number(process.env.CAIRNET_CRASH_TOTAL ?? 400);
const CONCURRENCY = Number(process.env.CAIRNET_CRASH_CONCURRENCY ?? 16);
const KILL_AFTER = Math.floor(TOTAL * 0.3);

const panel = generatePanel({ respondents: Math.min(TOTAL, 2000), seed: 31 }).map((r) => r.data);
const answers = (i: number) => panel[i % panel.length];
const body = (i: number) => JSON.stringify({ data: answers(i), idempotencyKey: `crash-${i}` });

async function submit(url: string, i: number): Promise<{ status: number; id?: string }> {
  const res = await fetch(`${url}/api/instruments/cairnet/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(i),
  });
  const json = (await res.json()) as { id?: string };
  return { status: res.status, ...(json.id ? { id: json.id } : {}) };
}

for (const dialect of dialects) {
  describe(`${dialect}: a server killed in the middle of a load`, () => {
    let t: TestStore;
    let server: ServerProcess | undefined;
    beforeAll(async () => {
      t = await openTestStore(dialect);
    });
    afterAll(async () => {
      await server?.stop('SIGKILL');
      await t.dispose();
    });

    it('keeps every response it acknowledged with 201, whole and once, and stores each retry once', async () => {
      server = await startServer(['--db', t.location, '--no-demo'], { CAIRNET_SQLITE_SYNC: 'FULL' });
      const acked = new Map<number, string>();
      let next = 0;
      let killed = false;
      const first = server;
      const worker = async () => {
        while (next < TOTAL && !killed) {
          const i = next++;
          try {
            const r = await submit(first.url, i);
            if (r.status === 201 && r.id) acked.set(i, r.id);
            if (acked.size >= KILL_AFTER && !killed) {
              killed = true;
              first.child.kill('SIGKILL');
            }
          } catch {
            // the connection died with the server: this request was never acknowledged
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      await first.stop('SIGKILL');
      expect(killed).toBe(true);
      const ackedBeforeCrash = new Map(acked);

      server = await startServer(['--db', t.location, '--no-demo']);
      const second = server;
      // Every client retries what it sent (and what it never sent) with the same idempotency key.
      let j = 0;
      const retry = async () => {
        while (j < TOTAL) {
          const i = j++;
          const r = await submit(second.url, i);
          expect(r.status, `request ${i}`).toBe(201);
          if (ackedBeforeCrash.has(i)) expect(r.id, `request ${i}`).toBe(ackedBeforeCrash.get(i));
          acked.set(i, r.id!);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, retry));

      const rows = await t.store.db
        .selectFrom('responses')
        .select(['id', 'idempotency_key', 'data'])
        .execute();
      expect(rows).toHaveLength(TOTAL);
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const [i, id] of ackedBeforeCrash) {
        const row = byId.get(id);
        expect(row, `acknowledged response ${i}`).toBeDefined();
        expect(row!.idempotency_key).toBe(`crash-${i}`);
        expect(JSON.parse(row!.data)).toEqual(answers(i));
      }
      expect(new Set(rows.map((r) => r.idempotency_key)).size).toBe(TOTAL);
    });
  });
}
